package app

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

var (
	inf = math.Inf(1)
	nan = math.NaN()
)

func TestNiceAxis(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []float64
	}{
		{0, 1, []float64{0, 0.25, 0.5, 0.75, 1}},
		{0, 0.6, []float64{0, 0.2, 0.4, 0.6}},
		{0, 0.3, []float64{0, 0.1, 0.2, 0.3}}, // 3·0.1 would be 0.30000000000000004
		{0, 0.115, []float64{0, 0.05, 0.1, 0.15}},
		{-0.2, 0.3, []float64{-0.2, 0, 0.2, 0.4}},
		{-3, 0, []float64{-3, -2, -1, 0}},
		{0, 7, []float64{0, 2.5, 5, 7.5}},
		{0.4, 0.5, []float64{0, 0.25, 0.5}}, // 0 is always on the axis
		{0, 0, []float64{0, 0.25, 0.5, 0.75, 1}},
		{0, nan, []float64{0, 0.25, 0.5, 0.75, 1}},
		{0, inf, []float64{0, 0.25, 0.5, 0.75, 1}},
		{0, 3e-7, []float64{0, 1e-7, 2e-7, 3e-7}},
		{0, 1234, []float64{0, 500, 1000, 1500}},
	} {
		a := niceAxis(c.lo, c.hi)
		if !reflect.DeepEqual(a.Ticks, c.want) || a.Lo != c.want[0] || a.Hi != c.want[len(c.want)-1] {
			t.Errorf("niceAxis(%v, %v) = %v, want ticks %v", c.lo, c.hi, a, c.want)
		}
	}
}

// Properties of every axis, including ranges where no nice spacing fits in
// float64 (they fall back to lo, mid, hi).
func TestNiceAxisProperties(t *testing.T) {
	m := math.MaxFloat64
	cases := [][2]float64{{0, m}, {-m, m}, {-m, 0}, {0, 5e-324}, {-5e-324, 1e-320}, {0, 1e300}, {-1e-300, 0}, {1, 1}}
	for e := -12; e <= 12; e++ {
		for _, x := range []float64{1, 1.1, 1.9, 2.01, 2.6, 3.3, 4.99, 5.01, 7, 9.99} {
			v := x * math.Pow10(e)
			cases = append(cases, [2]float64{0, v}, [2]float64{-v, 0}, [2]float64{-v / 3, v}, [2]float64{-v, v / 7})
		}
	}
	for _, c := range cases {
		a := niceAxis(c[0], c[1])
		n := len(a.Ticks)
		if n < 3 || n > 5 || !increasing(a.Ticks) || a.Lo != a.Ticks[0] || a.Hi != a.Ticks[n-1] {
			t.Errorf("niceAxis(%g, %g): %d ticks %v", c[0], c[1], n, a.Ticks)
			continue
		}
		if a.Lo > math.Min(c[0], 0) || a.Hi < math.Max(c[1], 0) {
			t.Errorf("niceAxis(%g, %g) = [%g, %g] does not cover the range and 0", c[0], c[1], a.Lo, a.Hi)
		}
		diff := func(i int) float64 { // halved only when the difference overflows
			if d := a.Ticks[i] - a.Ticks[i-1]; isFinite(d) {
				return d
			}
			return a.Ticks[i]/2 - a.Ticks[i-1]/2
		}
		step := diff(1)
		for i := 2; i < n; i++ {
			if d := diff(i); math.Abs(d-step) > 1e-9*step {
				t.Errorf("niceAxis(%g, %g): uneven ticks %v", c[0], c[1], a.Ticks)
			}
		}
		if math.Abs(c[0]) < 1e300 && math.Abs(c[1]) < 1e300 && math.Abs(c[0])+math.Abs(c[1]) > 1e-300 {
			// Nice ticks read as at most 2 significant digits: 0.3, not 0.30000000000000004.
			for _, x := range a.Ticks {
				if s := strconv.FormatFloat(x, 'e', -1, 64); len(strings.TrimLeft(strings.Split(s, "e")[0], "-")) > 3 {
					t.Errorf("niceAxis(%g, %g): tick %s is not nice", c[0], c[1], s)
				}
			}
			if hi := math.Max(c[1], 0); a.Hi > 2.5*hi && hi > 0 && c[0] >= 0 {
				t.Errorf("niceAxis(%g, %g): top %g wastes more than half the plot", c[0], c[1], a.Hi)
			}
		}
	}
}

