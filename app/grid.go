package app

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/klcalc/klcalc/compute"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// grid is an editable rows × classes table of raw cell text. Enter and the
// up/down arrows move between rows (Enter on the last row adds one); left/right move between cells when the
// caret is at the edge of the text; Tab follows the document order.
type grid struct {
	app.Compo

	ISide     side
	ILang     lang
	IRows     [][]string
	IVals     [][]float64 // in place of IRows: values whose text is FormatFloat's (State.PVals)
	IShape    []int       // a shape of more than 2 dimensions, whose leading indices name the rows
	ICellErrs map[[2]int]string
	IOwner    gridOwner

	rowPage, colPage int // the window shown of a large grid
}

// A grid shows at most gridRows × gridCols cells at a time, so that a
// 100 000-value distribution does not put 100 000 inputs in the page. Ten
// columns are what the inputs' column shows at 1280 px, and mounting the
// 25 × 20 window of both sides took 530 ms when a 100 × 1 000 link opened.
const (
	gridRows = 12
	gridCols = 10
)

func newGrid() *grid { return &grid{} }

func (g *grid) Side(v side) *grid                    { g.ISide = v; return g }
func (g *grid) Rows(v [][]string) *grid              { g.IRows = v; return g }
func (g *grid) Vals(v [][]float64) *grid             { g.IVals = v; return g }
func (g *grid) Lang(v lang) *grid                    { g.ILang = v; return g }
func (g *grid) CellErrors(v map[[2]int]string) *grid { g.ICellErrs = v; return g }
func (g *grid) Owner(o gridOwner) *grid              { g.IOwner = o; return g }
func (g *grid) Shape(v []int) *grid                  { g.IShape = v; return g }

// cellID is a cell's element id, such as "P-r0-c1"; position reads it back.
func cellID(sd side, i, j int) string { return fmt.Sprintf("%s-r%d-c%d", sd, i, j) }

// size is the grid's rows and the cells of its first row.
func (g *grid) size() (rows, cols int) {
	if g.IVals != nil {
		if len(g.IVals) > 0 {
			cols = len(g.IVals[0])
		}
		return len(g.IVals), cols
	}
	if len(g.IRows) > 0 {
		cols = len(g.IRows[0])
	}
	return len(g.IRows), cols
}

// rowLen is the number of cells of row i.
func (g *grid) rowLen(i int) int {
	if g.IVals != nil {
		return len(g.IVals[i])
	}
	return len(g.IRows[i])
}

// cells is the text of row i's cells from column c0 to c1−1 (fewer if the
// row is shorter): its own, or its values' written now, only those shown.
func (g *grid) cells(i, c0, c1 int) []string {
	c1 = max(c0, min(c1, g.rowLen(i)))
	if g.IVals == nil {
		return g.IRows[i][c0:c1]
	}
	out := make([]string, c1-c0)
	for k, v := range g.IVals[i][c0:c1] {
		out[k] = compute.FormatFloat(v)
	}
	return out
}

// window returns the rows [r0, r1) and columns [c0, c1) shown.
func (g *grid) window() (r0, r1, c0, c1 int) {
	rows, cols := g.size()
	g.rowPage = min(g.rowPage, max(0, (rows-1)/gridRows))
	g.colPage = min(g.colPage, max(0, (cols-1)/gridCols))
	r0, c0 = g.rowPage*gridRows, g.colPage*gridCols
	return r0, min(r0+gridRows, rows), c0, min(c0+gridCols, cols)
}

