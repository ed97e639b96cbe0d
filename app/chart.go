package app

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

const (
	// maxChartClasses bounds the classes drawn per chart, so that 10 000
	// classes do not put 30 000 elements in the page.
	maxChartClasses = 60
	// maxRowOptions is the most rows offered in a <select>; beyond it the
	// row is typed into a number field.
	maxRowOptions = 200
)

// chartView draws one output row as two inline SVG bar charts: P and Q per
// class (#chart-pq), and the signed term of each class (#chart-terms).
//
// go-app sets the class attribute through the className property, which is
// read-only on SVG elements (go-app #919), so the SVG elements are styled
// through data-c attributes instead (web/calc.css, block "charts"; the kit
// is in svg.go).
type chartView struct {
	app.Compo

	IResult *compute.Result
	IRow    int // the output row drawn (0-based); the parent owns the choice
	ILang   lang
	IPicker chartRowPicker // told when the reader picks another row
}

func newChartView() *chartView { return &chartView{} }

func (c *chartView) Lang(l lang) *chartView { c.ILang = l; return c }

func (c *chartView) Result(r *compute.Result) *chartView { c.IResult = r; return c }
func (c *chartView) Row(i int) *chartView                { c.IRow = i; return c }
func (c *chartView) Picker(p chartRowPicker) *chartView  { c.IPicker = p; return c }

func (c *chartView) onRow(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	n, err := strconv.Atoi(strings.TrimSpace(ctx.JSSrc().Get("value").String()))
	if err != nil || c.IResult == nil {
		return
	}
	if c.IPicker != nil {
		c.IPicker.onChartRow(ctx, min(max(n-1, 0), chartRows(c.IResult)-1))
	}
}

func (c *chartView) Render() (ui app.UI) {
	defer recoverRender(&ui)
	r := c.IResult
	if r == nil || r.Terms.Len() == 0 {
		return app.Elem("section").Class("charts")
	}
	rows := chartRows(r)
	row := min(max(c.IRow, 0), rows-1)
	all := rowTerms(r, row)
	shown := all[:min(len(all), maxChartClasses)]
	ct := &texts(c.ILang).Chart
	where := ""
	if rows > 1 {
		where = fmt.Sprintf(ct.Where, row+1)
	}
	return app.Elem("section").Class("charts").Aria("labelledby", "charts-heading").Body(
		app.Elem("h2").ID("charts-heading").Text(ct.Heading),
		app.If(rows > 1, c.rowPicker(ct, rows, row)),
		app.If(len(shown) < len(all), app.Elem("p").Class("chart-note").ID("chart-note").Text(hiddenNote(ct, all, len(shown)))),
		pqFigure(ct, shown, where),
		termsFigure(ct, shown, where),
		app.Elem("div").Class("downloads").Body(
			c.saveButton("chart-pq", "svg", ct.SavePQ+" · SVG"), c.saveButton("chart-pq", "png", ct.SavePQ+" · PNG"),
			c.saveButton("chart-terms", "svg", ct.SaveTerms+" · SVG"), c.saveButton("chart-terms", "png", ct.SaveTerms+" · PNG"),
		),
	)
}

// saveButton downloads the chart with the given id in format.
func (c *chartView) saveButton(chart, format, label string) app.UI {
	return app.Button().Type("button").ID("save-"+chart+"-"+format).Text("⤓ "+label).OnClick(c.onSave, chart, format)
}

func (c *chartView) onSave(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	id := strings.TrimPrefix(ctx.JSSrc().Get("id").String(), "save-")
	chart, format, _ := strings.Cut(id[len("chart-"):], "-")
	if format == "png" {
		saveChartPNG(ctx, "chart-"+chart)
	} else {
		saveChartSVG(ctx, "chart-"+chart)
	}
}

func (c *chartView) rowPicker(ct *chartText, rows, row int) app.UI {
	var field app.UI
	if rows <= maxRowOptions {
		field = app.Select().ID("chart-row").OnChange(c.onRow).Body(
			app.Range(make([]struct{}, rows)).Slice(func(i int) app.UI {
				return app.Option().Value(i + 1).Selected(i == row).Text(fmt.Sprintf(ct.RowN, i+1) + rowSuffix(c.IResult, i))
			}),
		)
	} else {
		field = app.Input().Type("number").ID("chart-row").Min(1).Max(rows).Step(1).
			Value(row + 1).OnChange(c.onRow)
	}
	return app.Elem("p").Class("chart-row").Body(
		app.Label().For("chart-row").Text(fmt.Sprintf(ct.RowDrawn, rows)),
		field,
	)
}