func TestAxisFrac(t *testing.T) {
	a := axis{Lo: -1, Hi: 3}
	for _, c := range []struct{ v, want float64 }{{-1, 0}, {3, 1}, {1, 0.5}, {-5, 0}, {7, 1}, {nan, 0}, {inf, 1}, {-inf, 0}} {
		if got := a.frac(c.v); got != c.want {
			t.Errorf("frac(%v) = %v, want %v", c.v, got, c.want)
		}
	}
	huge := axis{Lo: -math.MaxFloat64, Hi: math.MaxFloat64}
	if got := huge.frac(0); got != 0.5 {
		t.Errorf("frac over an overflowing span = %v, want 0.5", got)
	}
}

// checkBars verifies what every bar must satisfy: finite geometry, inside
// the viewBox, non-negative sizes, a label.
func checkBars(t *testing.T, name string, bars []bar, f frame) {
	t.Helper()
	for _, b := range bars {
		for _, v := range []float64{b.X, b.Y, b.W, b.H, b.HitY, b.HitH, b.MX, b.MY} {
			if !isFinite(v) {
				t.Errorf("%s class %d (%v): non-finite geometry %+v", name, b.Class, b.Value, b)
			}
		}
		if b.W <= 0 || b.H < 0 || b.Y < f.Top-1e-9 || b.Y+b.H > f.bottom()+1e-9 || b.X < f.Left || b.X+b.W > f.Left+f.PlotW+1e-9 {
			t.Errorf("%s class %d (%v): bar %v,%v %v×%v outside the plot %+v", name, b.Class, b.Value, b.X, b.Y, b.W, b.H, f)
		}
		if b.Mark != "" && (b.MY < 0 || b.MY > f.H) {
			t.Errorf("%s class %d: marker at y=%v outside the viewBox", name, b.Class, b.MY)
		}
		if !strings.HasPrefix(b.Label, fmt.Sprintf("class %d: ", b.Class+1)) {
			t.Errorf("%s: label %q", name, b.Label)
		}
	}
}

func TestPQBars(t *testing.T) {
	ts := []compute.Term{
		{P: 0.5, Q: 0.25}, {P: nan, Q: inf}, {P: -0.1, Q: 0}, {P: -inf, Q: 0.4},
	}
	a := pqAxis(ts)
	if a.Lo != 0 || a.Hi != 0.5 {
		t.Fatalf("pqAxis = %v, want [0, 0.5] from the finite values", a)
	}
	f := newFrame(len(ts), 44, 220, 18, 24, a)
	bars := pqBars(ts, f, a)
	if len(bars) != 2*len(ts) {
		t.Fatalf("%d bars for %d classes", len(bars), len(ts))
	}
	checkBars(t, "pq", bars, f)
	base := f.bottom()
	for _, c := range []struct {
		i          int
		kind, mark string
		top        float64 // the y of the bar's top
		label      string
	}{
		{0, "bar bar-p", "", f.Top, "class 1: p = 0.5, q = 0.25"},
		{1, "bar bar-q", "", f.Top + f.PlotH/2, "class 1: q = 0.25, p = 0.5"},
		{2, "bar bar-p clamped", "NaN", base - stubH, "class 2: p = NaN, q = +∞ (NaN: not on the scale)"},
		{3, "bar bar-q clamped", "∞", f.Top, "class 2: q = +∞, p = NaN (+∞: drawn to the top)"},
		{4, "bar bar-p clamped", "<0", base - stubH, "class 3: p = −0.1, q = 0 (negative: drawn at 0)"},
		{5, "bar bar-q", "", base, "class 3: q = 0, p = −0.1"},
		{6, "bar bar-p clamped", "−∞", base - stubH, "class 4: p = −∞, q = 0.4 (negative: drawn at 0)"},
	} {
		b := bars[c.i]
		if b.Kind != c.kind || b.Mark != c.mark || math.Abs(b.Y-c.top) > 1e-9 || math.Abs(b.Y+b.H-base) > 1e-9 || b.Label != c.label {
			t.Errorf("bar %d = %+v\nwant kind %q mark %q top %v label %q", c.i, b, c.kind, c.mark, c.top, c.label)
		}
	}
	if !(bars[0].X+bars[0].W <= bars[1].X) || !(bars[1].X+bars[1].W <= bars[2].X) {
		t.Errorf("P and Q bars overlap: %+v %+v %+v", bars[0], bars[1], bars[2])
	}
}

