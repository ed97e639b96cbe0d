package app

import (
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

func gaussN(mu, sigma float64) compute.Normal { return compute.Normal{Mu: mu, Sigma: sigma} }

// gaussPathPoints reads the points of an "M x y L x y …" path.
func gaussPathPoints(t *testing.T, d string) [][2]float64 {
	t.Helper()
	f := strings.Fields(strings.NewReplacer("M", " ", "L", " ").Replace(d))
	if len(f) == 0 || len(f)%2 != 0 {
		t.Fatalf("path %.60q: %d numbers", d, len(f))
	}
	pts := make([][2]float64, len(f)/2)
	for i := range pts {
		for j := range 2 {
			x, err := strconv.ParseFloat(f[2*i+j], 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("path %.60q: %q is not a finite number", d, f[2*i+j])
			}
			pts[i][j] = x
		}
	}
	return pts
}

func TestGaussPlotGeometry(t *testing.T) {
	for _, c := range []struct{ p, q compute.Normal }{
		{gaussN(1, 2), gaussN(0, 1)},
		{gaussN(0, 1), gaussN(0, 1)},
		{gaussN(0, 1e-300), gaussN(0, 1)}, // a spike far narrower than the sample spacing
		{gaussN(0, 5e-324), gaussN(3, 1)}, // the peak density overflows: no y labels
		{gaussN(1e300, 1e299), gaussN(-1e300, 1e299)},
		{gaussN(1e6, 1e-3), gaussN(1e6, 2e-3)},
		{gaussN(-1e-200, 1e-210), gaussN(1e-200, 1e-210)},
	} {
		g, ok := gaussPlotGeometry(c.p, c.q)
		if !ok {
			t.Errorf("%v, %v: not drawn", c.p, c.q)
			continue
		}
		if !(g.Lo < g.Hi) || g.Lo > math.Min(c.p.Mu, c.q.Mu) || g.Hi < math.Max(c.p.Mu, c.q.Mu) {
			t.Errorf("%v, %v: range [%v, %v] misses a mean", c.p, c.q, g.Lo, g.Hi)
		}
		top := math.Inf(1)
		for _, d := range []string{g.P, g.Q} {
			pts := gaussPathPoints(t, d)
			for i, pt := range pts {
				if pt[0] < gaussPlotLeft || pt[0] > gaussPlotW-gaussPlotRight || pt[1] < gaussPlotTop || pt[1] > gaussPlotBaseline {
					t.Errorf("%v, %v: point %v outside the plot", c.p, c.q, pt)
				}
				if i > 0 && pt[0] < pts[i-1][0] {
					t.Errorf("%v, %v: x goes back at point %d", c.p, c.q, i)
				}
				top = math.Min(top, pt[1])
			}
		}
		if top != gaussPlotTop {
			t.Errorf("%v, %v: the higher peak reaches y = %v, want %v", c.p, c.q, top, gaussPlotTop)
		}
		if len(g.XTicks) < 2 {
			t.Errorf("%v, %v: x ticks %v", c.p, c.q, g.XTicks)
		}
		for _, tk := range append(append([]tickMark{}, g.XTicks...), g.YTicks...) {
			if !isFinite(tk.Pos) || tk.Pos < 0 || tk.Pos > gaussPlotW || tk.Label == "" {
				t.Errorf("%v, %v: tick %+v", c.p, c.q, tk)
			}
		}
		for i := 1; i < len(g.XTicks); i++ {
			if g.XTicks[i].Label == g.XTicks[i-1].Label || !(g.XTicks[i].Pos > g.XTicks[i-1].Pos) {
				t.Errorf("%v, %v: x ticks %+v not distinct and increasing", c.p, c.q, g.XTicks)
			}
		}
		if (c.p.Sigma == 5e-324) != (len(g.YTicks) == 0) {
			t.Errorf("%v, %v: y ticks %+v", c.p, c.q, g.YTicks)
		}
	}
}

func TestGaussPlotUndrawable(t *testing.T) {
	for _, c := range []struct{ p, q compute.Normal }{
		{gaussN(math.Inf(1), 1), gaussN(0, 1)},
		{gaussN(0, math.Inf(1)), gaussN(0, 1)},
		{gaussN(math.NaN(), 1), gaussN(0, 1)},
		{gaussN(0, 0), gaussN(0, 1)},
		{gaussN(0, 1), gaussN(0, -1)},
		{gaussN(1e10, 1e-10), gaussN(1e10, 1e-10)},    // the range is below the resolution at 1e10
		{gaussN(-1e308, 1e307), gaussN(1e308, 1e307)}, // the range overflows
	} {
		if g, ok := gaussPlotGeometry(c.p, c.q); ok {
			t.Errorf("%v, %v: drawn as %+v", c.p, c.q, g)
		}
		html := app.HTMLString(gaussPlot(c.p, c.q, langEN))
		if !strings.Contains(html, texts(langEN).Gauss.PlotUndrawable) || strings.Contains(html, "<svg") {
			t.Errorf("%v, %v: %s", c.p, c.q, html)
		}
	}
}

func TestGaussTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []string
	}{
		{-7, 9, []string{"−5", "0", "5"}},
		{0, 0.4, []string{"0", "0.1", "0.2", "0.3", "0.4"}},
		{0, 0.3, []string{"0", "0.1", "0.2", "0.3"}}, // 0.3, not 0.30000000000000004
		{1e6 - 0.004, 1e6 + 0.004, []string{"999999.996", "1000000", "1000000.004"}},
		{-4e300, 4e300, []string{"−4e+300", "−2e+300", "0", "2e+300", "4e+300"}},
	} {
		if got := gaussXAxis(c.lo, c.hi).Labels; !reflect.DeepEqual(got, c.want) {
			t.Errorf("gaussXAxis(%v, %v) labels %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
}

var gaussAttrRE = regexp.MustCompile(`\s([a-z-]+)="([^"]*)"`)

func TestGaussPlotHTML(t *testing.T) {
	for _, l := range []lang{langEN, langKO} {
		for _, c := range []struct{ p, q compute.Normal }{
			{gaussN(1, 2), gaussN(0, 1)},
			{gaussN(0, 5e-324), gaussN(1e300, 1e299)},
			{gaussN(0, 1e-320), gaussN(1e-320, 2e-320)}, // subnormal range
		} {
			html := app.HTMLString(gaussPlot(c.p, c.q, l))
			svg := html[strings.Index(html, "<svg"):]
			for _, m := range gaussAttrRE.FindAllStringSubmatch(svg, -1) {
				if strings.Contains(m[2], "NaN") || strings.Contains(m[2], "Inf") || strings.Contains(m[2], "∞") {
					t.Errorf("%v, %v: attribute %s=%q", c.p, c.q, m[1], m[2])
				}
			}
			for _, want := range []string{
				`id="gauss-plot"`, `role="img"`, `aria-label="` + strings.SplitN(texts(l).Gauss.PlotLabel, ":", 2)[0],
				`viewBox="0 0 360 220"`, `width="100%"`, `<title>`, `data-g="p"`, `data-g="q"`, `stroke-dasharray="6 4"`,
				`<figcaption>`,
			} {
				if !strings.Contains(html, want) {
					t.Errorf("%v, %v, %v: plot lacks %s", l, c.p, c.q, want)
				}
			}
			if strings.Contains(svg, " class=") {
				t.Error("an SVG element has a class, which go-app cannot set (className is read-only)")
			}
		}
	}
	if !strings.Contains(app.HTMLString(gaussPlot(gaussN(1, 2), gaussN(0, 1), langEN)), `aria-label="Density plot: p = N(1, 2²), solid line; q = N(0, 1²), dashed line"`) {
		t.Error("the plot's label does not carry the parameters")
	}
}

// Every element inside the <svg>, and the <svg> itself, is created in the
// SVG namespace. HTMLString does not show it, so read go-app's element
// structs (v9.8.0 layout: an embedded htmlElement with tag, xmlns and
// children).
func TestGaussPlotNamespace(t *testing.T) {
	n := 0
	var walk func(v reflect.Value, inSVG bool)
	walk = func(v reflect.Value, inSVG bool) {
		for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		h := v.FieldByName("htmlElement")
		if !h.IsValid() {
			return
		}
		tag, xmlns := h.FieldByName("tag").String(), h.FieldByName("xmlns").String()
		inSVG = inSVG || tag == "svg"
		if inSVG {
			n++
			if xmlns != svgNS {
				t.Errorf("<%s> has namespace %q", tag, xmlns)
			}
		}
		ch := h.FieldByName("children")
		for i := range ch.Len() {
			walk(ch.Index(i), inSVG)
		}
	}
	walk(reflect.ValueOf(gaussPlot(gaussN(1, 2), gaussN(0, 1), langEN)), false)
	if n < 10 {
		t.Errorf("%d SVG elements, want at least 10", n)
	}
}