// chartRows is the number of output rows: 1 for 0-D and 1-D results.
func chartRows(r *compute.Result) int { return max(len(r.RowSums), 1) }

// rowTerms returns the terms of one output row, in class order.
func rowTerms(r *compute.Result, row int) []compute.Term {
	rows := chartRows(r)
	if cols := r.Terms.Len() / rows; cols*rows == r.Terms.Len() && r.Terms.At(row*cols).Row == row {
		return r.Terms.Slice(row*cols, (row+1)*cols)
	}
	var ts []compute.Term
	for _, t := range r.Terms.All() {
		if t.Row == row {
			ts = append(ts, t)
		}
	}
	return ts
}

// hiddenNote says which classes are drawn and how many special terms are not.
func hiddenNote(ct *chartText, all []compute.Term, shown int) string {
	s := fmt.Sprintf(ct.Shown, shown, len(all))
	special := 0
	for _, t := range all[shown:] {
		if math.IsNaN(t.Value) || math.IsInf(t.Value, 0) {
			special++
		}
	}
	if special > 0 {
		s += fmt.Sprintf(ct.NotDrawn, ct.count(special, "term"))
	}
	return s + ct.SeeBreakdown
}

// Scale.

// niceAxis returns an axis covering [lo, hi] and 0, with 3 to 5 ticks spaced
// by 1, 2, 2.5 or 5 × 10^k: the tightest such axis, with the most ticks among
// equally tight ones (niceTicks).
//
// Special cases are:
//
//	lo or hi not finite: the axis of [0, 1]
//	lo = hi = 0: the axis of [0, 1]
//	no nice spacing fits in float64 (|lo| or |hi| near 1.8e308, or
//	subnormal): the ticks lo, (lo+hi)/2, hi without rounding (lo, hi,
//	2hi−lo when there is no float64 between lo and hi)
func niceAxis(lo, hi float64) axis {
	if !isFinite(lo) || !isFinite(hi) {
		lo, hi = 0, 1
	}
	lo, hi = min(lo, hi, 0), max(lo, hi, 0)
	if lo == hi {
		hi = 1
	}
	ticks, labels := niceTicks(lo, hi, tickRule{Cover: true, Max: 5})
	if ticks == nil {
		mid := lo + (hi-lo)/2
		if !isFinite(mid) {
			mid = lo/2 + hi/2
		}
		ticks = []float64{lo, mid, hi}
		if !(lo < mid && mid < hi) { // no float64 between: a subnormal range
			ticks = []float64{lo, hi, hi + (hi - lo)}
		}
		labels = []string{show(ticks[0]), show(ticks[1]), show(ticks[2])}
	}
	return axis{Lo: ticks[0], Hi: ticks[len(ticks)-1], Ticks: ticks, Labels: labels}
}

// Geometry.

// frame is the layout of one chart in viewBox units.
type frame struct {
	W, H    float64    // the viewBox
	plotBox            // the plot in it
	N       int        // classes
	Text    *chartText // labels; nil means English
}

// text returns the labels of the chart's language.
func (f frame) text() *chartText {
	if f.Text == nil {
		return &texts(langEN).Chart
	}
	return f.Text
}

func (f frame) slot() float64 { return f.PlotW / float64(f.N) }

// newFrame lays out n classes of pref units each (at most; the chart is
// 360 to 720 units wide), leaving room at the left for the tick labels.
// The svg is drawn at most 1.25 px per unit and scrolls below 0.55 px per
// unit, where 11-unit text would be unreadable.
func newFrame(n int, pref, height, top, bottom float64, a axis) frame {
	n = max(n, 1)
	widest := 0
	for _, l := range a.Labels {
		widest = max(widest, utf8.RuneCountInString(l))
	}
	left := math.Max(34, 12+6.5*float64(widest))
	const right = 8
	w := math.Min(math.Max(left+right+float64(n)*pref, 360), 720)
	return frame{W: w, H: height, plotBox: plotBox{Left: left, Top: top, PlotW: w - left - right, PlotH: height - top - bottom}, N: n}
}