func (g *grid) Render() (ui app.UI) {
	defer recoverRender(&ui)
	t := texts(g.ILang)
	r0, r1, c0, c1 := g.window()
	rows, cols := g.size()
	return app.Elem("div").Class("grid-wrap").Body(
		app.If(rows > gridRows || cols > gridCols, g.pager(t, r0, r1, c0, c1, rows, cols)),
		// The cells' events are handled here, where they bubble to: one
		// listener each, not three per cell, which made mounting a large
		// grid's window cost about a millisecond per cell.
		app.Elem("table").Class("grid").ID(g.ISide.String()+"-grid").Spellcheck(false).
			On("input", g.onInput).On("keydown", g.onKey).On("paste", g.onPaste).Body(
			app.Elem("thead").Body(app.Elem("tr").Body(
				app.Elem("th").Attr("scope", "col").Text(t.RowHeader),
				app.Range(make([]struct{}, c1-c0)).Slice(func(k int) app.UI {
					return app.Elem("th").Attr("scope", "col").Text(fmt.Sprintf("c%d", c0+k+1))
				}),
			)),
			app.Elem("tbody").Body(
				app.Range(make([]struct{}, r1-r0)).Slice(func(k int) app.UI {
					i := r0 + k
					var errs map[int]string
					for j := c0; j < min(c1, g.rowLen(i)); j++ {
						if msg, bad := g.ICellErrs[[2]int{i, j}]; bad {
							if errs == nil {
								errs = map[int]string{}
							}
							errs[j] = msg
						}
					}
					return &gridRow{ISide: g.ISide, ILang: g.ILang, IRow: i, ILabel: rowLabel(g.IShape, i), IC0: c0,
						ICells: g.cells(i, c0, c1), IErrs: errs}
				}),
			),
		),
	)
}

// gridRow is one row of a grid: a component of its own, so that an edit
// redraws the row it changed and go-app skips the others, whose cells
// compare equal (docs/goapp.md §3).
type gridRow struct {
	app.Compo

	ISide  side
	ILang  lang
	IRow   int            // 0-based row
	ILabel string         // the row's leading indices ("[1, 2]"), "" to number it
	IC0    int            // the column of ICells[0]
	ICells []string       // the cells shown
	IErrs  map[int]string // column → message of the invalid cells, nil if none
}

func (r *gridRow) Render() (ui app.UI) {
	defer recoverRender(&ui)
	t, i := texts(r.ILang), r.IRow
	return app.Elem("tr").Body(
		app.Elem("th").Attr("scope", "row").Text(cond(r.ILabel != "", r.ILabel, fmt.Sprint(i+1))),
		app.Range(r.ICells).Slice(func(l int) app.UI {
			j := r.IC0 + l
			msg, bad := r.IErrs[j]
			// No handlers: the grid's table handles the cells' events, and
			// reads the cell from the event target's id.
			// As few attributes as a cell needs, each a call into
			// JavaScript when a window of cells mounts: the type is text by
			// default, the table turns spell checking off, and the style
			// sheet selects ".grid input".
			in := app.Input().ID(cellID(r.ISide, i, j)).
				Attr("inputmode", "decimal").AutoComplete(false).Value(r.ICells[l]).
				Aria("label", fmt.Sprintf(t.CellLabel, r.ISide, i+1, j+1))
			if bad {
				in = in.Class("invalid").Aria("invalid", "true").Title(msg).
					Aria("describedby", cellID(r.ISide, i, j)+"-err")
			}
			return app.Elem("td").Body(
				in,
				app.If(bad, app.Elem("span").Class("cell-error").ID(cellID(r.ISide, i, j)+"-err").Text(msg)),
			)
		}),
	)
}

// pager moves the window of a large grid.
func (g *grid) pager(t *uiText, r0, r1, c0, c1, rows, cols int) app.UI {
	btn := func(id, text, label string, disabled bool, f func()) app.UI {
		return app.Button().Type("button").ID(g.ISide.String()+"-"+id).Text(text).Aria("label", label).Disabled(disabled).
			OnClick(func(ctx app.Context, e app.Event) {
				defer recoverTo(ctx)
				f()
			})
	}
	return app.Elem("div").Class("pager").Body(
		app.Elem("span").ID(g.ISide.String()+"-window").Attr("role", "status").Text(fmt.Sprintf(t.GridWindow, r0+1, r1, rows, c0+1, c1, cols)),
		btn("rows-prev", "↑", t.PrevRows, r0 == 0, func() { g.rowPage-- }),
		btn("rows-next", "↓", t.NextRows, r1 >= rows, func() { g.rowPage++ }),
		btn("cols-prev", "←", t.PrevCols, c0 == 0, func() { g.colPage-- }),
		btn("cols-next", "→", t.NextCols, c1 >= cols, func() { g.colPage++ }),
	)
}

