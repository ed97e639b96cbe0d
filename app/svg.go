package app

// The SVG kit of the figures: the bar charts (chart.go) and the density
// plot (gaussplot.go) are drawn with the same elements, coordinates,
// scales and ticks.
//
// go-app sets the class attribute through the className property, which is
// read-only on SVG elements (go-app #919), so SVG elements are styled
// through a data attribute instead: data-c in the charts, data-g in the
// plot (web/calc.css, blocks "charts" and "gaussian mode"). Every element
// is created with XMLNS, or the browser makes it an unknown HTML element
// and draws nothing.

import (
	"math"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// svgNS is the namespace every SVG element must be created in: go-app calls
// document.createElementNS only for elements given XMLNS.
const svgNS = "http://www.w3.org/2000/svg"

// svgEl is an SVG element.
func svgEl(tag string) app.HTMLElem { return app.Elem(tag).XMLNS(svgNS) }

// svgRoot is the <svg> of a figure of w × h viewBox units drawn at the width
// of its container, named by label: its first child is a <title> (the hover
// text) repeating it.
func svgRoot(id, role, label string, w, h float64, body ...app.UI) app.HTMLElem {
	return svgEl("svg").ID(id).Attr("viewBox", "0 0 "+num(w)+" "+num(h)).
		Attr("width", "100%").Attr("preserveAspectRatio", "xMidYMid meet").
		// Sizes come from calc.css: the CSP forbids inline styles.
		Role(role).Aria("label", label).
		Body(append([]app.UI{svgEl("title").Text(label)}, body...)...)
}

// num writes a coordinate with at most 2 decimals, correctly rounded; it
// never writes NaN or ±Inf, which would make the browser drop the
// attribute, nor −0.
func num(x float64) string {
	if !isFinite(x) {
		return "0"
	}
	s := strconv.FormatFloat(x, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// svgKit draws the elements of one kind of figure.
type svgKit struct {
	// Data names the data attribute that styles the elements: "c" writes
	// data-c="kind".
	Data string
	// Paint strokes lines and fills text with currentColor, so that they
	// are drawn in the figure's CSS color where calc.css sets no other.
	Paint bool
}

// el is an SVG element styled as kind: data-<Data>="kind".
func (k svgKit) el(tag, kind string) app.HTMLElem { return svgEl(tag).DataSet(k.Data, kind) }

func (k svgKit) line(x1, y1, x2, y2 float64, kind string) app.HTMLElem {
	e := k.el("line", kind).Attr("x1", num(x1)).Attr("y1", num(y1)).Attr("x2", num(x2)).Attr("y2", num(y2))
	if k.Paint {
		e = e.Attr("stroke", "currentColor")
	}
	return e
}

// text is s with its anchor ("start", "middle" or "end") at x and its
// baseline at y.
func (k svgKit) text(x, y float64, anchor, kind, s string) app.HTMLElem {
	e := k.el("text", kind).Attr("x", num(x)).Attr("y", num(y)).Attr("text-anchor", anchor)
	if k.Paint {
		e = e.Attr("fill", "currentColor")
	}
	return e.Text(s)
}

// yTicks draws ticks along a vertical axis: at each, a line from x0 to x1
// (a gridline across the plot, or a tick mark) and its label ending at
// labelX, centred on the line.
func (k svgKit) yTicks(ticks []tickMark, x0, x1, labelX float64, kind string) []app.UI {
	ui := make([]app.UI, 0, 2*len(ticks))
	for _, t := range ticks {
		ui = append(ui, k.line(x0, t.Pos, x1, t.Pos, kind), k.text(labelX, t.Pos+4, "end", "tick", t.Label))
	}
	return ui
}

// xTicks draws ticks along a horizontal axis: at each, a line from y0 to
// y1 and its label centred under it, with its baseline at labelY.
func (k svgKit) xTicks(ticks []tickMark, y0, y1, labelY float64, kind string) []app.UI {
	ui := make([]app.UI, 0, 2*len(ticks))
	for _, t := range ticks {
		ui = append(ui, k.line(t.Pos, y0, t.Pos, y1, kind), k.text(t.Pos, labelY, "middle", "tick", t.Label))
	}
	return ui
}

// Scales.

// axis is a linear value scale from Lo to Hi, with Ticks the labelled
// values and Labels their text.
type axis struct {
	Lo, Hi float64
	Ticks  []float64
	Labels []string
}

// frac is the position of v on the axis: 0 at Lo, 1 at Hi, clamped to
// [0, 1]; NaN is 0.
func (a axis) frac(v float64) float64 {
	switch {
	case math.IsNaN(v) || v <= a.Lo:
		return 0
	case v >= a.Hi:
		return 1
	}
	var f float64
	if d := a.Hi - a.Lo; isFinite(d) {
		f = (v - a.Lo) / d
	} else { // the span overflows: halve everything
		f = (v/2 - a.Lo/2) / (a.Hi/2 - a.Lo/2)
	}
	if !(f >= 0) {
		return 0
	}
	return math.Min(f, 1)
}

// plotBox is the plotting area of a figure, in viewBox units: axes map
// values onto it left to right and bottom to top.
type plotBox struct {
	Left, Top    float64 // the top-left corner
	PlotW, PlotH float64
}

func (b plotBox) right() float64  { return b.Left + b.PlotW }
func (b plotBox) bottom() float64 { return b.Top + b.PlotH }

// x is the position of v on a horizontal axis a.
func (b plotBox) x(a axis, v float64) float64 { return b.Left + a.frac(v)*b.PlotW }

// y is the position of v on a vertical axis a.
func (b plotBox) y(a axis, v float64) float64 { return b.yAt(a.frac(v)) }

// yAt is the height f of the plot: the bottom at 0, the top at 1.
func (b plotBox) yAt(f float64) float64 { return b.bottom() - f*b.PlotH }

// tickMark is a labelled value of an axis, at Pos in viewBox units.
type tickMark struct {
	Pos   float64
	Label string
}

// marks are the ticks of a at the positions pos gives them: a plot box's
// x or y.
func (a axis) marks(pos func(axis, float64) float64) []tickMark {
	ms := make([]tickMark, len(a.Ticks))
	for i, t := range a.Ticks {
		ms[i] = tickMark{Pos: pos(a, t), Label: a.Labels[i]}
	}
	return ms
}

// Ticks.

// tickRule says which ticks an axis wants; see niceTicks.
type tickRule struct {
	// Cover asks for ticks that reach over [lo, hi], the first at or below
	// lo and the last at or above hi, for an axis drawn from tick to tick;
	// otherwise the ticks lie within [lo, hi], for an axis drawn over it.
	Cover bool
	Max   int // the most ticks, at least 3
	// Fits reports whether the labels keep clear of each other; nil
	// means they always do.
	Fits func(ticks []float64, labels []string) bool
}

// niceTicks returns the ticks of [lo, hi] for r: the multiples of a nice
// step, 1, 2, 2.5 or 5 × 10^k, labelled with the digits down to the step's
// last (tickLabel). Of the steps that give 3 to r.Max ticks whose labels
// fit, it takes the one whose ticks come closest to spanning [lo, hi] (the
// tightest cover, or the widest within), and of equally close ones the one
// with the most ticks.
//
// Within [lo, hi], when no step suits, it takes by the same rule 2 ticks
// of a step, or every other tick of a step (at least 2): the multiples of
// twice the step, or when they are fewer than 2 the others. The labels of
// 1000000.002 by 0.002 do not fit where 1000000.004 by 0.004 do.
//
// It returns nil when lo < hi does not hold, lo or hi is not finite, or no
// step suits (none fits in float64, or none fits the labels).
func niceTicks(lo, hi float64, r tickRule) ([]float64, []string) {
	if !(lo < hi) || !isFinite(lo) || !isFinite(hi) {
		return nil, nil
	}
	e0 := 0 // the decimal exponent of hi − lo
	if span := hi - lo; isFinite(span) {
		e0 = int(math.Floor(math.Log10(span)))
	} else {
		e0 = int(math.Floor(math.Log10(hi/2-lo/2) + math.Log10(2)))
	}
	var best, fallback tickChoice
	// Steps from at most (hi − lo)/100 to over 5·(hi − lo).
	for e := e0 - 2; e <= e0+1; e++ {
		for _, m := range [...]float64{1, 2, 2.5, 5} {
			last := e // the step's last digit is 10^last
			if m == 2.5 {
				last--
			}
			ticks := stepTicks(lo, hi, m, e, r.Cover, r.Max)
			if len(ticks) >= 3 {
				best.consider(ticks, last, r)
			}
			if !r.Cover {
				if len(ticks) == 2 {
					fallback.consider(ticks, last, r)
				}
				fallback.consider(thinTicks(stepTicks(lo, hi, m, e, false, 2*r.Max), tickValue(1, m, e)), last, r)
			}
		}
	}
	if best.ticks == nil {
		return fallback.ticks, fallback.labels
	}
	return best.ticks, best.labels
}

// tickChoice is the best ticks of niceTicks so far.
type tickChoice struct {
	ticks  []float64
	labels []string
	span   float64
}

// consider takes 2 or more ticks, labelled to 10^last, when they suit r
// and come closer to spanning the range, or as close with more ticks.
func (c *tickChoice) consider(ticks []float64, last int, r tickRule) {
	n := len(ticks)
	if n < 2 || n > r.Max {
		return
	}
	labels := tickLabels(ticks, last)
	if r.Fits != nil && !r.Fits(ticks, labels) {
		return
	}
	span := ticks[n-1]/2 - ticks[0]/2 // halved: no overflow
	closer := span < c.span
	if !r.Cover {
		closer = span > c.span
	}
	if c.ticks == nil || closer || span == c.span && n > len(c.ticks) {
		*c = tickChoice{ticks: ticks, labels: labels, span: span}
	}
}

// thinTicks returns every other tick of step: the multiples of twice the
// step, or when they are fewer than 2 the others.
func thinTicks(ticks []float64, step float64) []float64 {
	var even, odd []float64
	for _, t := range ticks {
		if math.Mod(math.Round(t/step), 2) == 0 {
			even = append(even, t)
		} else {
			odd = append(odd, t)
		}
	}
	if len(even) < 2 {
		return odd
	}
	return even
}

// stepTicks returns the multiples of m·10^e that cover [lo, hi] or lie
// within it, or nil when they are more than most or are not distinct
// finite numbers.
func stepTicks(lo, hi, m float64, e int, cover bool, most int) []float64 {
	step := tickValue(1, m, e)
	if !(step > 0) || !isFinite(step) {
		return nil
	}
	kLo, kHi := math.Floor(lo/step), math.Ceil(hi/step)
	if !(kHi-kLo < float64(most)+2) { // also for NaN
		return nil
	}
	ticks := make([]float64, 0, int(kHi-kLo)+1)
	for k := kLo; k <= kHi; k++ {
		// Within [lo, hi]: the covering ticks inside it, as lo/step and
		// hi/step are rounded and their ceiling and floor could miss an end.
		if v := tickValue(k, m, e) + 0; cover || lo <= v && v <= hi { // +0: no −0 tick
			ticks = append(ticks, v)
		}
	}
	if len(ticks) > most || !increasing(ticks) || cover && (ticks[0] > lo || ticks[len(ticks)-1] < hi) {
		return nil
	}
	return ticks
}

// tickValue is k·m·10^e, dividing by 10^−e for negative e so that 0.1-spaced
// ticks come out as 0.3 rather than 0.30000000000000004.
func tickValue(k, m float64, e int) float64 {
	if e >= 0 || e < -300 { // 10^−e would overflow
		return k * m * math.Pow10(e)
	}
	return k * m / math.Pow10(-e)
}

func tickLabels(ticks []float64, last int) []string {
	labels := make([]string, len(ticks))
	for i, t := range ticks {
		labels[i] = tickLabel(t, last)
	}
	return labels
}

// tickLabel writes a tick of an axis whose step's last digit is 10^last:
// with the digits down to that one, and otherwise as show writes numbers
// (a typographic minus; exponent form for 10^6 and up, or below 10^−4,
// unless the digits need more: 1000000.004, not 1e+06).
func tickLabel(v float64, last int) string {
	if v == 0 || !isFinite(v) {
		return show(v)
	}
	// The decimal exponent of v, from its shortest form: math.Log10 may
	// round 1000 to just below 3.
	s := strconv.FormatFloat(v, 'e', -1, 64)
	d, _ := strconv.Atoi(s[strings.IndexByte(s, 'e')+1:])
	prec := min(max(d-last+1, min(d+1, 6), 1), 17)
	s = strconv.FormatFloat(v, 'g', prec, 64)
	if s[0] == '-' {
		s = "−" + s[1:] // U+2212, as show writes it
	}
	return s
}

// increasing reports whether v holds finite numbers in increasing order.
func increasing(v []float64) bool {
	for i, x := range v {
		if !isFinite(x) || i > 0 && !(x > v[i-1]) {
			return false
		}
	}
	return true
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