// labelEvery is the spacing of the class labels: every k-th class, k in
// 1, 2, 5, 10, 20, 50, so that labels are at least 24 units apart.
func labelEvery(slot float64) int {
	for _, k := range []int{1, 2, 5, 10, 20, 50} {
		if float64(k)*slot >= 24 {
			return k
		}
	}
	return 100
}

// bar is one drawn value: its rectangle, the full-height column that takes
// hover and focus, and an optional marker for a value off the scale.
type bar struct {
	Class  int // 0-based
	Value  float64
	Kind   string // data-c tokens: "bar bar-p|bar-q [clamped]", "bar bar-pos|bar-neg [inf]", "bar bar-nan nan"
	Label  string // aria-label and <title>
	X, Y   float64
	W, H   float64
	HitY   float64 // the column: X, HitY, W, HitH
	HitH   float64
	Mark   string // "", "∞", "−∞", "NaN", "<0"
	MarkC  string // data-c of the marker: "mark mark-inf", "mark mark-nan"
	MX, MY float64
	MRot   bool // marker written along the bar, for narrow bars
	MDown  bool // the marker is below the bar (read downwards when MRot)
}

// stubH is the height of the outlined stub drawn for a value that has no
// place on the scale (NaN, or a negative probability).
const stubH = 6

// pqBars lays out P and Q side by side per class on an axis from 0 up.
// +∞ reaches the top edge; NaN and negative values are clamped to 0 and
// drawn as a stub; all three are marked.
func pqBars(ts []compute.Term, f frame, a axis) []bar {
	slot := f.slot()
	w := slot * 0.38
	base := f.y(a, 0)
	bars := make([]bar, 0, 2*len(ts))
	for i, t := range ts {
		for j, s := range [2]struct {
			name, kind string
			v, other   float64
			oname      string
		}{{"p", "bar bar-p", t.P, t.Q, "q"}, {"q", "bar bar-q", t.Q, t.P, "p"}} {
			b := bar{Class: i, Value: s.v, Kind: s.kind, X: f.Left + float64(i)*slot + slot*(0.1+0.42*float64(j)), W: w,
				HitY: f.Top, HitH: f.PlotH}
			b.Label = fmt.Sprintf(f.text().ClassPQ, i+1, s.name, show(s.v), s.oname, show(s.other))
			cx := b.X + w/2
			switch {
			case math.IsInf(s.v, 1):
				b.Y, b.H = f.Top, base-f.Top
				b.Kind += " clamped"
				b.Mark, b.MarkC, b.MX, b.MY = "∞", "mark mark-inf", cx, f.Top-5
				b.Label += " (+∞: drawn to the top)"
			case math.IsNaN(s.v) || s.v < 0:
				b.Y, b.H = base-stubH, stubH
				b.Kind += " clamped"
				b.MX, b.MY = cx, base-stubH-4
				b.MRot = w < 14
				switch {
				case math.IsNaN(s.v):
					b.Mark, b.MarkC = "NaN", "mark mark-nan"
					b.Label += " (NaN: not on the scale)"
				case math.IsInf(s.v, -1):
					b.Mark, b.MarkC = "−∞", "mark mark-inf"
					b.Label += " (negative: drawn at 0)"
				default:
					b.Mark, b.MarkC = "<0", "mark mark-inf"
					b.Label += " (negative: drawn at 0)"
				}
			default:
				b.Y = f.y(a, s.v)
				b.H = base - b.Y
			}
			bars = append(bars, b)
		}
	}
	return bars
}

