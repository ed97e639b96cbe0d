package app

// The density plot of the univariate Gaussian case: an inline SVG of the
// densities of p and q.
//
// go-app sets the class attribute through the className property, which is
// read-only on SVG elements (go-app #919), so the SVG elements are styled
// through data-g attributes (web/calc.css, block "gaussian mode"). The kit
// (elements, scales, ticks) is in svg.go.

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

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

// gaussPlotGeom is the geometry of the plot in viewBox units: every number
// in it is finite.
type gaussPlotGeom struct {
	Lo, Hi float64    // the x range: μ ± 4σ of both distributions
	P, Q   string     // path data of the densities
	XTicks []tickMark // x positions
	YTicks []tickMark // y positions; the top one is at most the peak
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
	box := gaussPlotBox()
	x := gaussXAxis(lo, hi)
	sMin := math.Min(p.Sigma, q.Sigma)
	g.P = gaussCurve(p, sMin, box, x)
	g.Q = gaussCurve(q, sMin, box, x)
	g.XTicks = x.marks(box.x)
	// The peak density 1/(σ√(2π)) overflows for σ below about 1e-308;
	// the curves are drawn relative to it, so only the labels are lost.
	if peak := 1 / (sMin * math.Sqrt(2*math.Pi)); isFinite(peak) {
		g.YTicks = gaussYAxis(peak).marks(box.y)
	}
	return g, true
}

// gaussPlotBox is the plotting area, between the ticks and the legend.
func gaussPlotBox() plotBox {
	return plotBox{Left: gaussPlotLeft, Top: gaussPlotTop, PlotW: gaussPlotInnerW, PlotH: gaussPlotInnerH}
}

// gaussXAxis is the x axis over [lo, hi], with up to 5 ticks within it
// whose labels keep clear of each other.
func gaussXAxis(lo, hi float64) axis {
	fits := func(ticks []float64, labels []string) bool {
		if len(ticks) < 2 {
			return true
		}
		gap := (ticks[1] - ticks[0]) / (hi - lo) * gaussPlotInnerW
		for _, l := range labels {
			if float64(utf8.RuneCountInString(l))*gaussPlotCharW+8 > gap {
				return false
			}
		}
		return true
	}
	ticks, labels := niceTicks(lo, hi, tickRule{Max: 5, Fits: fits})
	return axis{Lo: lo, Hi: hi, Ticks: ticks, Labels: labels}
}

// gaussYAxis is the density axis from 0 to the peak, with up to 6 ticks:
// the top one is at most the peak.
func gaussYAxis(peak float64) axis {
	ticks, labels := niceTicks(0, peak, tickRule{Max: 6})
	return axis{Lo: 0, Hi: peak, Ticks: ticks, Labels: labels}
}

// gaussCurve is the path of n's density relative to the peak of a normal
// of standard deviation sMin: (sMin/σ)·exp(−½((x−μ)/σ)²), which lies in
// [0, 1] and never overflows. Beyond the evenly spaced samples it goes
// through μ and μ ± kσ, so a peak narrower than the spacing is still drawn.
func gaussCurve(n compute.Normal, sMin float64, box plotBox, x axis) string {
	lo, hi := x.Lo, x.Hi
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
	for i, v := range xs {
		z := (v - n.Mu) / n.Sigma
		h := scale * math.Exp(-0.5*z*z)
		if i == 0 {
			b.WriteByte('M')
		} else {
			b.WriteString(" L")
		}
		b.WriteString(num(box.x(x, v)))
		b.WriteByte(' ')
		b.WriteString(num(box.yAt(h)))
	}
	return b.String()
}

// gaussPlot draws the densities of p (solid) and q (dashed) as a figure
// whose SVG has id gauss-plot, or says that they cannot be drawn.
func gaussPlot(p, q compute.Normal, l lang) app.UI {
	t := &texts(l).Gauss
	g, ok := gaussPlotGeometry(p, q)
	if !ok {
		return app.Elem("p").Class("help").ID("gauss-plot-note").Text(t.PlotUndrawable)
	}
	label := fmt.Sprintf(t.PlotLabel, show(p.Mu), show(p.Sigma), show(q.Mu), show(q.Sigma))
	k := svgKit{Data: "g", Paint: true}
	box := gaussPlotBox()
	ui := []app.UI{
		k.line(box.Left, box.bottom(), box.right(), box.bottom(), "axis"),
		k.line(box.Left, box.Top, box.Left, box.bottom(), "axis"),
	}
	ui = append(ui, k.xTicks(g.XTicks, box.bottom(), box.bottom()+5, box.bottom()+19, "axis")...)
	ui = append(ui, k.yTicks(g.YTicks, box.Left-5, box.Left, box.Left-8, "axis")...)
	mid := box.Left + box.PlotW/2
	ui = append(ui,
		k.el("path", "q").Attr("d", g.Q).Attr("fill", "none").Attr("stroke", "currentColor").
			Attr("stroke-width", "2").Attr("stroke-dasharray", "6 4"),
		k.el("path", "p").Attr("d", g.P).Attr("fill", "none").Attr("stroke", "currentColor").
			Attr("stroke-width", "2.5"),
		k.line(box.Left, 14, box.Left+24, 14, "p").Attr("stroke-width", "2.5"),
		k.text(box.Left+30, 19, "start", "legend", fmt.Sprintf("p = N(%s, %s²)", show(p.Mu), show(p.Sigma))),
		k.line(mid, 14, mid+24, 14, "q").Attr("stroke-width", "2").Attr("stroke-dasharray", "6 4"),
		k.text(mid+30, 19, "start", "legend", fmt.Sprintf("q = N(%s, %s²)", show(q.Mu), show(q.Sigma))),
	)
	return app.Elem("figure").Class("gauss-figure").Body(
		svgRoot("gauss-plot", "img", label, gaussPlotW, gaussPlotH, ui...),
		app.Elem("figcaption").Text(t.PlotCaption),
	)
}
