package app

import (
	"fmt"
	"math"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The gradient tab's figures: the per-class gradient beside P − Q, and the
// gradient norm against the temperature. They use the charts' SVG kit
// (chart.go, svg.go) and its CSS.

// gradChartMax is the most classes the per-class chart draws.
const gradChartMax = 64

// signedAxis covers the finite values and 0, with room for the infinite
// ones.
func signedAxis(vals []float64) axis {
	lo, hi := 0.0, 0.0
	for _, v := range vals {
		if isFinite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return niceAxis(lo, hi)
}

// signedFigure is one chart of per-class values.
func signedFigure(id, title string, label func(n int, lo, hi string) string, vals []float64, ct *chartText, classLabel func(int, float64) string) app.UI {
	a := signedAxis(vals)
	f := newFrame(len(vals), 30, 200, 18, 36, a)
	f.Text = ct
	bars := signedBars(vals, f, a, classLabel)
	return app.Elem("figure").Class("chart").Body(
		app.Elem("figcaption").Body(app.Elem("span").Class("chart-title").Text(title)),
		app.Elem("div").Class("chart-wrap").Body(
			svgChart(id, label(len(vals), show(a.Lo), show(a.Hi)), f, a, f.bottom()+28, barsUI(bars))),
	)
}

// gradFigures draws, for one row, the gradient that the page explains
// (∂L/∂logits of Q where Q is logits, else ∂L/∂input) above P − Q.
func gradFigures(l lang, gradName string, grad, diff []float64, where string) app.UI {
	t := texts(l)
	g, ct := &t.Grad, &t.Chart
	if len(grad) > gradChartMax {
		return app.Elem("p").Class("chart-note").Text(fmt.Sprintf(g.TooMany, gradChartMax, len(grad)))
	}
	label := func(name string) func(n int, lo, hi string) string {
		return func(n int, lo, hi string) string { return fmt.Sprintf(g.ChartLabel, name, where, n, lo, hi) }
	}
	return app.Elem("div").ID("grad-charts").Body(
		app.Elem("h3").Text(fmt.Sprintf(g.ChartTitle, where)),
		signedFigure("chart-grad", fmt.Sprintf(g.ChartGrad, gradName), label(gradName),
			grad, ct, func(i int, v float64) string { return fmt.Sprintf(g.ClassGrad, i+1, show(v)) }),
		optional(diff != nil, func() app.UI {
			return signedFigure("chart-diff", g.ChartDiff, label("P − Q"),
				diff, ct, func(i int, v float64) string { return fmt.Sprintf(g.ClassDiff, i+1, show(v)) })
		}),
		app.Elem("p").Class("chart-note").Text(g.ChartNote),
	)
}

// sweepFigure plots ‖∂L/∂z‖ against T on a log scale, with and without the
// T² factor, and marks the current temperature.
func sweepFigure(l lang, pts []compute.SweepPoint, now float64, pLogits bool) app.UI {
	g := &texts(l).Grad
	const W, H, left, right, top, bottom = 560.0, 240.0, 56.0, 12.0, 14.0, 34.0
	box := plotBox{Left: left, Top: top, PlotW: W - left - right, PlotH: H - top - bottom}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		for _, v := range []float64{p.GradNorm, p.GradNorm * p.T * p.T} {
			if v > 0 && isFinite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if !(lo <= hi) {
		return app.Elem("p").Class("chart-note").Text(g.Invalid)
	}
	dlo, dhi := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if dhi == dlo {
		dhi++
	}
	ya := axis{Lo: dlo, Hi: dhi}
	for d := dlo; d <= dhi; d++ {
		ya.Ticks = append(ya.Ticks, d)
		ya.Labels = append(ya.Labels, "1e"+fmt.Sprint(int(d)))
	}
	xa := axis{Lo: 1, Hi: 20, Ticks: []float64{1, 5, 10, 15, 20}, Labels: []string{"1", "5", "10", "15", "20"}}
	k := chartSVG()
	ui := k.yTicks(ya.marks(box.y), box.Left, box.right(), box.Left-6, "grid")
	ui = append(ui, k.xTicks(xa.marks(box.x), box.bottom(), box.bottom()+4, box.bottom()+16, "axis")...)
	ui = append(ui, k.line(box.Left, box.Top, box.Left, box.bottom(), "axis"), k.line(box.Left, box.bottom(), box.right(), box.bottom(), "axis"),
		k.text(box.right(), H-4, "end", "tick", "T"))
	path := func(scale bool) string {
		var b []byte
		for _, p := range pts {
			v := p.GradNorm
			if scale {
				v *= p.T * p.T
			}
			if !(v > 0) || !isFinite(v) {
				continue
			}
			cmd := "L"
			if len(b) == 0 {
				cmd = "M"
			}
			b = fmt.Appendf(b, "%s%s %s ", cmd, num(box.x(xa, p.T)), num(box.y(ya, math.Log10(v))))
		}
		return string(b)
	}
	ui = append(ui,
		k.el("path", "line line-plain").Attr("d", path(false)).Attr("fill", "none"),
		k.el("path", "line line-t2").Attr("d", path(true)).Attr("fill", "none"))
	if now >= 1 && now <= 20 {
		x := box.x(xa, now)
		ui = append(ui, k.line(x, box.Top, x, box.bottom(), "now"), k.text(x+4, box.Top+10, "start", "now-label", fmt.Sprintf(g.SweepNow, show(now))))
	}
	first, last := pts[0], pts[len(pts)-1]
	label := fmt.Sprintf(g.SweepLabel, show(first.GradNorm), show(last.GradNorm), show(last.GradNorm*last.T*last.T))
	return app.Elem("figure").Class("chart sweep").ID("grad-sweep").Body(
		app.Elem("figcaption").Body(
			app.Elem("span").Class("chart-title").Text(g.SweepTitle),
			app.Elem("ul").Class("chart-legend").Body(
				legendItem("swatch-plain", g.SweepPlain),
				legendItem("swatch-t2", g.SweepT2),
			),
		),
		app.Elem("div").Class("chart-wrap").Body(svgRoot("chart-sweep", "img", label, W, H, ui...)),
		app.Elem("p").Class("chart-note").Text(g.SweepNote),
		app.If(!pLogits, app.Elem("p").Class("chart-note").Text(g.SweepPOther)),
	)
}
