package app

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klcalc/klcalc/compute"
)

func TestNum(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{
		{0, "0"}, {360, "360"}, {12.5, "12.5"}, {1.005, "1"}, {2.675, "2.67"}, // 2.675 is 2.67499999…
		{-0.001, "0"}, {math.Copysign(0, -1), "0"}, {-3.14159, "-3.14"},
		{nan, "0"}, {inf, "0"}, {-inf, "0"},
	} {
		if got := num(c.x); got != c.want {
			t.Errorf("num(%v) = %q, want %q", c.x, got, c.want)
		}
	}
}

// The kit writes the same elements for both figures, styled through the
// figure's data attribute, never a class (go-app #919).
func TestSVGKit(t *testing.T) {
	chart, gauss := chartSVG(), svgKit{Data: "g", Paint: true}
	for _, c := range []struct {
		name string
		e    elem
		want map[string]string
	}{
		{"chart line", tree(t, chart.line(1, 2.005, 3, 4, "grid")),
			map[string]string{"data-c": "grid", "x1": "1", "y1": "2", "x2": "3", "y2": "4"}},
		{"plot line", tree(t, gauss.line(1, 2, 3, 4, "axis")),
			map[string]string{"data-g": "axis", "x1": "1", "y1": "2", "x2": "3", "y2": "4", "stroke": "currentColor"}},
		{"chart text", tree(t, chart.text(5, 6, "end", "tick", "0.25")),
			map[string]string{"data-c": "tick", "x": "5", "y": "6", "text-anchor": "end"}},
		{"plot text", tree(t, gauss.text(5, 6, "middle", "tick", "0.25")),
			map[string]string{"data-g": "tick", "x": "5", "y": "6", "text-anchor": "middle", "fill": "currentColor"}},
	} {
		if c.e.xmlns != svgNS || !reflect.DeepEqual(c.e.attrs, c.want) {
			t.Errorf("%s: xmlns %q, attributes %v, want %v", c.name, c.e.xmlns, c.e.attrs, c.want)
		}
	}
	root := tree(t, svgRoot("fig", "img", "a label", 360, 220.5, chart.line(0, 0, 1, 1, "axis")))
	if root.tag != "svg" || root.xmlns != svgNS || root.attrs["id"] != "fig" || root.attrs["role"] != "img" ||
		root.attrs["aria-label"] != "a label" || root.attrs["viewBox"] != "0 0 360 220.5" || root.attrs["width"] != "100%" ||
		len(root.children) != 2 || root.children[0].tag != "title" || root.children[0].text != "a label" ||
		root.children[0].xmlns != svgNS || root.children[1].tag != "line" {
		t.Errorf("svgRoot: %+v", root)
	}
	marks := []tickMark{{Pos: 10, Label: "0"}, {Pos: 20, Label: "1"}}
	y := chart.yTicks(marks, 40, 100, 34, "grid")
	x := gauss.xTicks(marks, 192, 197, 211, "axis")
	if len(y) != 4 || len(x) != 4 {
		t.Fatalf("%d y and %d x tick elements, want 4", len(y), len(x))
	}
	if l, lb := tree(t, y[2]), tree(t, y[3]); l.attrs["y1"] != "20" || l.attrs["x2"] != "100" || lb.attrs["y"] != "24" ||
		lb.attrs["x"] != "34" || lb.attrs["text-anchor"] != "end" || lb.text != "1" {
		t.Errorf("y tick %v %v", l.attrs, lb)
	}
	if l, lb := tree(t, x[2]), tree(t, x[3]); l.attrs["x1"] != "20" || l.attrs["y2"] != "197" || lb.attrs["x"] != "20" ||
		lb.attrs["y"] != "211" || lb.attrs["text-anchor"] != "middle" || lb.text != "1" {
		t.Errorf("x tick %v %v", l.attrs, lb)
	}
}

