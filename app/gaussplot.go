package app

// The density plot of the univariate Gaussian case: an inline SVG of the
// densities of p and q.
//
// go-app sets the class attribute through the className property, which is
// read-only on SVG elements (go-app #919), so the SVG elements are styled
// through data-g attributes (web/calc.css, block "gaussian mode"). Every
// element is created with XMLNS, or the browser makes it an unknown HTML
// element and draws nothing.

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Layout of the plot, in viewBox units. The viewBox is scaled to the
// figure's width: on a 360-px phone the figure is about 300 px wide, one
// unit is about 0.85 px and the 14-unit labels (web/calc.css) are 12 px.
const (
	gaussPlotW, gaussPlotH   = 360.0, 220.0
	gaussPlotLeft            = 46.0 // room for the density ticks
	gaussPlotRight           = 14.0
	gaussPlotTop             = 30.0 // room for the legend
	gaussPlotBottom          = 28.0 // room for the x ticks
	gaussPlotSamples         = 160  // evenly spaced points per curve
	gaussPlotCharW           = 8.0  // approximate width of a 14-unit label character
	gaussPlotInnerW          = gaussPlotW - gaussPlotLeft - gaussPlotRight
	gaussPlotInnerH          = gaussPlotH - gaussPlotTop - gaussPlotBottom
	gaussPlotBaseline        = gaussPlotTop + gaussPlotInnerH
	gaussPlotMinRelativeSpan = 1e-9 // narrower ranges are lost to rounding
)

// gaussTick is a labelled value on an axis, at Pos in viewBox units.
type gaussTick struct {
	Pos   float64
	Label string
}

// gaussPlotGeom is the geometry of the plot in viewBox units: every number
// in it is finite.
type gaussPlotGeom struct {
	Lo, Hi float64     // the x range: μ ± 4σ of both distributions
	P, Q   string      // path data of the densities
	XTicks []gaussTick // x positions
	YTicks []gaussTick // y positions; the top one is at most the peak
}

// gaussPlotGeometry lays out the densities of p and q over μ ± 4σ of both,
// scaled so that the higher peak touches the top. It reports false when
// the plot cannot be drawn: a parameter is not finite, σ ≤ 0, or the range
// is too narrow for its magnitude to be resolved in float64.
func gaussPlotGeometry(p, q compute.Normal) (gaussPlotGeom, bool) {
	for _, x := range []float64{p.Mu, p.Sigma, q.Mu, q.Sigma} {
		if !isFinite(x) {
			return gaussPlotGeom{}, false
		}
	}
	if !(p.Sigma > 0) || !(q.Sigma > 0) {
		return gaussPlotGeom{}, false
	}
	lo := math.Min(p.Mu-4*p.Sigma, q.Mu-4*q.Sigma)
	hi := math.Max(p.Mu+4*p.Sigma, q.Mu+4*q.Sigma)
	span := hi - lo
	if !isFinite(lo) || !isFinite(hi) || !isFinite(span) ||
		!(span > gaussPlotMinRelativeSpan*math.Max(math.Abs(lo), math.Abs(hi))) {
		return gaussPlotGeom{}, false
	}
	g := gaussPlotGeom{Lo: lo, Hi: hi}
	xPos := func(x float64) float64 { return gaussPlotLeft + (x-lo)/span*gaussPlotInnerW }
	sMin := math.Min(p.Sigma, q.Sigma)
	g.P = gaussCurve(p, sMin, lo, hi, xPos)
	g.Q = gaussCurve(q, sMin, lo, hi, xPos)

	for _, v := range gaussNiceTicks(lo, hi, gaussPlotInnerW) {
		g.XTicks = append(g.XTicks, gaussTick{Pos: xPos(v.value), Label: v.label})
	}
	// The peak density 1/(σ√(2π)) overflows for σ below about 1e-308;
	// the curves are drawn relative to it, so only the labels are lost.
	if peak := 1 / (sMin * math.Sqrt(2*math.Pi)); isFinite(peak) {
		for _, v := range gaussNiceTicks(0, peak, gaussPlotInnerH*2) {
			y := gaussPlotBaseline - v.value/peak*gaussPlotInnerH
			if isFinite(y) {
				g.YTicks = append(g.YTicks, gaussTick{Pos: y, Label: v.label})
			}
		}
	}
	return g, true
}