func TestTermBars(t *testing.T) {
	ts := []compute.Term{
		{Value: 0.3}, {Value: -0.2}, {Value: inf, Special: compute.SpecialQZero}, {Value: -inf}, {Value: nan}, {Value: 0},
	}
	a := termsAxis(ts)
	if want := []float64{-0.2, 0, 0.2, 0.4}; !reflect.DeepEqual(a.Ticks, want) {
		t.Fatalf("termsAxis = %v, want ticks %v from the finite terms", a, want)
	}
	f := newFrame(len(ts), 30, 240, 18, 36, a)
	bars := termBars(ts, f, a)
	checkBars(t, "terms", bars, f)
	zero := f.y(a, 0)
	for _, c := range []struct {
		i          int
		kind, mark string
		y0, y1     float64 // top and bottom of the bar
	}{
		{0, "bar bar-pos", "", f.y(a, 0.3), zero},
		{1, "bar bar-neg", "", zero, f.y(a, -0.2)},
		{2, "bar bar-pos inf", "∞", f.Top, zero},
		{3, "bar bar-neg inf", "−∞", zero, f.bottom()},
		{4, "bar bar-nan nan", "NaN", zero - stubH/2, zero + stubH/2},
		{5, "bar bar-pos", "", zero, zero},
	} {
		b := bars[c.i]
		if b.Kind != c.kind || b.Mark != c.mark || math.Abs(b.Y-c.y0) > 1e-9 || math.Abs(b.Y+b.H-c.y1) > 1e-9 {
			t.Errorf("bar %d (%v) = %+v\nwant kind %q mark %q from y %v to %v", c.i, ts[c.i].Value, b, c.kind, c.mark, c.y0, c.y1)
		}
	}
	if b := bars[2]; b.MY >= f.Top || bars[3].MY <= f.bottom() {
		t.Errorf("the ∞ markers must sit beyond the edges: %v, %v", b.MY, bars[3].MY)
	}
	if got, want := bars[2].Label, "class 3: term = +∞ (p = 0, q = 0; "+texts(langEN).special(compute.SpecialQZero)+")"; got != want {
		t.Errorf("label %q, want %q", got, want)
	}
}

// Infinite terms alone still get a bar with a height; huge finite terms
// keep the geometry finite.
func TestTermBarsEdgeCases(t *testing.T) {
	m := math.MaxFloat64
	for _, ts := range [][]compute.Term{
		{{Value: inf}, {Value: 0}},
		{{Value: -inf}, {Value: 0}},
		{{Value: inf}, {Value: -inf}, {Value: nan}},
		{{Value: nan}},
		{{Value: m}, {Value: -m}, {Value: inf}, {Value: 5e-324}},
		{{Value: -1}, {Value: nan}}, // zero line at the top: the NaN marker goes below
	} {
		a := termsAxis(ts)
		f := newFrame(len(ts), 30, 240, 18, 36, a)
		bars := termBars(ts, f, a)
		checkBars(t, fmt.Sprint(ts), bars, f)
		for _, b := range bars {
			if math.IsInf(b.Value, 0) && b.H <= 0 {
				t.Errorf("%v: the bar of %v has no height", ts, b.Value)
			}
		}
	}
	// Only +∞ above 0: as much room above as the finite terms take below.
	if a := termsAxis([]compute.Term{{Value: -0.08}, {Value: inf}}); a.Lo != -0.1 || a.Hi != 0.1 {
		t.Errorf("termsAxis(−0.08, +∞) = %v, want [−0.1, 0.1]", a)
	}
	ps := []compute.Term{{P: m, Q: 5e-324}, {P: nan, Q: nan}, {P: inf, Q: -inf}}
	a := pqAxis(ps)
	f := newFrame(len(ps), 44, 220, 18, 24, a)
	checkBars(t, "pq extremes", pqBars(ps, f, a), f)
}

func TestLabelEvery(t *testing.T) {
	for _, c := range []struct {
		slot float64
		want int
	}{{40, 1}, {24, 1}, {20, 2}, {11, 5}, {3, 10}, {0.1, 100}} {
		if got := labelEvery(c.slot); got != c.want {
			t.Errorf("labelEvery(%v) = %d, want %d", c.slot, got, c.want)
		}
	}
}

