package app

import (
	"strings"
	"testing"
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
	if _, err := DecodeState("tab=graphs"); err == nil || !strings.Contains(err.Error(), "tab must be breakdown, charts, related, libraries or code") {
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