// gaussCurve is the path of n's density relative to the peak of a normal
// of standard deviation sMin: (sMin/σ)·exp(−½((x−μ)/σ)²), which lies in
// [0, 1] and never overflows. Beyond the evenly spaced samples it goes
// through μ and μ ± kσ, so a peak narrower than the spacing is still drawn.
func gaussCurve(n compute.Normal, sMin, lo, hi float64, xPos func(float64) float64) string {
	xs := make([]float64, 0, gaussPlotSamples+16)
	for i := range gaussPlotSamples + 1 {
		xs = append(xs, lo+(hi-lo)*float64(i)/gaussPlotSamples)
	}
	for _, k := range []float64{0, 0.25, 0.5, 1, 1.5, 2, 3} {
		for _, x := range []float64{n.Mu - k*n.Sigma, n.Mu + k*n.Sigma} {
			if x >= lo && x <= hi {
				xs = append(xs, x)
			}
		}
	}
	slices.Sort(xs)
	xs = slices.Compact(xs)
	scale := sMin / n.Sigma
	var b strings.Builder
	for i, x := range xs {
		z := (x - n.Mu) / n.Sigma
		h := scale * math.Exp(-0.5*z*z)
		if i == 0 {
			b.WriteByte('M')
		} else {
			b.WriteString(" L")
		}
		b.WriteString(gaussNum(xPos(x)))
		b.WriteByte(' ')
		b.WriteString(gaussNum(gaussPlotBaseline - h*gaussPlotInnerH))
	}
	return b.String()
}