func mustCalculate(t *testing.T, p, q compute.Tensor) *compute.Result {
	t.Helper()
	r, err := compute.Calculate(compute.Side{Data: p}, compute.Side{Data: q},
		compute.Options{Reduction: compute.ReductionSum, DType: compute.DTypeFloat64})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func matrix(rows, cols int, f func(i, j int) float64) compute.Tensor {
	d := make([]float64, 0, rows*cols)
	for i := range rows {
		for j := range cols {
			d = append(d, f(i, j))
		}
	}
	return compute.Tensor{Shape: []int{rows, cols}, Data: d}
}

// elem is a rendered HTML element. go-app keeps the tag, namespace,
// attributes and children in unexported fields, and HTMLString does not
// write the namespace; reflect reads them (v9.8.0 layout).
type elem struct {
	tag, xmlns string
	attrs      map[string]string
	text       string // the concatenated text children
	children   []elem
}

func tree(t *testing.T, ui app.UI) elem {
	t.Helper()
	e, ok := treeOf(reflect.ValueOf(ui))
	if !ok {
		t.Fatalf("not an HTML element: %T", ui)
	}
	return e
}

func treeOf(v reflect.Value) (elem, bool) {
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	h := v.FieldByName("htmlElement")
	if !h.IsValid() {
		return elem{}, false
	}
	e := elem{tag: h.FieldByName("tag").String(), xmlns: h.FieldByName("xmlns").String(), attrs: map[string]string{}}
	attrs := h.FieldByName("attributes")
	for _, k := range attrs.MapKeys() {
		e.attrs[k.String()] = attrs.MapIndex(k).String()
	}
	ch := h.FieldByName("children")
	for i := range ch.Len() {
		c := ch.Index(i).Elem().Elem() // interface → pointer → struct
		if c.Type().Name() == "text" {
			e.text += c.FieldByName("value").String()
		} else if ce, ok := treeOf(c); ok {
			e.children = append(e.children, ce)
		}
	}
	return e, true
}

// each calls fn on e and every element under it, with whether it is an
// <svg> or inside one.
func (e elem) each(inSVG bool, fn func(e elem, inSVG bool)) {
	inSVG = inSVG || e.tag == "svg"
	fn(e, inSVG)
	for _, c := range e.children {
		c.each(inSVG, fn)
	}
}

func renderTree(t *testing.T, c *chartView) elem {
	t.Helper()
	return tree(t, c.Render())
}

func TestChartViewStructure(t *testing.T) {
	// Class 2 has q = 0 where p > 0 (+∞); class 3 has p = 0 (term 0).
	r := mustCalculate(t, compute.Vector([]float64{0.1, 0.9, 0}), compute.Vector([]float64{0.2, 0, 0.8}))
	root := renderTree(t, newChartView().Result(r))
	if root.tag != "section" || root.attrs["aria-labelledby"] != "charts-heading" {
		t.Errorf("root %s %v", root.tag, root.attrs)
	}
	svgs := map[string]elem{}
	bars := 0
	root.each(false, func(e elem, inSVG bool) {
		if e.tag == "h2" && e.text != "Charts" {
			t.Errorf("heading %q", e.text)
		}
		if e.tag == "select" || e.attrs["id"] == "chart-row" {
			t.Errorf("a row selector for a single row")
		}
		if inSVG != (e.xmlns == svgNS) {
			t.Errorf("<%s> inSVG=%v has xmlns %q", e.tag, inSVG, e.xmlns)
		}
		if _, ok := e.attrs["class"]; ok && inSVG {
			t.Errorf("<%s> in an svg has a class, which go-app cannot set on SVG elements", e.tag)
		}
		if e.tag == "svg" {
			svgs[e.attrs["id"]] = e
			if e.attrs["role"] != "group" || e.attrs["aria-label"] == "" || e.children[0].tag != "title" ||
				e.children[0].text != e.attrs["aria-label"] || e.attrs["width"] != "100%" || !strings.HasPrefix(e.attrs["viewBox"], "0 0 ") {
				t.Errorf("svg %v, first child %v", e.attrs, e.children[0])
			}
		}
		if strings.HasPrefix(e.attrs["data-c"], "bar ") {
			bars++
			if e.tag != "g" || e.attrs["tabindex"] != "0" || e.attrs["role"] != "img" || e.attrs["aria-label"] == "" ||
				len(e.children) < 3 || e.children[0].tag != "title" || e.children[0].text != e.attrs["aria-label"] {
				t.Errorf("bar %v %v", e.attrs, e.children)
			}
		}
	})
	if len(svgs) != 2 || svgs["chart-pq"].tag == "" || svgs["chart-terms"].tag == "" {
		t.Fatalf("svgs %v", svgs)
	}
	if bars != 3*2+3 {
		t.Errorf("%d bars, want 9", bars)
	}

	html := app.HTMLString(newChartView().Result(r))
	for _, want := range []string{
		`aria-label="class 1: p = 0.1, q = 0.2"`,
		`aria-label="class 2: q = 0, p = 0.9"`,
		`aria-label="class 2: term = +∞ (p = 0.9, q = 0; ` + texts(langEN).special(compute.SpecialQZero) + `)"`,
		`aria-label="class 3: term = 0 (p = 0, q = 0.8; ` + texts(langEN).special(compute.SpecialTargetZero) + `)"`,
		`>∞</text>`,
		"P (target)\n</li>", "Q (model)\n</li>", `±∞, drawn to the edge`,
		`>c1</text>`, `>c3</text>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML lacks %s", want)
		}
	}
	checkNumericAttributes(t, html)
}

var (
	attrRE     = regexp.MustCompile(`\s([a-zA-Z-]+)="([^"]*)"`)
	numberList = regexp.MustCompile(`[^\s(),]+`)
	pxRE       = regexp.MustCompile(`:\s*([^;]*)px`)
)

