package app

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// gradView is the gradient tab: the gradients loss.backward() leaves on
// kl_div's input and target and on the logits, their special cases, the
// per-class gradient beside P − Q, and the gradient norm against T.
type gradView struct {
	app.Compo

	ILang   lang
	IData   gradData
	IResult *compute.Result // with details: the chart's P − Q
	IRow    int             // the output row the chart draws
	IEditor gradEditor
}

// gradEditor is what the tab changes: the T² switch and the chart's row.
type gradEditor interface {
	setScaleT2(ctx app.Context, on bool)
	chartRowPicker
}

func newGradView() *gradView { return &gradView{} }

func (v *gradView) Lang(l lang) *gradView              { v.ILang = l; return v }
func (v *gradView) Data(d gradData) *gradView          { v.IData = d; return v }
func (v *gradView) Result(r *compute.Result) *gradView { v.IResult = r; return v }
func (v *gradView) Row(i int) *gradView                { v.IRow = i; return v }
func (v *gradView) Editor(e gradEditor) *gradView      { v.IEditor = e; return v }

func (v *gradView) onScale(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	v.setScale(ctx)
}

func (v *gradView) setScale(ctx app.Context) {
	if v.IEditor != nil {
		v.IEditor.setScaleT2(ctx, ctx.JSSrc().Get("checked").Bool())
	}
}

// gradShowMax is the most values of one gradient drawn in the page; the
// CSV has them all.
const gradShowMax = 120

func (v *gradView) Render() (ui app.UI) {
	defer recoverRender(&ui)
	t := texts(v.ILang)
	g, d := &t.Grad, v.IData
	if d.G == nil {
		// No error: the frame of the edit that opened the tab, before the
		// gradients (see followTab).
		return app.Elem("section").Class("charts grad").Body(
			app.Elem("h2").Text(g.Heading),
			app.If(d.Err != "", app.Elem("p").Text(d.Err)))
	}
	gr := d.G
	target := g.TargetProb
	if gr.LogTarget {
		target = g.TargetLog
	}
	showT2 := d.T2 != 0 && gr.Options.Reduction != compute.ReductionNone
	return app.Elem("section").Class("charts grad").Aria("labelledby", "grad-heading").Body(
		app.Elem("h2").ID("grad-heading").Text(g.Heading),
		app.Elem("p").Text(fmt.Sprintf(g.Lede, gr.Options.DType)),
		app.Elem("p").ID("grad-scale").Text(v.scaleLine()),
		app.If(showT2, app.Label().Class("t2-switch").Body(
			app.Input().Type("checkbox").ID("grad-t2").Checked(d.Factor != 1).OnChange(v.onScale),
			app.Text(" "+fmt.Sprintf(g.Switch, compute.FormatFloat(d.T2))),
		)),
		v.notes(),
		// app.If builds its branch even when false: optional parts are
		// built only when they exist.
		optional(gr.QLogits.Data != nil, func() app.UI {
			return gradTable("grad-logits-q", fmt.Sprintf(g.QLogitsTitle, compute.FormatFloat(d.QTemp)), gr.QLogits, nil, v.ILang)
		}),
		gradTable("grad-input", g.InputTitle, gr.Input, gr.InputNotes, v.ILang),
		gradTable("grad-target", target, gr.Target, gr.TargetNotes, v.ILang),
		optional(gr.PLogits.Data != nil, func() app.UI {
			return gradTable("grad-logits-p", fmt.Sprintf(g.PLogitsTitle, compute.FormatFloat(d.PTemp)), gr.PLogits, nil, v.ILang)
		}),
		app.Elem("div").Class("downloads").Body(
			app.Button().Type("button").ID("download-grad").Text("⤓ "+g.Download).OnClick(v.onDownload),
		),
		v.charts(),
		optional(len(d.Sweep) > 0, func() app.UI { return sweepFigure(v.ILang, d.Sweep, d.QTemp, d.PLog) }),
	)
}

// optional is f's element when ok, else an empty slot.
func optional(ok bool, f func() app.UI) app.UI {
	if ok {
		return f()
	}
	return app.Elem("div").Class("slot")
}