// gaussNum formats a coordinate with two decimals.
func gaussNum(x float64) string {
	s := strconv.FormatFloat(x, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

// gaussTickValue is a tick's value and label.
type gaussTickValue struct {
	value float64
	label string
}

// gaussNiceTicks returns the multiples of a nice step (1, 2 or 5 × 10^k)
// in [lo, hi], about one per 80 units of length, fewer when the labels
// would touch. It requires finite lo < hi.
func gaussNiceTicks(lo, hi, length float64) []gaussTickValue {
	raw := (hi - lo) / math.Max(2, math.Floor(length/80))
	e := int(math.Floor(math.Log10(raw)))
	m := raw / math.Pow(10, float64(e))
	switch {
	case m < 1.5:
		m = 1
	case m < 3:
		m = 2
	case m < 7:
		m = 5
	default:
		m, e = 1, e+1
	}
	var prev []gaussTickValue
	for range 8 { // widen the step until the labels fit
		ticks := gaussTicksAt(lo, hi, m, e)
		if len(ticks) < 2 && len(prev) >= 3 {
			// The wider step leaves one tick: keep every other one of
			// the previous step instead.
			var thin []gaussTickValue
			for i := 0; i < len(prev); i += 2 {
				thin = append(thin, prev[i])
			}
			return thin
		}
		if len(ticks) <= 2 || gaussTicksFit(ticks, hi-lo, length) {
			return ticks
		}
		prev = ticks
		switch m {
		case 1:
			m = 2
		case 2:
			m = 5
		default:
			m, e = 1, e+1
		}
	}
	return nil
}

// gaussTicksAt returns k·m·10^e for the integers k with the value in
// [lo, hi], at most 50.
func gaussTicksAt(lo, hi, m float64, e int) []gaussTickValue {
	val := func(k float64) float64 {
		if e >= 0 || e < -300 { // 10^−e would overflow
			return k * m * math.Pow10(e)
		}
		return k * m / math.Pow10(-e) // 0.3, not 0.30000000000000004
	}
	step := val(1)
	if !(step > 0) || !isFinite(step) {
		return nil
	}
	var ticks []gaussTickValue
	for k := math.Ceil(lo / step); len(ticks) < 50; k++ {
		v := val(k) + 0 // +0: no −0
		if v > hi || !isFinite(v) {
			break
		}
		if v < lo {
			continue
		}
		ticks = append(ticks, gaussTickValue{value: v, label: gaussTickLabel(v, e)})
	}
	return ticks
}

// gaussTickLabel formats a tick with the digits down to 10^e.
func gaussTickLabel(v float64, e int) string {
	if v == 0 {
		return "0"
	}
	prec := min(max(int(math.Floor(math.Log10(math.Abs(v))))-e+1, 1), 17)
	s := strconv.FormatFloat(v, 'g', prec, 64)
	if s[0] == '-' {
		s = "−" + s[1:]
	}
	return s
}

// gaussTicksFit reports whether neighbouring labels keep clear of each
// other along an axis of the given length.
func gaussTicksFit(ticks []gaussTickValue, span, length float64) bool {
	gap := (ticks[1].value - ticks[0].value) / span * length
	for _, t := range ticks {
		if float64(len([]rune(t.label)))*gaussPlotCharW+8 > gap {
			return false
		}
	}
	return true
}

// gaussEl is an SVG element.
func gaussEl(tag string) app.HTMLElem { return app.Elem(tag).XMLNS(svgNS) }

func gaussLine(x1, y1, x2, y2 float64, kind string) app.HTMLElem {
	return gaussEl("line").Attr("x1", gaussNum(x1)).Attr("y1", gaussNum(y1)).
		Attr("x2", gaussNum(x2)).Attr("y2", gaussNum(y2)).
		Attr("stroke", "currentColor").DataSet("g", kind)
}

func gaussLabel(x, y float64, anchor, kind, s string) app.HTMLElem {
	return gaussEl("text").Attr("x", gaussNum(x)).Attr("y", gaussNum(y)).
		Attr("text-anchor", anchor).Attr("fill", "currentColor").DataSet("g", kind).Text(s)
}

// gaussPlot draws the densities of p (solid) and q (dashed) as a figure
// whose SVG has id gauss-plot, or says that they cannot be drawn.
func gaussPlot(p, q compute.Normal, l lang) app.UI {
	t := gaussTexts(l)
	g, ok := gaussPlotGeometry(p, q)
	if !ok {
		return app.Elem("p").Class("help").ID("gauss-plot-note").Text(t.PlotUndrawable)
	}
	label := fmt.Sprintf(t.PlotLabel, show(p.Mu), show(p.Sigma), show(q.Mu), show(q.Sigma))
	ui := []app.UI{
		gaussEl("title").Text(label),
		gaussLine(gaussPlotLeft, gaussPlotBaseline, gaussPlotW-gaussPlotRight, gaussPlotBaseline, "axis"),
		gaussLine(gaussPlotLeft, gaussPlotTop, gaussPlotLeft, gaussPlotBaseline, "axis"),
	}
	for _, tk := range g.XTicks {
		ui = append(ui,
			gaussLine(tk.Pos, gaussPlotBaseline, tk.Pos, gaussPlotBaseline+5, "axis"),
			gaussLabel(tk.Pos, gaussPlotBaseline+19, "middle", "tick", tk.Label))
	}
	for _, tk := range g.YTicks {
		ui = append(ui,
			gaussLine(gaussPlotLeft-5, tk.Pos, gaussPlotLeft, tk.Pos, "axis"),
			gaussLabel(gaussPlotLeft-8, tk.Pos+4, "end", "tick", tk.Label))
	}
	mid := gaussPlotLeft + gaussPlotInnerW/2
	ui = append(ui,
		gaussEl("path").Attr("d", g.Q).Attr("fill", "none").Attr("stroke", "currentColor").
			Attr("stroke-width", "2").Attr("stroke-dasharray", "6 4").DataSet("g", "q"),
		gaussEl("path").Attr("d", g.P).Attr("fill", "none").Attr("stroke", "currentColor").
			Attr("stroke-width", "2.5").DataSet("g", "p"),
		gaussLine(gaussPlotLeft, 14, gaussPlotLeft+24, 14, "p").Attr("stroke-width", "2.5"),
		gaussLabel(gaussPlotLeft+30, 19, "start", "legend", fmt.Sprintf("p = N(%s, %s²)", show(p.Mu), show(p.Sigma))),
		gaussLine(mid, 14, mid+24, 14, "q").Attr("stroke-width", "2").Attr("stroke-dasharray", "6 4"),
		gaussLabel(mid+30, 19, "start", "legend", fmt.Sprintf("q = N(%s, %s²)", show(q.Mu), show(q.Sigma))),
	)
	return app.Elem("figure").Class("gauss-figure").Body(
		gaussEl("svg").ID("gauss-plot").
			Attr("viewBox", "0 0 "+gaussNum(gaussPlotW)+" "+gaussNum(gaussPlotH)).
			Attr("width", "100%").Attr("preserveAspectRatio", "xMidYMid meet").
			Role("img").Aria("label", label).Body(ui...),
		app.Elem("figcaption").Text(t.PlotCaption),
	)
}