// checkNumericAttributes fails on any geometry attribute that is not a
// finite number.
func checkNumericAttributes(t *testing.T, html string) {
	t.Helper()
	for _, m := range attrRE.FindAllStringSubmatch(html, -1) {
		name, val := m[1], m[2]
		var nums []string
		switch name {
		case "x", "y", "x1", "x2", "y1", "y2", "height":
			nums = []string{val}
		case "width":
			if val != "100%" {
				nums = []string{val}
			}
		case "viewBox":
			nums = strings.Fields(val)
		case "transform":
			nums = numberList.FindAllString(strings.TrimPrefix(val, "rotate"), -1)
		case "style":
			for _, m := range pxRE.FindAllStringSubmatch(val, -1) {
				nums = append(nums, m[1])
			}
		}
		for _, n := range nums {
			if x, err := strconv.ParseFloat(n, 64); err != nil || !isFinite(x) {
				t.Errorf("%s=%q is not a finite number", name, val)
			}
		}
	}
	for _, bad := range []string{`="NaN"`, `"Inf`, `"+Inf"`, `-Inf`} {
		if strings.Contains(html, bad) {
			t.Errorf("the HTML contains %s", bad)
		}
	}
}

func TestChartViewSpecialValues(t *testing.T) {
	// Negative and NaN probabilities (P as given), q = 0 and an input of +∞.
	p := compute.Vector([]float64{-0.5, nan, 0.7, 0.8, 1e308})
	q := compute.Tensor{Shape: []int{5}, Data: []float64{0.5, 0.5, 0, inf, 1e-308}}
	r := mustCalculate(t, p, q)
	html := app.HTMLString(newChartView().Result(r))
	checkNumericAttributes(t, html)
	for _, want := range []string{">&lt;0</text>", ">NaN</text>", ">∞</text>", "dashed: off the scale"} {
		if !strings.Contains(html, want) && !strings.Contains(html, strings.ReplaceAll(want, "&lt;", "<")) {
			t.Errorf("the HTML lacks %s", want)
		}
	}
}

func TestChartViewClassCap(t *testing.T) {
	const n = 10000
	p := matrix(1, n, func(_, j int) float64 { return 1.0 / n })
	q := matrix(1, n, func(_, j int) float64 {
		if j == n-1 {
			return 0 // a hidden +∞ term
		}
		return 1.0 / (n - 1)
	})
	r := mustCalculate(t, p, q)
	c := newChartView().Result(r)
	rects, gs := 0, 0
	renderTree(t, c).each(false, func(e elem, _ bool) {
		switch e.tag {
		case "rect":
			rects++
		case "g":
			gs++
		}
	})
	if gs != 3*maxChartClasses || rects != 2*gs {
		t.Errorf("%d bars and %d rects for %d classes, want %d and %d", gs, rects, n, 3*maxChartClasses, 6*maxChartClasses)
	}
	html := app.HTMLString(c)
	if !strings.Contains(html, "classes 1–60 of 10000") || !strings.Contains(html, "Not drawn: 1 term of ±∞ or NaN.") {
		t.Errorf("no note about the hidden classes in %.300s…", html[strings.Index(html, "chart-note"):])
	}
	if strings.Contains(html, ">c61<") || strings.Contains(html, "class 61:") {
		t.Errorf("class 61 is drawn")
	}
	if len(html) > 200_000 {
		t.Errorf("%d bytes of HTML for 10 000 classes", len(html))
	}
	checkNumericAttributes(t, html)
}

