package app

import (
	"fmt"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

// TestReductionReusesTerms checks that an edit of the reduction alone
// divides the terms already computed (the result shares its Input with
// the previous one) and gives what computing afresh gives, and that any
// other change computes afresh. The expectation is a fresh calculator's
// recompute of the edited state.
func TestReductionReusesTerms(t *testing.T) {
	for _, tc := range []struct {
		name   string
		link   string
		edit   func(s *State)
		reused bool
	}{
		{"batchmean → sum", "p=0.1,0.4,0.5&q=0.2,0.3,0.5", func(s *State) { s.Reduction = compute.ReductionSum }, true},
		{"batchmean → mean, 2-D logits, bfloat16", "p=1,2,3;0,0,1&q=2,1,0;1,1,1&p_as=logits&q_as=logits&dtype=bfloat16",
			func(s *State) { s.Reduction = compute.ReductionMean }, true},
		{"sum → none, 3-D", "p=0.5,0.5;0.2,0.8;0.1,0.9;0.3,0.7&q=0.4,0.6;0.3,0.7;0.5,0.5;0.2,0.8&p_shape=2,2,2&q_shape=2,2,2&reduction=sum",
			func(s *State) { s.Reduction = compute.ReductionNone }, true},
		{"none → sum: the reference is computed then", "p=0.1,0.9&q=0.5,0.5&reduction=none", func(s *State) { s.Reduction = compute.ReductionSum }, true},
		{"the reduction and a cell", "p=0.1,0.4,0.5&q=0.2,0.3,0.5", func(s *State) {
			s.Reduction = compute.ReductionSum
			s.setCell(sideQ, 0, 0, "0.25")
		}, false},
		{"the reduction and the dtype", "p=0.1,0.4,0.5&q=0.2,0.3,0.5", func(s *State) {
			s.Reduction, s.DType = compute.ReductionSum, compute.DTypeFloat64
		}, false},
		{"the reduction and a temperature", "p=1,2&q=2,1&p_as=logits&q_as=logits", func(s *State) {
			s.Reduction, s.QTemp = compute.ReductionSum, "2"
		}, false},
	} {
		st, err := DecodeState(tc.link)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		c := newCalculator()
		c.state, c.ready = st, true
		c.recompute()
		prev := c.result
		if prev == nil {
			t.Fatalf("%s: no result: %v", tc.name, c.inputErr)
		}
		old := c.state
		c.state.detach()
		tc.edit(&c.state)
		c.state.keepUnchanged(old)
		c.recompute()

		fresh := newCalculator()
		fresh.state, fresh.ready = c.state, true
		fresh.recompute()
		if c.result == nil || fresh.result == nil {
			t.Fatalf("%s: no result after the edit", tc.name)
		}
		if g, w := fmt.Sprintf("%+v %+v", c.result.Reduced, c.result.Warnings), fmt.Sprintf("%+v %+v", fresh.result.Reduced, fresh.result.Warnings); g != w {
			t.Errorf("%s: got %s, want %s", tc.name, g, w)
		}
		if g, w := fmt.Sprintf("%v %v %v", c.result.Float64, c.result.Output, c.result.Options), fmt.Sprintf("%v %v %v", fresh.result.Float64, fresh.result.Output, fresh.result.Options); g != w {
			t.Errorf("%s: got %s, want %s", tc.name, g, w)
		}
		if c.kl.opt != fresh.kl.opt {
			t.Errorf("%s: the snippet's options are %+v, want %+v", tc.name, c.kl.opt, fresh.kl.opt)
		}
		if reused := &c.result.Input.Data[0] == &prev.Input.Data[0]; reused != tc.reused {
			t.Errorf("%s: the terms were reused: %v, want %v", tc.name, reused, tc.reused)
		}
	}
}