// scaleLine says what each term receives from the reduction.
func (v *gradView) scaleLine() string {
	g, gr := &texts(v.ILang).Grad, v.IData.G
	s := show(gr.Scale)
	var line string
	switch gr.Options.Reduction {
	case compute.ReductionSum:
		line = fmt.Sprintf(g.ScaleSum, s)
	case compute.ReductionMean:
		line = fmt.Sprintf(g.ScaleMean, s, strconv.Itoa(numelOf(gr)))
	case compute.ReductionBatchMean:
		n := 1
		if len(gr.Input.Shape) > 0 {
			n = gr.Input.Shape[0]
		}
		line = fmt.Sprintf(g.ScaleBatch, s, strconv.Itoa(n))
	default:
		line = fmt.Sprintf(g.ScaleNone, s)
	}
	if v.IData.Factor != 1 {
		line += fmt.Sprintf(g.ScaleT2, compute.FormatFloat(v.IData.Factor))
	}
	return line
}

// numelOf is the number of elements of the broadcast output.
func numelOf(gr *compute.Gradient) int {
	shape, _ := compute.BroadcastShapes(gr.Input.Shape, gr.Target.Shape)
	return numel(shape)
}

func (v *gradView) onDownload(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if v.IData.G != nil {
		saveFile(ctx, "kl_div-gradients.csv", "text/csv", gradCSV(v.IData.G))
	}
}

// notes lists the special cases found, with where, and PyTorch 1.12's
// differences.
func (v *gradView) notes() app.UI {
	t := texts(v.ILang)
	g, gr := &t.Grad, v.IData.G
	type found struct {
		n   int
		pos []string
	}
	byNote := map[compute.GradNote]*found{}
	var order []compute.GradNote
	differ := 0
	add := func(what string, t compute.Tensor, notes []compute.GradNote) {
		c := max(lastDim(t.Shape), 1)
		for k, n := range notes {
			if n == compute.GradNoteNone {
				continue
			}
			if n.Differs112() {
				differ++
			}
			f := byNote[n]
			if f == nil {
				f = &found{}
				byNote[n] = f
				order = append(order, n)
			}
			f.n++
			if len(f.pos) < 3 {
				f.pos = append(f.pos, fmt.Sprintf("%s[%d, %d]", what, k/c+1, k%c+1))
			}
		}
	}
	add("input", gr.Input, gr.InputNotes)
	add("target", gr.Target, gr.TargetNotes)
	for _, lt := range []compute.Tensor{gr.QLogits, gr.PLogits} {
		if rows := nanRows(lt); rows > 0 {
			if byNote[compute.GradNoteRowSpread] == nil {
				byNote[compute.GradNoteRowSpread] = &found{}
				order = append(order, compute.GradNoteRowSpread)
			}
			byNote[compute.GradNoteRowSpread].n += rows
		}
	}
	if len(order) == 0 {
		return app.Elem("div").ID("grad-notes")
	}
	items := make([]app.UI, 0, len(order)+1)
	for _, n := range order {
		f := byNote[n]
		where := t.elements(f.n, n == compute.GradNoteRowSpread)
		if len(f.pos) > 0 {
			where += ": " + strings.Join(f.pos, ", ")
			if f.n > len(f.pos) {
				where += ", …"
			}
		}
		items = append(items, app.Elem("li").DataSet("note", n.String()).Text(g.gradNote(n, where)))
	}
	if differ > 0 {
		items = append(items, app.Elem("li").ID("grad-112").DataSet("count", differ).Text(fmt.Sprintf(g.Differs112, t.elements(differ, false))))
	}
	return app.Elem("ul").ID("grad-notes").Class("grad-notes").Body(items...)
}

// elements counts gradient elements, or rows, in the reader's language.
func (t *uiText) elements(n int, rows bool) string {
	if t.Chart.lang == langKO {
		if rows {
			return fmt.Sprintf("%d개 행", n)
		}
		return fmt.Sprintf("원소 %d개", n)
	}
	if rows {
		return plural(n, "row")
	}
	return plural(n, "element")
}

// nanRows counts the rows of t that hold a NaN.
func nanRows(t compute.Tensor) int {
	if t.Data == nil {
		return 0
	}
	n := 0
	for _, row := range t.Rows() {
		for _, x := range row {
			if math.IsNaN(x) {
				n++
				break
			}
		}
	}
	return n
}