func TestPlotBox(t *testing.T) {
	b := plotBox{Left: 40, Top: 20, PlotW: 300, PlotH: 160}
	a := axis{Lo: -1, Hi: 3}
	for _, c := range []struct{ v, x, y float64 }{{-1, 40, 180}, {3, 340, 20}, {1, 190, 100}, {nan, 40, 180}, {inf, 340, 20}} {
		if x, y := b.x(a, c.v), b.y(a, c.v); x != c.x || y != c.y {
			t.Errorf("%v: (%v, %v), want (%v, %v)", c.v, x, y, c.x, c.y)
		}
	}
	if b.right() != 340 || b.bottom() != 180 || b.yAt(0.25) != 140 {
		t.Errorf("right %v, bottom %v, yAt(0.25) %v", b.right(), b.bottom(), b.yAt(0.25))
	}
	a.Ticks, a.Labels = []float64{0, 2}, []string{"0", "2"}
	if got, want := a.marks(b.y), []tickMark{{Pos: 140, Label: "0"}, {Pos: 60, Label: "2"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("y marks %v, want %v", got, want)
	}
	if got, want := a.marks(b.x), []tickMark{{Pos: 115, Label: "0"}, {Pos: 265, Label: "2"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("x marks %v, want %v", got, want)
	}
}

func TestTickLabel(t *testing.T) {
	for _, c := range []struct {
		v    float64
		last int
		want string
	}{
		{0, -3, "0"},
		{20, 1, "20"}, // the plot's labels were 2e+01
		{1000, 2, "1000"},
		{-0.25, -2, "−0.25"},
		{0.3, -1, "0.3"},
		{7.5, -1, "7.5"},
		{500000, 5, "500000"},
		{1e6, 5, "1e+06"}, // as show writes it
		{1.5e6, 5, "1.5e+06"},
		{1000000, -3, "1000000"},
		{1000000.004, -3, "1000000.004"},
		{999999.996, -3, "999999.996"},
		{2.5e-5, -6, "2.5e-05"},
		{-4e300, 300, "−4e+300"},
	} {
		if got := tickLabel(c.v, c.last); got != c.want {
			t.Errorf("tickLabel(%v, %d) = %q, want %q", c.v, c.last, got, c.want)
		}
	}
}

// The one tick algorithm, in both modes: covering ticks for the bar charts
// (from tick to tick) and ticks within the range for the density plot.
func TestNiceTicks(t *testing.T) {
	cover := tickRule{Cover: true, Max: 5}
	within := tickRule{Max: 5}
	for _, c := range []struct {
		lo, hi float64
		r      tickRule
		want   []string
	}{
		{0, 1, cover, []string{"0", "0.25", "0.5", "0.75", "1"}},
		{0, 1, within, []string{"0", "0.25", "0.5", "0.75", "1"}},
		{0, 0.3, within, []string{"0", "0.1", "0.2", "0.3"}}, // 0.3 is not 3·0.1
		{0, 7, cover, []string{"0", "2.5", "5", "7.5"}},
		{0.5, 7, within, []string{"2", "4", "6"}},
		{-3, -1, cover, []string{"−3", "−2.5", "−2", "−1.5", "−1"}},
		{-3, -1, within, []string{"−3", "−2.5", "−2", "−1.5", "−1"}},
		{-0.2, 0.3, cover, []string{"−0.2", "0", "0.2", "0.4"}},
		{-0.2, 0.3, within, []string{"−0.2", "0", "0.2"}}, // by 0.1 would be 6 ticks
		{-40, 40, within, []string{"−40", "−20", "0", "20", "40"}},
		{3e-9, 7.2e-9, within, []string{"3e-09", "4e-09", "5e-09", "6e-09", "7e-09"}},
		{1e6 - 0.004, 1e6 + 0.004, within, []string{"999999.996", "999999.998", "1000000", "1000000.002", "1000000.004"}},
		{-4e300, 4e300, within, []string{"−4e+300", "−2e+300", "0", "2e+300", "4e+300"}},
	} {
		ticks, labels := niceTicks(c.lo, c.hi, c.r)
		if !reflect.DeepEqual(labels, c.want) || len(ticks) != len(labels) {
			t.Errorf("niceTicks(%v, %v, cover %v) = %v %q, want %q", c.lo, c.hi, c.r.Cover, ticks, labels, c.want)
		}
	}
	// A single value, NaN and ±Inf have no ticks of their own: the
	// callers decide (niceAxis widens to [0, 1] or to 0).
	for _, c := range [][2]float64{{1, 1}, {2, 1}, {nan, 1}, {0, nan}, {0, inf}, {-inf, 0}} {
		if ticks, labels := niceTicks(c[0], c[1], within); ticks != nil || labels != nil {
			t.Errorf("niceTicks(%v, %v) = %v %q, want none", c[0], c[1], ticks, labels)
		}
	}
	// Labels that need 40 of the axis's 100 units: 3 ticks, or when not
	// even 3 fit in the range, 2 ticks or every other tick of a step.
	fits := func(ticks []float64, _ []string) bool { return (ticks[1]-ticks[0])/10*100 >= 40 }
	for _, c := range []struct {
		lo, hi float64
		want   []string
	}{
		{0, 10, []string{"0", "5", "10"}},
		{0.5, 10.5, []string{"5", "10"}},       // 2 ticks of a step
		{-9.5, 0.5, []string{"−8", "−4", "0"}}, // the multiples of 2 × 2
		{0.5, 9.5, []string{"2.5", "7.5"}},     // the odd multiples of 2.5: 5 alone is 1 tick
		{1e9, 1e9 + 10, []string{"1000000000", "1000000005", "1000000010"}},
	} {
		if _, labels := niceTicks(c.lo, c.hi, tickRule{Max: 5, Fits: fits}); !reflect.DeepEqual(labels, c.want) {
			t.Errorf("niceTicks(%v, %v) with room for 3 labels: %q, want %q", c.lo, c.hi, labels, c.want)
		}
	}
}

// Properties of the ticks within a range, from 1e-300 to 1e300 and far from
// 0: 2 to Max of them (3 unless thinned), evenly spaced, in the range, and
// labels that are distinct, read back as the tick, and not in exponent form
// where show would write the number out.
func TestNiceTicksWithin(t *testing.T) {
	var cases [][2]float64
	for e := -300; e <= 300; e += 7 {
		for _, x := range []float64{1, 1.1, 1.9, 2.01, 2.6, 3.3, 4.99, 5.01, 7, 9.99} {
			v := x * math.Pow10(e)
			cases = append(cases, [2]float64{0, v}, [2]float64{-v, 0}, [2]float64{-v / 3, v}, [2]float64{v, 1.5 * v},
				[2]float64{-2 * v, -v}, [2]float64{1e6 * v, (1e6 + 3) * v})
		}
	}
	for _, c := range cases {
		for _, max := range []int{5, 6} {
			ticks, labels := niceTicks(c[0], c[1], tickRule{Max: max})
			n := len(ticks)
			if n < 3 || n > max || len(labels) != n || !increasing(ticks) || ticks[0] < c[0] || ticks[n-1] > c[1] {
				t.Errorf("niceTicks(%g, %g, max %d) = %v", c[0], c[1], max, ticks)
				continue
			}
			step := ticks[1] - ticks[0]
			for i := 1; i < n; i++ {
				if d := ticks[i] - ticks[i-1]; math.Abs(d-step) > 1e-9*step {
					t.Errorf("niceTicks(%g, %g): uneven %v", c[0], c[1], ticks)
				}
				if labels[i] == labels[i-1] {
					t.Errorf("niceTicks(%g, %g): labels %q", c[0], c[1], labels)
				}
			}
			if span := ticks[n-1] - ticks[0]; span < (c[1]-c[0])/3 {
				t.Errorf("niceTicks(%g, %g): ticks %v span less than a third", c[0], c[1], ticks)
			}
			for i, l := range labels {
				v, err := strconv.ParseFloat(strings.ReplaceAll(l, "−", "-"), 64)
				if err != nil || math.Abs(v-ticks[i]) > 1e-12*math.Abs(ticks[i]) {
					t.Errorf("niceTicks(%g, %g): label %q of %v", c[0], c[1], l, ticks[i])
				}
				if a := math.Abs(ticks[i]); a >= 1e-4 && a < 1e6 && strings.Contains(l, "e") {
					t.Errorf("niceTicks(%g, %g): label %q in exponent form", c[0], c[1], l)
				}
			}
		}
	}
}

// The charts label their ticks as show writes the numbers, as they did
// before the tick algorithm was shared.
func TestNiceAxisLabels(t *testing.T) {
	m := math.MaxFloat64
	cases := [][2]float64{{0, m}, {-m, m}, {0, 5e-324}, {0, 1}, {-3, 0}, {0, 1234}, {0, 3e-7}, {1, 1}, {0, nan}}
	for e := -300; e <= 300; e++ {
		for _, x := range []float64{1, 1.9, 2.6, 4.99, 7} {
			v := x * math.Pow10(e)
			cases = append(cases, [2]float64{0, v}, [2]float64{-v / 3, v})
		}
	}
	for _, c := range cases {
		a := niceAxis(c[0], c[1])
		if len(a.Labels) != len(a.Ticks) {
			t.Fatalf("niceAxis(%g, %g): %d labels for %d ticks", c[0], c[1], len(a.Labels), len(a.Ticks))
		}
		for i, x := range a.Ticks {
			if a.Labels[i] != show(x) {
				t.Errorf("niceAxis(%g, %g): label %q, show writes %q", c[0], c[1], a.Labels[i], show(x))
			}
		}
	}
}

// Both figures get sensible ticks from the shared algorithm: the charts'
// P/Q axis for a single value and with NaN and ±Inf among the values, and
// the density plot's axes for a range of parameters.
func TestFigureTicks(t *testing.T) {
	for _, c := range []struct {
		p, q []float64
		want []float64
	}{
		{[]float64{0.4}, []float64{0.4}, []float64{0, 0.1, 0.2, 0.3, 0.4}},
		{[]float64{0.3, nan, inf}, []float64{-inf, 0.6, 0.1}, []float64{0, 0.2, 0.4, 0.6}},
		{[]float64{nan}, []float64{inf}, []float64{0, 0.25, 0.5, 0.75, 1}},
	} {
		ts := make([]compute.Term, len(c.p))
		for i := range ts {
			ts[i] = compute.Term{P: c.p[i], Q: c.q[i]}
		}
		if a := pqAxis(ts); !reflect.DeepEqual(a.Ticks, c.want) {
			t.Errorf("pqAxis(p %v, q %v) = %v, want %v", c.p, c.q, a.Ticks, c.want)
		}
	}
	if a := termsAxis([]compute.Term{{Value: -0.7}, {Value: nan}, {Value: -inf}}); !reflect.DeepEqual(a.Ticks, []float64{-0.75, -0.5, -0.25, 0}) {
		t.Errorf("termsAxis of negative terms = %v", a.Ticks)
	}

	for _, c := range []struct{ p, q compute.Normal }{
		{gaussN(0, 1), gaussN(0, 1)}, // one distribution
		{gaussN(0, 10), gaussN(0, 10)},
		{gaussN(-30, 2), gaussN(-20, 3)},
		{gaussN(0, 1e-5), gaussN(2e-5, 3e-5)},
		{gaussN(5e7, 1e6), gaussN(5.1e7, 2e6)},
		{gaussN(1e6, 1e-3), gaussN(1e6, 2e-3)},
	} {
		g, ok := gaussPlotGeometry(c.p, c.q)
		if !ok {
			t.Fatalf("%v, %v: not drawn", c.p, c.q)
		}
		if len(g.XTicks) < 2 || len(g.XTicks) > 5 || len(g.YTicks) < 3 || len(g.YTicks) > 6 {
			t.Errorf("%v, %v: %d x ticks %v, %d y ticks %v", c.p, c.q, len(g.XTicks), g.XTicks, len(g.YTicks), g.YTicks)
		}
		for i := 1; i < len(g.XTicks); i++ {
			gap := g.XTicks[i].Pos - g.XTicks[i-1].Pos
			for _, tk := range g.XTicks[i-1 : i+1] {
				if float64(utf8.RuneCountInString(tk.Label))*gaussPlotCharW > gap {
					t.Errorf("%v, %v: x labels %v overlap", c.p, c.q, g.XTicks)
				}
			}
		}
		for _, tk := range append(append([]tickMark{}, g.XTicks...), g.YTicks...) {
			v, err := strconv.ParseFloat(strings.ReplaceAll(tk.Label, "−", "-"), 64)
			if a := math.Abs(v); err != nil || a >= 1e-4 && a < 1e6 && strings.Contains(tk.Label, "e") {
				t.Errorf("%v, %v: tick label %q", c.p, c.q, tk.Label)
			}
		}
	}
	var labels []string
	for _, tk := range must(gaussPlotGeometry(gaussN(0, 10), gaussN(0, 10))).XTicks {
		labels = append(labels, tk.Label)
	}
	if want := []string{"−40", "−20", "0", "20", "40"}; !reflect.DeepEqual(labels, want) {
		t.Errorf("N(0, 10²): x labels %q, want %q", labels, want)
	}
}

func must[T any](v T, ok bool) T {
	if !ok {
		panic("not drawn")
	}
	return v
}
