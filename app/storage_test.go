package app

import (
	"math"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

// TestStorageCheck: P = [0.1, 0.2, 0.7], Q = [0.3, 0.3, 0.4] in bfloat16,
// reduction sum. Expected values from PyTorch 1.13.1:
// torch.tensor(P).to(torch.bfloat16) is [0.10009765625, 0.2001953125,
// 0.69921875], summing to 0.99951171875; Q's sum to 1.001953125;
// F.kl_div in float64 of the stored values 0.1982019262823175, of the
// given ones 0.20077680106635204.
func TestStorageCheck(t *testing.T) {
	p := compute.Side{Data: compute.Vector([]float64{0.1, 0.2, 0.7}), Form: compute.FormProb, Temperature: 1}
	q := compute.Side{Data: compute.Vector([]float64{0.3, 0.3, 0.4}), Form: compute.FormProb, Temperature: 1}
	opt := compute.Options{Reduction: compute.ReductionSum, DType: compute.DTypeBFloat16}
	d, ok := storageCheck(p, q, opt, 0.201171875)
	if !ok {
		t.Fatal("no storage data for bfloat16")
	}
	if d.PMin != 0.99951171875 || d.PMax != d.PMin || d.QMin != 1.001953125 || !d.HasPSums || !d.HasQSums {
		t.Errorf("row sums: %+v", d)
	}
	if math.Abs(d.Stored-0.1982019262823175) > 1e-15 || math.Abs(d.Given-0.20077680106635204) > 1e-15 {
		t.Errorf("stored %v, given %v", d.Stored, d.Given)
	}
	opt.DType = compute.DTypeFloat32
	if _, ok := storageCheck(p, q, opt, 0); ok {
		t.Error("storage data for float32")
	}
	q.Form = compute.FormLogits
	opt.DType = compute.DTypeBFloat16
	if d, ok := storageCheck(p, q, opt, 0); !ok || d.HasQSums {
		t.Errorf("logits: %+v %v", d, ok)
	}
}

// TestStorageKind: the verdict weighs storage's shift against the
// arithmetic's (a derivation from the definitions in storageKind).
func TestStorageKind(t *testing.T) {
	for _, tc := range []struct {
		given, stored, value float64
		want                 storageVerdict
	}{
		{0.00124, -0.00342, -0.00340, verdictNegative}, // issue 13's 32 000-class bf16 row
		{0.2, 0.2, 0.2, verdictSmall},
		{0.2, 0.19, 0.1901, verdictStorage},
		{0.2, 0.2001, 0.21, verdictArith},
		{0.20077680106635204, 0.1982019262823175, 0.201171875, verdictBoth}, // TestStorageCheck's case
	} {
		if got := storageKind(storageData{Given: tc.given, Stored: tc.stored, Value: tc.value}); got != tc.want {
			t.Errorf("given %v stored %v value %v: %v, want %v", tc.given, tc.stored, tc.value, got, tc.want)
		}
	}
}
