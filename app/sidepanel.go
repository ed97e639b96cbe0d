package app

import (
	"fmt"
	"strings"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/textparse"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// sidePanel edits one distribution, P or Q: its form, temperature, grid and
// a paste area.
type sidePanel struct {
	app.Compo

	ISide     side
	ILang     lang
	ITitle    string
	IRows     [][]string
	IVals     [][]float64 // in place of IRows (State.PVals)
	IShape    []int       // more than 2 dimensions: the side's shape
	IForm     compute.Form
	ITemp     string
	ICellErrs map[[2]int]string
	IDetected formSwitch // a form a paste chose, with its undo
	IEditor   panelEditor

	paste      string
	pasteErr   string
	copyStatus string // after "Copy as a Python list"
}

func newSidePanel() *sidePanel { return &sidePanel{} }

func (s *sidePanel) Side(v side) *sidePanel                    { s.ISide = v; return s }
func (s *sidePanel) Title(v string) *sidePanel                 { s.ITitle = v; return s }
func (s *sidePanel) Lang(v lang) *sidePanel                    { s.ILang = v; return s }
func (s *sidePanel) Rows(v [][]string) *sidePanel              { s.IRows = v; return s }
func (s *sidePanel) Vals(v [][]float64) *sidePanel             { s.IVals = v; return s }
func (s *sidePanel) Shape(v []int) *sidePanel                  { s.IShape = v; return s }
func (s *sidePanel) Form(v compute.Form) *sidePanel            { s.IForm = v; return s }
func (s *sidePanel) Temp(v string) *sidePanel                  { s.ITemp = v; return s }
func (s *sidePanel) CellErrors(v map[[2]int]string) *sidePanel { s.ICellErrs = v; return s }
func (s *sidePanel) Detected(d formSwitch) *sidePanel          { s.IDetected = d; return s }
func (s *sidePanel) Editor(e panelEditor) *sidePanel           { s.IEditor = e; return s }

// formMapping is how a form maps to PyTorch's arguments (code, not prose,
// so it is the same in every language).
func formMapping(sd side, f compute.Form) string {
	switch {
	case sd == sideQ && f == compute.FormProb:
		return "input = log Q"
	case sd == sideQ && f == compute.FormLog:
		return "input = Q"
	case sd == sideQ && f == compute.FormCounts:
		return "input = log(Q / Q.sum(-1, keepdim=True))"
	case sd == sideQ:
		return "input = log_softmax(Q / T, dim=-1)"
	case f == compute.FormProb:
		return "target = P, log_target=False"
	case f == compute.FormLog:
		return "target = P, log_target=True"
	case f == compute.FormCounts:
		return "target = P / P.sum(-1, keepdim=True), log_target=False"
	}
	return "target = log_softmax(P / T, dim=-1), log_target=True"
}

func (s *sidePanel) Render() (ui app.UI) {
	defer recoverRender(&ui)
	t := texts(s.ILang)
	id := func(x string) string { return s.ISide.String() + "-" + x }
	mapping := formMapping(s.ISide, s.IForm)
	return app.Elem("div").Class("side").ID(id("panel")).
		OnDragOver(s.onDragOver).OnDrop(s.onDrop).Body(
		app.Elem("h2").Text(s.ITitle),
		app.Elem("fieldset").Class("forms").Body(
			app.Elem("legend").Text(fmt.Sprintf(t.GivenAs, s.ISide)),
			app.Range(compute.Forms()).Slice(func(i int) app.UI {
				f := compute.Forms()[i]
				label := t.formName(f)
				return app.Label().Class("radio").Body(
					app.Input().Type("radio").Name(id("form")).ID(id("form-"+f.String())).
						Value(f.String()).Checked(f == s.IForm).OnChange(s.onForm, f),
					app.Text(" "+label),
				)
			}),
			app.Elem("code").Class("mapping").ID(id("mapping")).Text(mapping),
		),
		// Always there, empty without a switch: a stable slot (see the
		// paste error below).
		app.Elem("div").Class("detected").ID(id("detected")).Attr("role", "status").Body(
			app.If(s.IDetected.Clue != compute.ClueNone, app.Elem("p").Body(
				app.Span().Text(t.detected(s.ILang, s.ISide, s.IDetected.To, s.IDetected.Clue)+" "),
				app.Button().Type("button").Class("fix").ID(id("detected-undo")).Text(t.DetectUndo).
					Aria("label", t.detectUndoLabel(s.ILang, s.ISide, s.IDetected.To)).OnClick(s.onUndoDetected),
			)),
		),
		// A stable slot: a field that came and went before the grid would
		// make go-app rebuild the grid (and drop what its events deferred).
		app.Elem("div").Class("temp-slot").Body(
			app.If(s.IForm == compute.FormLogits, app.Label().Class("temp").Body(
				app.Text(t.Temperature+" "),
				app.Input().Type("text").ID(id("temp")).Attr("inputmode", "decimal").
					Value(s.ITemp).Placeholder("1").OnInput(s.onTemp),
			)),
		),
		newGrid().Side(s.ISide).Lang(s.ILang).Rows(s.IRows).Vals(s.IVals).Shape(s.IShape).CellErrors(s.ICellErrs).Owner(s),
		app.Elem("div").Class("grid-buttons").Body(
			s.button(id("add-row"), t.AddRow, fmt.Sprintf(t.AddRowLabel, s.ISide), addRow),
			s.button(id("remove-row"), t.RemoveRow, fmt.Sprintf(t.RemoveRowLabel, s.ISide), removeRow),
			s.button(id("add-col"), t.AddCol, fmt.Sprintf(t.AddColLabel, s.ISide), addCol),
			s.button(id("remove-col"), t.RemoveCol, fmt.Sprintf(t.RemoveColLabel, s.ISide), removeCol),
			app.Button().Type("button").ID(id("copy-py")).Text(t.CopyPython).
				Aria("label", fmt.Sprintf(t.CopyPythonLabel, s.ISide)).OnClick(s.onCopyPython),
			app.Elem("span").Class("copied").Attr("role", "status").Text(s.copyStatus),
		),
		// Outside the <details>: a dropped file's error must show even
		// while the paste area is closed.
		// Always there, empty without an error: an element that comes and
		// goes before the paste area would make go-app rebuild the area,
		// closing it under the user's eyes.
		app.Elem("p").Class("cell-error paste-error").ID(id("paste-error")).Attr("role", "alert").Text(s.pasteErr),
		app.Elem("details").Class("paste").Body(
			app.Elem("summary").Text(fmt.Sprintf(t.PasteSummary, s.ISide)),
			// Not bound to s.paste: a render from an earlier keystroke would
			// set the area back to that text and lose the keys typed since.
			app.Textarea().ID(id("paste")).Rows(3).Aria("label", fmt.Sprintf(t.PasteLabel, s.ISide)).
				Placeholder("tensor([[0.1, 0.9], [0.5, 0.5]])").OnInput(s.onPasteInput).On("paste", s.onPasteArea),
			app.Button().Type("button").ID(id("paste-apply")).Text(t.PasteApply).OnClick(s.onPasteApply),
			app.Label().Class("file").Body(
				app.Text(fmt.Sprintf(t.FileLabel, s.ISide)+" "),
				app.Input().Type("file").ID(id("file")).Accept(".csv,.tsv,.json,.txt,.npy,.npz,.safetensors,.klcalc,text/csv,text/tab-separated-values,application/json,text/plain").
					OnChange(s.onFile),
			),
			app.Elem("p").Class("help").Text(t.DropHint),
		),
	)
}

func (s *sidePanel) button(id, text, label string, op resizeOp) app.UI {
	return app.Button().Type("button").ID(id).Text(text).Aria("label", label).OnClick(func(ctx app.Context, e app.Event) {
		defer recoverTo(ctx)
		if s.IEditor != nil {
			s.IEditor.onResize(ctx, s.ISide, op)
		}
	}, op)
}

func (s *sidePanel) onForm(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	v := ctx.JSSrc().Get("value").String()
	if f, err := compute.ParseForm(v); err == nil && s.IEditor != nil {
		s.IEditor.onForm(ctx, s.ISide, f)
	}
}

// onUndoDetected reads the side as probabilities again, as it was before
// the paste.
func (s *sidePanel) onUndoDetected(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if s.IEditor != nil {
		s.IEditor.onForm(ctx, s.ISide, compute.FormProb)
	}
}

func (s *sidePanel) onTemp(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if s.IEditor != nil {
		s.IEditor.onTemp(ctx, s.ISide, ctx.JSSrc().Get("value").String())
	}
}

func (s *sidePanel) onPasteInput(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	s.paste = ctx.JSSrc().Get("value").String()
}

// onPasteArea applies a large paste at once, without putting it in the
// area: Chromium took 48 s of layout to show a 1.5 M-line paste in a
// textarea. A smaller one goes into the area as usual, to be read,
// edited and applied.
func (s *sidePanel) onPasteArea(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	cd := e.Get("clipboardData")
	if !cd.Truthy() {
		return
	}
	v := cd.Call("getData", "text/plain")
	if v.Type() != app.TypeString {
		return
	}
	text := v.String() // syscall/js reads no property of a string: copied to know its length
	if len(text) < pasteDirect {
		return
	}
	e.PreventDefault()
	s.paste = ""
	s.applyText(ctx, text)
}

// pasteDirect is the length (bytes) from which a paste into the area is
// applied at once (onPasteArea): about 40 000 values.
const pasteDirect = 256 << 10

func (s *sidePanel) onPasteApply(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	s.applyText(ctx, s.paste)
}

// applyText parses text (a file, a drop or a paste) into this side.
func (s *sidePanel) applyText(ctx app.Context, text string) {
	if s.IEditor == nil {
		return
	}
	if err := s.IEditor.onPaste(ctx, s.ISide, text); err != nil {
		s.pasteErr = texts(s.ILang).pastedTextError(s.ILang, err)
		return
	}
	s.pasteErr = ""
}

// readFile reads a File object asynchronously and applies its text on the
// UI goroutine.
func (s *sidePanel) readFile(ctx app.Context, file app.Value) {
	readFile(ctx, file, s.ILang, fileHandlers{
		text:   s.applyText,
		tensor: s.applyTensorFile,
		fail:   func(ctx app.Context, msg string) { s.pasteErr = msg },
	})
}

// applyTensorFile reads a .npy, .npz or .safetensors file into the page;
// its problems show here, and nothing else changes.
func (s *sidePanel) applyTensorFile(ctx app.Context, name string, data []byte) {
	if s.IEditor == nil {
		return
	}
	if err := s.IEditor.onTensorFile(ctx, s.ISide, name, data); err != nil {
		s.pasteErr = texts(s.ILang).Files.fileError(name, err)
		return
	}
	s.pasteErr = ""
}

func (s *sidePanel) onFile(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	files := ctx.JSSrc().Get("files")
	if files.Truthy() && files.Length() > 0 {
		s.readFile(ctx, files.Index(0))
	}
}

func (s *sidePanel) onDragOver(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	// No ctx.PreventUpdate: in go-app v9.8.0 it stops the component's own
	// updates for good (docs/goapp.md §3), and a dropped file's error
	// would then never show.
	e.PreventDefault() // allows the drop
}

func (s *sidePanel) onDrop(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	e.PreventDefault()
	e.Call("stopPropagation") // the page's own drop handler is for elsewhere
	dt := e.Get("dataTransfer")
	if !dt.Truthy() {
		return
	}
	if files := dt.Get("files"); files.Truthy() && files.Length() > 0 {
		s.readFile(ctx, files.Index(0))
		return
	}
	if text := dt.Call("getData", "text/plain").String(); text != "" {
		s.applyText(ctx, text)
	}
}

// gridCell passes a cell's edit on.
func (s *sidePanel) gridCell(ctx app.Context, row, col int, v string) {
	if s.IEditor != nil {
		s.IEditor.onCell(ctx, s.ISide, row, col, v)
	}
}

// gridAddRow adds a row (Enter on the last one).
func (s *sidePanel) gridAddRow(ctx app.Context) {
	if s.IEditor != nil {
		s.IEditor.onResize(ctx, s.ISide, addRow)
	}
}

// gridPaste takes text pasted into a cell that holds more than one
// number (a row copied from a spreadsheet, a PyTorch printout): it
// replaces the whole grid. It reports whether it did.
func (s *sidePanel) gridPaste(ctx app.Context, text string) bool {
	m, err := textparse.Parse(text)
	if err != nil || len(m.Rows)*len(m.Rows[0]) < 2 {
		return false
	}
	s.applyText(ctx, text)
	return true
}

// onCopyPython copies the side as a Python list, [a, b] or [[a, b], …],
// which Python, NumPy and torch.tensor read as they are.
func (s *sidePanel) onCopyPython(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	t := texts(s.ILang)
	list, ok := pythonList(s.IRows, s.IVals)
	if !ok {
		s.copyStatus = t.CopyPythonInvalid
		return
	}
	copyText(ctx, list, func(r copyResult) { s.copyStatus = t.copyMessage(r, t.Copied2) })
}

// pythonList writes rows of cell text, or values (vals, when not nil), as
// a Python list literal; false if a cell is not a number.
func pythonList(rows [][]string, vals [][]float64) (string, bool) {
	if vals == nil {
		var errs []*CellError
		if vals, errs = parseGrid(sideP, rows); len(errs) > 0 {
			return "", false
		}
	}
	var b strings.Builder
	if len(vals) > 1 {
		b.WriteByte('[')
	}
	for i, r := range vals {
		if i > 0 {
			b.WriteString(", ")
		}
		writeList(&b, r)
	}
	if len(vals) > 1 {
		b.WriteByte(']')
	}
	return b.String(), true
}
