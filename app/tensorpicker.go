package app

import (
	"strconv"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// tensorPickerEditor takes the picker's choices.
type tensorPickerEditor interface {
	onPickTensor(ctx app.Context, sd side, i int)
	onCloseFile(ctx app.Context)
}

// tensorPicker shows the tensor file the page read, and which of its
// tensors each side holds, with a choice of another.
type tensorPicker struct {
	app.Compo

	ILang   lang
	IFile   tensorFileSummary
	IErr    string // a choice that could not be made
	IEditor tensorPickerEditor
}

func newTensorPicker() *tensorPicker { return &tensorPicker{} }

func (p *tensorPicker) Lang(l lang) *tensorPicker                 { p.ILang = l; return p }
func (p *tensorPicker) File(f tensorFileSummary) *tensorPicker    { p.IFile = f; return p }
func (p *tensorPicker) Err(msg string) *tensorPicker              { p.IErr = msg; return p }
func (p *tensorPicker) Editor(e tensorPickerEditor) *tensorPicker { p.IEditor = e; return p }

func (p *tensorPicker) onPick(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	sd := sideP
	if ctx.JSSrc().Get("id").String() == "pick-Q" {
		sd = sideQ
	}
	i, err := strconv.Atoi(ctx.JSSrc().Get("value").String())
	if err == nil && p.IEditor != nil {
		p.IEditor.onPickTensor(ctx, sd, i)
	}
}

func (p *tensorPicker) onClose(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if p.IEditor != nil {
		p.IEditor.onCloseFile(ctx)
	}
}

func (p *tensorPicker) Render() (ui app.UI) {
	defer recoverRender(&ui)
	t, f := texts(p.ILang).Files, p.IFile
	flattened, kept := false, false
	for _, i := range []int{f.Choice.P, f.Choice.Q} {
		if i < 0 {
			continue
		}
		switch n := len(f.Tensors[i].Shape); {
		case n > maxShapeDims:
			flattened = true
		case n > 2:
			kept = true
		}
	}
	pick := func(sd side) app.UI {
		cur := f.Choice.index(sd)
		id := "pick-" + sd.String()
		return app.Label().Class("pick").For(id).Body(
			app.Span().Text(t.sideLabel(sd)),
			app.Select().ID(id).OnChange(p.onPick).Body(
				app.If(cur < 0, app.Option().Value("-1").Selected(true).Text(t.KeepSide)),
				app.Range(f.Tensors).Slice(func(i int) app.UI {
					ts := f.Tensors[i]
					return app.Option().Value(strconv.Itoa(i)).Selected(i == cur).
						Text(ts.Name + " · " + ts.DType.String() + " · " + compute.ShapeString(ts.Shape))
				}),
			),
		)
	}
	return app.Elem("section").ID("tensor-file").Class("tensor-file").Aria("label", t.Heading).Body(
		app.Elem("div").Class("tensor-file-head").Body(
			app.P().Body(
				app.Strong().ID("tensor-file-name").Text(f.Name),
				app.Text(" · "+f.Format.String()+" · "+t.count(len(f.Tensors))),
			),
			app.Button().Type("button").ID("close-file").Class("close").Aria("label", t.Close).Text("×").OnClick(p.onClose),
		),
		app.If(len(f.Tensors) > 1, app.Elem("div").Class("picks").Body(pick(sideP), pick(sideQ))),
		app.If(len(f.Tensors) == 1, app.P().ID("tensor-only").Text(t.only(f))),
		// Always there, empty when they do not apply: conditions that come
		// and go side by side are what go-app v9.8.0 fails to update.
		app.P().ID("tensor-guessed").Class("note").Text(cond(f.Choice.Guessed, t.Guessed, "")),
		app.P().ID("tensor-shaped").Class("note").Text(cond(kept, t.Shaped, "")),
		app.P().ID("tensor-flattened").Class("note").Text(cond(flattened, t.Flattened, "")),
		app.P().ID("tensor-error").Class("error").Attr("role", "alert").Text(p.IErr),
	)
}
