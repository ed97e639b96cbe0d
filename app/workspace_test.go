package app

import (
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The open tab and the class link live in the link, and only when they
// differ from the defaults, so that older links read as before.
func TestWorkspaceKeys(t *testing.T) {
	s := defaultState()
	if enc := s.Encode(); strings.Contains(enc, "tab=") || strings.Contains(enc, "linked=") {
		t.Errorf("default state writes %q", enc)
	}
	for _, v := range views() {
		s.View, s.Unlinked = v, v == viewCode
		got, err := DecodeState(s.Encode())
		if err != nil || got.View != v || got.Unlinked != s.Unlinked {
			t.Errorf("%v: decoded %v, %v (%v)", v, got.View, got.Unlinked, err)
		}
	}
	if _, err := DecodeState("tab=graphs"); err == nil || !strings.Contains(err.Error(), "tab must be breakdown, charts, related, libraries, code, gradient or distill") {
		t.Errorf("tab=graphs: %v", err)
	}
	if _, err := DecodeState("linked=yes"); err == nil {
		t.Error("linked=yes accepted")
	}
}

// + class on one side adds a class to both while they have as many and the
// link is on; with the link off, or unequal sides, only to that side.
func TestLinkedClasses(t *testing.T) {
	c := newCalculator()
	c.state = defaultState()
	c.state.resize(sideP, addCol)
	if len(c.state.P[0]) != 4 || len(c.state.Q[0]) != 4 {
		t.Errorf("linked: P %v Q %v", c.state.P, c.state.Q)
	}
	c.state.Unlinked = true
	c.state.resize(sideQ, removeCol)
	if len(c.state.P[0]) != 4 || len(c.state.Q[0]) != 3 {
		t.Errorf("unlinked: P %v Q %v", c.state.P, c.state.Q)
	}
	c.state.Unlinked = false
	c.state.resize(sideP, addCol) // 4 against 3: not linked
	if len(c.state.P[0]) != 5 || len(c.state.Q[0]) != 3 {
		t.Errorf("unequal: P %v Q %v", c.state.P, c.state.Q)
	}
	c.state.swap()
	if len(c.state.P[0]) != 3 || len(c.state.Q[0]) != 5 {
		t.Errorf("swap: P %v Q %v", c.state.P, c.state.Q)
	}
}

func TestASCIINumbers(t *testing.T) {
	for in, want := range map[string]string{
		"−0.5\t+∞\t−∞\t∞": "-0.5\tinf\t-inf\tinf",
		"0.0153":          "0.0153",
		"p·log(p/q) − x":  "p·log(p/q) - x",
	} {
		if got := asciiNumbers(in); got != want {
			t.Errorf("asciiNumbers(%q) = %q, want %q", in, got, want)
		}
	}
}

// The T² switch leads with kl_div × T² as PyTorch 1.13.1 computes it in
// float32: for p = [[2, 0.5, -1]], q = [[1, 1, 0.3]] as logits,
// F.kl_div(F.log_softmax(q/T, -1), F.log_softmax(p/T, -1),
// reduction='batchmean', log_target=True) * T**2 is 0.42687350511550903
// at T = 2 and 0.4500252604484558 at T = 3 (tensor(0.4269), tensor(0.4500)).
func TestScaleT2Headline(t *testing.T) {
	for _, tc := range []struct {
		temp, want string
		printed    string
	}{
		{"2", "0.42687350511550903", "tensor(0.4269)"},
		{"3", "0.4500252604484558", "tensor(0.4500)"},
	} {
		st, err := DecodeState("p=2,0.5,-1&q=1,1,0.3&p_as=logits&q_as=logits&p_temp=" + tc.temp + "&q_temp=" + tc.temp + "&dims=2&t2=1")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(st.Encode(), "t2=1") {
			t.Errorf("the link drops t2=1: %s", st.Encode())
		}
		c := newCalculator()
		c.state, c.ready = st, true
		c.recompute()
		html := app.HTMLString(c)
		if !strings.Contains(html, `data-value="`+tc.want+`"`) || !strings.Contains(html, tc.printed) || !strings.Contains(html, "* T**2") {
			t.Errorf("T = %s: the headline is not %s (%s, * T**2):\n%.3000s", tc.temp, tc.want, tc.printed, html)
		}
	}
}

// TestStaleTab checks that the open tab says so while it still shows the
// result before an edit (data-stale, aria-busy), and not once it follows.
func TestStaleTab(t *testing.T) {
	for _, stale := range []bool{false, true} {
		c := newCalculator() // HTMLString draws a calculator once
		c.ready = true
		c.recompute()
		old := c.result
		c.state.Reduction = compute.ReductionSum
		c.recompute()
		if stale {
			c.tab.result = old // as followTab leaves it until the details come
		}
		html := app.HTMLString(c)
		i := strings.Index(html, `id="view"`)
		view := html[max(i-200, 0):min(i+200, len(html))]
		// go-app writes attributes in map order, and "true" bare.
		want := map[bool][]string{false: {`data-stale="no"`, `aria-busy="false"`}, true: {`data-stale="yes"`, `aria-busy`}}[stale]
		for _, w := range want {
			if !strings.Contains(view, w) {
				t.Errorf("stale %v: the view is not marked %s: %s", stale, w, view)
			}
		}
		if stale && strings.Contains(view, `aria-busy="false"`) {
			t.Errorf("a stale view is marked aria-busy=\"false\": %s", view)
		}
	}
}
