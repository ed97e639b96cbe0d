package app

import (
	"math"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

// Each warning that has a fix offers it, and applying the fix removes the
// warning; the smoothing's preview is the value the fixed state computes.
func TestWarningFixes(t *testing.T) {
	tests := []struct {
		name, frag string
		code       compute.WarningCode
		fix        fixKind
	}{
		{"probabilities typed as log", "p=0.1,0.4,0.5&q=0.2,0.3,0.5&q_as=log", compute.WarnLooksLikeProbabilities, fixFormProb},
		{"logits typed as probabilities", "p=0.1,0.4,0.5&q=2.1,-0.3,4", compute.WarnNegativeProbability, fixFormLogits},
		{"rows that do not sum to 1", "p=0.2,0.4,0.6&q=0.2,0.3,0.5", compute.WarnRowSum, fixRenormalise},
		{"row sums far from 1 with values above 1", "p=0.1,0.4,0.5&q=3,1,2", compute.WarnRowSum, fixFormLogits},
		{"a zero in Q", "p=0.5,0.5&q=1,0&reduction=sum", compute.WarnQZeroWherePPositive, fixSmooth},
		{"'mean'", "p=0.5,0.5;0.9,0.1&q=0.25,0.75;0.5,0.5&reduction=mean", compute.WarnMeanReduction, fixBatchMean},
		{"1-D batchmean", "p=0.1,0.4,0.5&q=0.2,0.3,0.5", compute.WarnBatchMean1D, fixTwoD},
	}
	for _, tt := range tests {
		c := newCalculator()
		st, err := DecodeState(tt.frag)
		if err != nil {
			t.Fatal(err)
		}
		c.state, c.ready = st, true
		c.guard(c.recompute)
		if c.result == nil {
			t.Fatalf("%s: no result: %q", tt.name, c.inputErr)
		}
		i := warningIndex(c.result.Warnings, tt.code)
		if i < 0 {
			t.Errorf("%s: no %v in %v", tt.name, tt.code, c.result.Warnings)
			continue
		}
		a := c.fixes[i]
		if a.Kind != tt.fix {
			t.Errorf("%s: fix %d, want %d", tt.name, a.Kind, tt.fix)
			continue
		}
		for _, l := range []lang{langEN, langKO} {
			if label := texts(l).fixLabel(l, a); label == "" || strings.Contains(label, "%!") {
				t.Errorf("%s: %v label %q", tt.name, l, label)
			}
		}
		a.apply(&c.state)
		c.guard(c.recompute)
		if c.result == nil {
			t.Errorf("%s: no result after the fix: %q", tt.name, c.inputErr)
			continue
		}
		if warningIndex(c.result.Warnings, tt.code) >= 0 {
			t.Errorf("%s: %v remains after the fix (state %+v)", tt.name, tt.code, c.state)
		}
		if a.Kind == fixSmooth && (math.IsNaN(a.Value) || a.Value != c.result.Value || math.IsInf(a.Value, 0)) {
			t.Errorf("%s: the fix says %v, the fixed state gives %v", tt.name, a.Value, c.result.Value)
		}
	}
}

func warningIndex(ws []compute.Warning, code compute.WarningCode) int {
	for i, w := range ws {
		if w.Code == code {
			return i
		}
	}
	return -1
}

// Errors come before warnings, and warnings before notes.
func TestWarningOrder(t *testing.T) {
	ws := []compute.Warning{{Code: compute.WarnCountsNormalised}, {Code: compute.WarnBatchMean1D}, {Code: compute.WarnInfResult}, {Code: compute.WarnQZeroWherePPositive}}
	sortWarnings(ws)
	got := []compute.WarningCode{ws[0].Code, ws[1].Code, ws[2].Code, ws[3].Code}
	want := []compute.WarningCode{compute.WarnInfResult, compute.WarnQZeroWherePPositive, compute.WarnBatchMean1D, compute.WarnCountsNormalised}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}