func TestChartViewRows(t *testing.T) {
	p := matrix(3, 2, func(i, j int) float64 { return []float64{0.5, 0.5, 0.9, 0.1, 0.2, 0.8}[2*i+j] })
	q := matrix(3, 2, func(i, j int) float64 { return []float64{0.5, 0.5, 0.5, 0.5, 0.6, 0.4}[2*i+j] })
	r := mustCalculate(t, p, q)
	for _, c := range []struct {
		row      int
		wantRow  int
		wantText string
	}{{0, 0, "class 1: p = 0.5, q = 0.5"}, {1, 1, "class 1: p = 0.9, q = 0.5"}, {2, 2, "class 2: p = 0.8, q = 0.4"}, {7, 2, "class 1: p = 0.2, q = 0.6"}, {-1, 0, "class 1: p = 0.5"}} {
		var options []elem
		root := renderTree(t, newChartView().Result(r).Row(c.row))
		root.each(false, func(e elem, _ bool) {
			if e.tag == "select" && e.attrs["id"] == "chart-row" {
				options = e.children
			}
		})
		if len(options) != 3 {
			t.Fatalf("row %d: %d options", c.row, len(options))
		}
		for i, o := range options {
			if sel := o.attrs["selected"] == "true"; sel != (i == c.wantRow) || o.attrs["value"] != strconv.Itoa(i+1) {
				t.Errorf("row %d: option %d %v", c.row, i, o.attrs)
			}
		}
		html := app.HTMLString(newChartView().Result(r).Row(c.row))
		if !strings.Contains(html, c.wantText) || !strings.Contains(html, fmt.Sprintf("per class, row %d:", c.wantRow+1)) {
			t.Errorf("row %d: the chart does not draw row %d", c.row, c.wantRow+1)
		}
	}

	// Many rows: a number field instead of 1000 options.
	big := mustCalculate(t, matrix(1000, 2, func(int, int) float64 { return 0.5 }), matrix(1000, 2, func(int, int) float64 { return 0.5 }))
	html := app.HTMLString(newChartView().Result(big).Row(999))
	if !strings.Contains(html, `type="number"`) || !strings.Contains(html, `id="chart-row"`) || strings.Contains(html, "<option") {
		t.Errorf("1000 rows: no number field")
	}
}

// The calculator owns the chart's row: the reader's choice survives
// edits and invalid input, and is clamped when the result has fewer rows.
func TestCalculatorChartRow(t *testing.T) {
	rows := func(n int) [][]string {
		r := make([][]string, n)
		for i := range r {
			r[i] = []string{"0.5", "0.5"}
		}
		return r
	}
	c := newCalculator()
	c.state.P, c.state.Q, c.ready = rows(3), rows(3), true
	c.guard(c.recompute)
	for _, step := range []struct {
		name string
		edit func()
		want int
	}{
		{"picked", func() { c.onChartRow(nil, 2) }, 2},
		{"another value", func() { c.state.P[0][0] = "0.25"; c.guard(c.recompute) }, 2},
		{"invalid input", func() { c.state.P[0][0] = "x"; c.guard(c.recompute) }, 2},
		{"valid again", func() { c.state.P[0][0] = "0.5"; c.guard(c.recompute) }, 2},
		{"fewer rows", func() { c.state.P, c.state.Q = rows(2), rows(2); c.guard(c.recompute) }, 1},
		{"more rows", func() { c.state.P, c.state.Q = rows(4), rows(4); c.guard(c.recompute) }, 1},
	} {
		step.edit()
		if c.chartRow != step.want {
			t.Errorf("%s: row %d, want %d", step.name, c.chartRow, step.want)
		}
		if c.result == nil {
			continue
		}
		// A fresh page: HTMLString draws a component once.
		f := newCalculator()
		f.state, f.ready, f.chartRow = c.state, true, c.chartRow
		f.state.View = viewCharts
		f.recompute()
		page := app.HTMLString(f)
		if !strings.Contains(page, fmt.Sprintf("per class, row %d:", step.want+1)) ||
			!regexp.MustCompile(fmt.Sprintf(`<option (selected value="%d"|value="%d" selected)>`, step.want+1, step.want+1)).MatchString(page) {
			t.Errorf("%s: the page does not draw row %d", step.name, step.want+1)
		}
	}
}

func TestChartViewEmpty(t *testing.T) {
	if html := app.HTMLString(newChartView()); html != `<section class="charts"></section>` {
		t.Errorf("no result: %s", html)
	}
}