// gradTable is one gradient as a table of its rows, each value in a cell
// with its data-value (Go's shortest round-trip text), and each row's
// norm. Up to gradShowMax values are drawn.
func gradTable(id, title string, t compute.Tensor, notes []compute.GradNote, l lang) app.UI {
	g := &texts(l).Grad
	rows := t.Rows()
	cols := lastDim(t.Shape)
	shown := min(len(t.Data), gradShowMax)
	norms := compute.RowNorms(t)
	trs := make([]app.UI, 0, len(rows)+1)
	if cols <= 12 {
		ths := []app.UI{app.Th().Text("")}
		for j := 0; j < cols; j++ {
			ths = append(ths, app.Th().Scope("col").Text("c"+strconv.Itoa(j+1)))
		}
		ths = append(ths, app.Th().Scope("col").Text(g.RowNorm))
		trs = append(trs, app.Tr().Body(ths...))
	}
	for i, row := range rows {
		if i*cols >= shown {
			break
		}
		tds := []app.UI{app.Th().Scope("row").Text(strconv.Itoa(i + 1))}
		for j, x := range row {
			k := i*cols + j
			if k >= shown {
				break
			}
			cls := "num " + specialClass(x)
			if notes != nil && notes[k] != compute.GradNoteNone {
				cls += " noted"
			}
			td := app.Td().Class(cls).DataSet("value", compute.FormatFloat(x)).Text(show(x))
			if notes != nil && notes[k] != compute.GradNoteNone {
				td = td.DataSet("note", notes[k].String())
			}
			tds = append(tds, td)
		}
		tds = append(tds, app.Td().Class("num norm").DataSet("norm", compute.FormatFloat(norms[i])).Text(show(norms[i])))
		trs = append(trs, app.Tr().Body(tds...))
	}
	return app.Elem("div").Class("grad-block").Body(
		app.H3().Text(title),
		app.Elem("div").Class("grad-scroll").Body(
			app.Table().ID(id).Class("grad-table").DataSet("shape", compute.ShapeString(t.Shape)).Body(app.TBody().Body(trs...)),
		),
		app.If(len(rows) > 1, app.Elem("p").Class("chart-note").Text(fmt.Sprintf(g.Norm, show(compute.Norm(t))))),
		app.If(shown < len(t.Data), app.Elem("p").Class("chart-note").Text(fmt.Sprintf(g.Shown, shown, len(t.Data)))),
	)
}

// charts draws the chart row's per-class gradient beside P − Q.
func (v *gradView) charts() app.UI {
	r, gr := v.IResult, v.IData.G
	if r == nil || r.Terms.Len() == 0 {
		return app.Elem("div").ID("grad-charts")
	}
	ct := &texts(v.ILang).Chart
	rows := chartRows(r)
	row := min(max(v.IRow, 0), rows-1)
	terms := rowTerms(r, row)
	diff := make([]float64, len(terms))
	for i, t := range terms {
		diff[i] = t.P - t.Q
	}
	name, src := "∂L/∂input", gr.Input
	if gr.QLogits.Data != nil {
		name, src = "∂L/∂logits", gr.QLogits
	}
	gradRows := src.Rows()
	grad := gradRows[min(row, len(gradRows)-1)]
	if len(grad) != len(diff) {
		diff = nil // a broadcast input: its gradient row sums several output rows
	}
	where := ""
	if rows > 1 {
		where = fmt.Sprintf(ct.Where, row+1)
	}
	return app.Elem("div").Body(
		app.If(rows > 1, v.rowPicker(ct, rows, row)),
		gradFigures(v.ILang, name, grad, diff, where),
	)
}

func (v *gradView) rowPicker(ct *chartText, rows, row int) app.UI {
	var field app.UI
	if rows <= maxRowOptions {
		field = app.Select().ID("grad-row").OnChange(v.onRow).Body(
			app.Range(make([]struct{}, rows)).Slice(func(i int) app.UI {
				return app.Option().Value(i + 1).Selected(i == row).Text(fmt.Sprintf(ct.RowN, i+1) + rowSuffix(v.IResult, i))
			}),
		)
	} else {
		field = app.Input().Type("number").ID("grad-row").Min(1).Max(rows).Step(1).Value(row + 1).OnChange(v.onRow)
	}
	return app.Elem("p").Class("chart-row").Body(app.Label().For("grad-row").Text(fmt.Sprintf(ct.RowDrawn, rows)), field)
}

func (v *gradView) onRow(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	n, err := strconv.Atoi(strings.TrimSpace(ctx.JSSrc().Get("value").String()))
	if err != nil || v.IResult == nil || v.IEditor == nil {
		return
	}
	v.IEditor.onChartRow(ctx, min(max(n-1, 0), chartRows(v.IResult)-1))
}
