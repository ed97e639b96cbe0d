package distill

import (
	"errors"
	"math"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

// fuzzLogit maps a byte to a logit: most bytes are ordinary values in
// [−15.75, 15.75], and three are the special values −Inf, +Inf and NaN.
func fuzzLogit(b byte) float64 {
	switch b {
	case 0:
		return math.Inf(-1)
	case 1:
		return math.Inf(1)
	case 2:
		return math.NaN()
	}
	return (float64(b) - 128) / 8
}

// FuzzCompute builds an input from the fuzzer's bytes (rows = 0 means a
// [V] row) and checks that Compute does not panic, that it rejects only
// what it documents, and the invariants that hold on any input.
func FuzzCompute(f *testing.F) {
	f.Add(uint8(1), uint8(4), []byte{153, 120, 132, 190, 151, 125, 129, 176}, uint8(1), 0.5, 4.0)
	f.Add(uint8(0), uint8(3), []byte{0, 130, 140, 128, 0, 1}, uint8(0), 0.0, 1.0)
	f.Add(uint8(2), uint8(2), []byte{2, 130, 128, 128, 128, 128, 140, 120}, uint8(2), 1.0, 0.0)
	f.Fuzz(func(t *testing.T, rows, cols uint8, logits []byte, mask uint8, beta, temp float64) {
		n, v := int(rows%9), int(cols%40)
		r := max(n, 1)
		shape := []int{n, v}
		if n == 0 {
			shape = []int{v}
		}
		data := make([]float64, 2*r*v)
		for i := range data {
			if len(logits) > 0 {
				data[i] = fuzzLogit(logits[i%len(logits)])
			}
		}
		var m []bool
		if mask != 0xff {
			m = make([]bool, r)
			for i := range m {
				m[i] = mask&(1<<(i%8)) != 0
			}
		}
		in := Input{
			Teacher: compute.Tensor{Shape: shape, Data: data[:r*v]},
			Student: compute.Tensor{Shape: shape, Data: data[r*v:]},
			Mask:    m,
			Beta:    beta,
			T:       temp,
		}
		got, err := Compute(in)
		if !(beta >= 0 && beta <= 1) {
			if !errors.Is(err, ErrBeta) {
				t.Fatalf("β = %v: error %v, want ErrBeta", beta, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Compute: %v", err)
		}
		if len(got) != int(numFlavors) {
			t.Fatalf("%d values", len(got))
		}
		tokens := 0
		for _, c := range m {
			if c {
				tokens++
			}
		}
		if m == nil {
			tokens = r
		}
		for i, x := range got {
			if x.Flavor != Flavor(i) {
				t.Errorf("value %d is %v", i, x.Flavor)
			}
			want := tokens
			if x.Flavor == KLDiv || x.Flavor == Hinton {
				want = r
			}
			if x.Tokens != want {
				t.Errorf("%v: Tokens = %d, want %d", x.Flavor, x.Tokens, want)
			}
			if x.Note.Has(NoteTemperature) != (!(temp > 0) || math.IsInf(temp, 1)) {
				t.Errorf("%v: note %q at T = %v", x.Flavor, x.Note, temp)
			}
		}
		val := func(f Flavor) float64 { return got[f].Value }
		if h, k := val(Hinton), val(KLDiv)*(temp*temp); !alike(h, k, 0) {
			t.Errorf("Hinton = %v, want T²·KLDiv = %v", h, k)
		}
		if got[MaskedFKL].Tokens > 0 {
			switch beta {
			case 0:
				if !alike(val(GKD), val(MaskedFKL), 0) {
					t.Errorf("GKD(β=0) = %v, MaskedFKL = %v", val(GKD), val(MaskedFKL))
				}
			case 1:
				if !alike(val(GKD), val(MaskedRKL), 0) {
					t.Errorf("GKD(β=1) = %v, MaskedRKL = %v", val(GKD), val(MaskedRKL))
				}
			}
		} else {
			// Nothing counted: the documented values, whatever the logits.
			for _, f := range []Flavor{TorchtuneFKL, TorchtuneRKL, GKD} {
				if val(f) != 0 {
					t.Errorf("%v = %v with nothing counted, want 0", f, val(f))
				}
			}
			if !math.IsNaN(val(MaskedFKL)) || !math.IsNaN(val(MaskedRKL)) {
				t.Errorf("masked means %v, %v with nothing counted, want NaN", val(MaskedFKL), val(MaskedRKL))
			}
		}
		// The divergences are never below 0 beyond rounding (NaN and +Inf
		// allowed); KL values are at most a few units here, so 1e-12 is
		// thousands of roundings.
		for _, f := range []Flavor{KLDiv, MaskedFKL, MaskedRKL, GKD} {
			if x := val(f); x < -1e-12 || math.IsInf(x, -1) {
				t.Errorf("%v = %v < 0", f, x)
			}
		}
		if b := beta; b > 0 && b < 1 {
			if h := -b*math.Log(b) - (1-b)*math.Log1p(-b); val(GKD) > h+1e-12 && !math.IsInf(val(GKD), 0) {
				t.Errorf("GKD(β=%v) = %v > h(β) = %v", b, val(GKD), h)
			}
		}
	})
}
