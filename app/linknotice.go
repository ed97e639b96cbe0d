package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// lossProblem names why the address bar does not hold the state.
type lossProblem int

const (
	lossNone          lossProblem = iota
	lossTooLong                   // the shortest link is Size bytes, more than Limit
	lossTooManyValues             // Side holds Cells values, more than a link reads (Limit)
)

// linkLoss is a state that no link can carry. It is compared with ==.
type linkLoss struct {
	Problem            lossProblem
	Side               side
	Size, Cells, Limit int
	AtLeast            bool // Size is a length every link exceeds, not the shortest's
}

// linkLoss says whether enc, the state's encoding, can be written to an
// address whose part before '#' is baseLen bytes. The app never writes a
// link it would refuse to open: DecodeState takes at most maxCells values
// per side, and Chromium opens at most maxLink bytes.
func (s State) linkLoss(enc string, baseLen int) linkLoss {
	if !s.Gaussian && !s.RLMode {
		for _, sd := range []side{sideP, sideQ} {
			if n := s.cells(sd); n > maxCells {
				return linkLoss{Problem: lossTooManyValues, Side: sd, Cells: n, Limit: maxCells}
			}
		}
	}
	if len(enc)+1 > maxLink-baseLen {
		return linkLoss{Problem: lossTooLong, Size: len(enc), Limit: maxLink - baseLen}
	}
	return linkLoss{}
}

// stateSaver writes the state to a file that reopens it.
type stateSaver interface {
	saveState(ctx app.Context)
}

// linkNotice tells, the moment it happens, that the address bar no longer
// holds the calculation, and offers the file that does.
type linkNotice struct {
	app.Compo

	ILang  lang
	ILoss  linkLoss
	ISaver stateSaver
}

func newLinkNotice() *linkNotice { return &linkNotice{} }

func (n *linkNotice) Lang(l lang) *linkNotice        { n.ILang = l; return n }
func (n *linkNotice) Loss(l linkLoss) *linkNotice    { n.ILoss = l; return n }
func (n *linkNotice) Saver(s stateSaver) *linkNotice { n.ISaver = s; return n }
func (n *linkNotice) onSave(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if n.ISaver != nil {
		n.ISaver.saveState(ctx)
	}
}

func (n *linkNotice) Render() (ui app.UI) {
	defer recoverRender(&ui)
	t := texts(n.ILang)
	if n.ILoss.Problem == lossNone {
		return app.Elem("div").ID("link-status").Class("link-status")
	}
	return app.Elem("div").ID("link-status").Class("link-status notice").Attr("role", "alert").
		DataSet("problem", int(n.ILoss.Problem)).Body(
		app.P().Text(t.linkLossText(n.ILoss)),
		app.Button().Type("button").ID("save-state").Text(t.SaveState).OnClick(n.onSave),
	)
}