// position returns the cell an event came from, parsed from its ID.
func (g *grid) position(e app.Event) (i, j int, ok bool) {
	sd, i, j, ok := parseCellID(e.Get("target").Get("id").String())
	return i, j, ok && sd == g.ISide.String()
}

// parseCellID reads a cellID back: "P-r0-c1" is P, 0, 1. (Not fmt.Sscanf:
// fmt's scanning took 18 KB of the compressed wasm with the replacer that
// asciiNumbers no longer uses.)
func parseCellID(id string) (sd string, i, j int, ok bool) {
	sd, rest, ok1 := strings.Cut(id, "-r")
	row, col, ok2 := strings.Cut(rest, "-c")
	i, err1 := strconv.Atoi(row)
	j, err2 := strconv.Atoi(col)
	return sd, i, j, ok1 && ok2 && err1 == nil && err2 == nil
}

func (g *grid) onInput(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	i, j, ok := g.position(e)
	if ok && g.IOwner != nil {
		g.IOwner.gridCell(ctx, i, j, e.Get("target").Get("value").String())
	}
}

func (g *grid) onKey(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	i, j, ok := g.position(e)
	if !ok {
		return
	}
	src := e.Get("target")
	caret, length := src.Get("selectionStart").Int(), len(src.Get("value").String())
	ti, tj := i, j
	switch e.Get("key").String() {
	case "Enter", "ArrowDown":
		ti++
	case "ArrowUp":
		ti--
	case "ArrowLeft":
		if caret > 0 {
			return
		}
		tj--
	case "ArrowRight":
		if caret < length {
			return
		}
		tj++
	default:
		return
	}
	if rows, _ := g.size(); e.Get("key").String() == "Enter" && ti == rows && g.IOwner != nil {
		// Enter on the last row adds one, as in a spreadsheet, and moves
		// into it once it is drawn.
		e.PreventDefault()
		g.IOwner.gridAddRow(ctx)
		id := cellID(g.ISide, ti, tj)
		ctx.Defer(func(ctx app.Context) {
			defer recoverTo(ctx)
			if el := app.Window().GetElementByID(id); el.Truthy() {
				el.Call("focus")
				el.Call("select")
			}
		})
		return
	}
	r0, r1, c0, c1 := g.window()
	if ti < r0 || ti >= r1 || tj < c0 || tj >= c1 || tj >= g.rowLen(ti) {
		return
	}
	// No ctx.PreventUpdate: in go-app v9.8.0 it stops the component's own
	// updates for good (docs/goapp.md §3), and the pager needs them.
	e.PreventDefault()
	if el := app.Window().GetElementByID(cellID(g.ISide, ti, tj)); el.Truthy() {
		el.Call("focus")
		el.Call("select")
	}
}

// onPaste lets a paste of several numbers fill the whole grid; a single
// number is pasted into the cell as usual.
func (g *grid) onPaste(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	cd := e.Get("clipboardData")
	if _, _, ok := g.position(e); !ok || !cd.Truthy() || g.IOwner == nil {
		return
	}
	if g.IOwner.gridPaste(ctx, cd.Call("getData", "text/plain").String()) {
		e.PreventDefault()
	}
}

// cond is a if ok, else b.
func cond[T any](ok bool, a, b T) T {
	if ok {
		return a
	}
	return b
}