// termsAxis is the axis of the finite terms, with room for the bars of
// the infinite ones: +∞ needs a top above 0, −∞ a bottom below it.
func termsAxis(ts []compute.Term) axis {
	lo, hi := 0.0, 0.0
	pinf, ninf := false, false
	for _, t := range ts {
		switch v := t.Value; {
		case math.IsInf(v, 1):
			pinf = true
		case math.IsInf(v, -1):
			ninf = true
		case isFinite(v):
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if pinf && hi == 0 { // as much room above 0 as below, or 1
		hi = cmp.Or(-lo, 1)
	}
	if ninf && lo == 0 {
		lo = -cmp.Or(hi, 1)
	}
	return niceAxis(lo, hi)
}

// pqAxis is the axis from 0 to the largest finite P or Q.
func pqAxis(ts []compute.Term) axis {
	hi := 0.0
	for _, t := range ts {
		for _, v := range [2]float64{t.P, t.Q} {
			if isFinite(v) {
				hi = math.Max(hi, v)
			}
		}
	}
	return niceAxis(0, hi)
}

// termBars lays out one bar per class from the zero line: up for positive
// terms, down for negative ones. ±∞ reach the top or bottom edge; NaN is a
// stub across the zero line. All three are marked (signedBars).
func termBars(ts []compute.Term, f frame, a axis) []bar {
	vals := make([]float64, len(ts))
	for i, t := range ts {
		vals[i] = t.Value
	}
	return signedBars(vals, f, a, func(i int, v float64) string {
		t := ts[i]
		note := fmt.Sprintf("p = %s, q = %s", show(t.P), show(t.Q))
		if t.Special != compute.SpecialNone {
			note += "; " + f.text().Special(t.Special)
		}
		return fmt.Sprintf(f.text().ClassTerm, i+1, show(v), note)
	})
}

// signedBars lays out one bar per value from the zero line: up for
// positive values, down for negative ones. ±∞ reach the top or bottom
// edge; NaN is a stub across the zero line, marked on the side with more
// room. label writes each bar's aria-label.
func signedBars(vals []float64, f frame, a axis, label func(i int, v float64) string) []bar {
	slot := f.slot()
	w := slot * 0.6
	zero := f.y(a, 0)
	bars := make([]bar, 0, len(vals))
	for i, v := range vals {
		b := bar{Class: i, Value: v, Kind: "bar bar-pos", X: f.Left + float64(i)*slot + slot*0.2, W: w,
			HitY: f.Top, HitH: f.PlotH, Label: label(i, v)}
		cx := b.X + w/2
		switch {
		case math.IsInf(v, 1):
			b.Y, b.H = f.Top, zero-f.Top
			b.Kind += " inf"
			b.Mark, b.MarkC, b.MX, b.MY = "∞", "mark mark-inf", cx, f.Top-5
		case math.IsInf(v, -1):
			b.Y, b.H = zero, f.bottom()-zero
			b.Kind = "bar bar-neg inf"
			b.Mark, b.MarkC, b.MX, b.MY = "−∞", "mark mark-inf", cx, f.bottom()+13
		case math.IsNaN(v):
			b.Y = math.Min(math.Max(zero-stubH/2, f.Top), f.bottom()-stubH)
			b.H = stubH
			b.Kind = "bar bar-nan nan"
			b.Mark, b.MarkC, b.MX = "NaN", "mark mark-nan", cx
			b.MRot = w < 14
			// The marker goes on the side of the zero line with more room.
			b.MDown = zero-f.Top < f.bottom()-zero
			switch {
			case !b.MDown:
				b.MY = b.Y - 4
			case b.MRot:
				b.MY = b.Y + stubH + 4
			default:
				b.MY = b.Y + stubH + 12
			}
		case v < 0:
			b.Kind = "bar bar-neg"
			b.Y = zero
			b.H = f.y(a, v) - zero
		default:
			b.Y = f.y(a, v)
			b.H = zero - b.Y
		}
		bars = append(bars, b)
	}
	return bars
}

// Rendering.

// chartSVG draws the charts' elements, styled through data-c (calc.css,
// block "charts").
func chartSVG() svgKit { return svgKit{Data: "c"} }

// svgChart is the <svg> element with its title, y-axis and gridlines and
// class labels; body holds the bars.
func svgChart(id, label string, f frame, a axis, labelY float64, body []app.UI) app.UI {
	k := chartSVG()
	ui := k.yTicks(a.marks(f.y), f.Left, f.right(), f.Left-6, "grid")
	ui = append(ui, k.line(f.Left, f.Top, f.Left, f.bottom(), "axis"))
	if a.Lo < 0 {
		z := f.y(a, 0)
		ui = append(ui, k.line(f.Left, z, f.right(), z, "zero"))
	} else {
		ui = append(ui, k.line(f.Left, f.bottom(), f.right(), f.bottom(), "axis"))
	}
	slot := f.slot()
	every := labelEvery(slot)
	for i := 0; i < f.N; i++ {
		if i == 0 || (i+1)%every == 0 {
			ui = append(ui, k.text(f.Left+(float64(i)+0.5)*slot, labelY, "middle", "class", fmt.Sprintf("c%d", i+1)))
		}
	}
	ui = append(ui, body...)
	return svgRoot(id, "group", label, f.W, f.H, ui...)
}

// barUI is one focusable bar: <g tabindex=0 role=img aria-label> holding a
// <title> (the hover text), the column that shows hover and focus, the bar
// and its marker.
func barUI(b bar) app.UI {
	k := chartSVG()
	var mark app.UI
	if b.Mark != "" {
		t := k.text(b.MX, b.MY, "middle", b.MarkC, b.Mark)
		if b.MRot {
			anchor := "start" // from MX, MY upwards
			if b.MDown {
				anchor = "end"
			}
			t = t.Attr("text-anchor", anchor).Attr("transform", "rotate(-90 "+num(b.MX)+" "+num(b.MY)+")").
				Attr("dy", "0.35em")
		}
		mark = t
	}
	return k.el("g", b.Kind).TabIndex(0).Role("img").Aria("label", b.Label).Body(
		svgEl("title").Text(b.Label),
		k.el("rect", "hit").Attr("fill", "transparent").
			Attr("x", num(b.X)).Attr("y", num(b.HitY)).Attr("width", num(b.W)).Attr("height", num(b.HitH)),
		k.el("rect", "fill").
			Attr("x", num(b.X)).Attr("y", num(b.Y)).Attr("width", num(b.W)).Attr("height", num(math.Max(b.H, 0))),
		mark,
	)
}

func barsUI(bars []bar) []app.UI {
	ui := make([]app.UI, len(bars))
	for i, b := range bars {
		ui[i] = barUI(b)
	}
	return ui
}

func countMarks(bars []bar, mark ...string) int {
	n := 0
	for _, b := range bars {
		for _, m := range mark {
			if b.Mark == m {
				n++
			}
		}
	}
	return n
}

func pqFigure(ct *chartText, ts []compute.Term, where string) app.UI {
	a := pqAxis(ts)
	f := newFrame(len(ts), 44, 220, 18, 24, a)
	f.Text = ct
	bars := pqBars(ts, f, a)
	label := fmt.Sprintf(ct.PQLabel, where, len(ts), show(a.Lo), show(a.Hi))
	if n := countMarks(bars, "∞", "NaN", "<0", "−∞"); n > 0 {
		label += fmt.Sprintf(ct.OffScale, ct.count(n, "value"))
	}
	return app.Elem("figure").Class("chart").Body(
		app.Elem("figcaption").Body(
			app.Elem("span").Class("chart-title").Text(ct.PQTitle+where),
			app.Elem("ul").Class("chart-legend").Body(
				legendItem("swatch-p", ct.LegendP),
				legendItem("swatch-q", ct.LegendQ),
				app.If(countMarks(bars, "∞", "NaN", "<0", "−∞") > 0,
					legendItem("swatch-clamped", ct.LegendClamped)),
			),
		),
		app.Elem("div").Class("chart-wrap").Body(svgChart("chart-pq", label, f, a, f.bottom()+16, barsUI(bars))),
	)
}

func termsFigure(ct *chartText, ts []compute.Term, where string) app.UI {
	a := termsAxis(ts)
	f := newFrame(len(ts), 30, 240, 18, 36, a)
	f.Text = ct
	bars := termBars(ts, f, a)
	label := fmt.Sprintf(ct.TermsLabel, where, len(ts), show(a.Lo), show(a.Hi))
	inf, nan := countMarks(bars, "∞", "−∞"), countMarks(bars, "NaN")
	if inf > 0 {
		label += fmt.Sprintf(ct.InfTerms, ct.count(inf, "infinite term"))
	}
	if nan > 0 {
		label += fmt.Sprintf(ct.NaNTerms, ct.count(nan, "NaN term"))
	}
	return app.Elem("figure").Class("chart").Body(
		app.Elem("figcaption").Body(
			app.Elem("span").Class("chart-title").Text(ct.TermsTitle+where),
			app.Elem("ul").Class("chart-legend").Body(
				legendItem("swatch-pos", ct.LegendPos),
				legendItem("swatch-neg", ct.LegendNeg),
				app.If(inf > 0, legendItem("swatch-inf", ct.LegendInf)),
				app.If(nan > 0, legendItem("swatch-nan", "NaN")),
			),
		),
		app.Elem("div").Class("chart-wrap").Body(svgChart("chart-terms", label, f, a, f.bottom()+28, barsUI(bars))),
	)
}

// plural is "1 term", "2 terms".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func legendItem(swatch, text string) app.UI {
	return app.Elem("li").Body(app.Elem("span").Class("swatch "+swatch).Aria("hidden", "true"), app.Text(text))
}
