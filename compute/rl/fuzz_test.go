package rl

import (
	"math"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

// fuzzLogProb maps a byte to a log-probability: most bytes are values in
// [−31.75, 0], and three are −Inf, +Inf and NaN.
func fuzzLogProb(b byte) float64 {
	switch b {
	case 0:
		return math.Inf(-1)
	case 1:
		return math.Inf(1)
	case 2:
		return math.NaN()
	}
	return -float64(255-b) / 8
}

// FuzzCompute builds a batch from the fuzzer's bytes (two bytes per
// token: the log-probabilities; the mask and sequence id from seqs) and
// checks, for every preset, that Compute does not panic, that the shapes
// are right, and the invariants that hold on any input: verl's k3 lies in
// [0, 10], OpenRLHF's values in [−10, 10], k3 ≥ 0 up to float32 rounding
// for finite inputs, the counts add up, and a token's clamp flag is set
// only when its value is at a clamp's bound.
func FuzzCompute(f *testing.F) {
	f.Add([]byte{200, 190, 180, 181, 250, 100}, []byte{0, 1, 0}, false, uint8(0))
	f.Add([]byte{0, 128, 1, 128, 2, 2}, []byte{0x80, 0x81, 0x02}, true, uint8(3))
	f.Add([]byte{255, 0, 255, 1}, []byte{0x80, 0x80}, false, uint8(1))
	f.Fuzz(func(t *testing.T, lp []byte, seqs []byte, f32 bool, maxLen uint8) {
		n := len(lp) / 2
		in := Input{LogP: make([]float64, n), LogRef: make([]float64, n), MaxCompletionLength: int(maxLen)}
		if f32 {
			in.DType = compute.DTypeFloat32
		} else {
			in.DType = compute.DTypeFloat64
		}
		if len(seqs) > 0 {
			in.Mask = make([]bool, n)
			in.Seq = make([]int, n)
		}
		for i := 0; i < n; i++ {
			in.LogP[i], in.LogRef[i] = fuzzLogProb(lp[2*i]), fuzzLogProb(lp[2*i+1])
			if len(seqs) > 0 {
				s := seqs[i%len(seqs)]
				in.Mask[i] = s&0x80 == 0
				in.Seq[i] = int(s & 7)
			}
		}
		for _, p := range Presets() {
			res, err := Compute(in, p)
			if n == 0 {
				if err == nil {
					t.Fatalf("%v: no error for an empty batch", p)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%v: %v", p, err)
			}
			tokens, counted := 0, 0
			for _, s := range res.Sequences {
				tokens += s.Tokens
				counted += s.Counted
			}
			if tokens != n || counted != res.Counted || res.NegativeK1 > counted {
				t.Fatalf("%v: %d tokens, %d counted (%d), %d negative", p, tokens, counted, res.Counted, res.NegativeK1)
			}
			for _, e := range res.Estimates {
				if len(e.Tokens) != n || len(e.Clamps) != n || len(e.Seq) != len(res.Sequences) {
					t.Fatalf("%v %v: lengths %d, %d, %d", p, e.Estimator, len(e.Tokens), len(e.Clamps), len(e.Seq))
				}
				for i, v := range e.Tokens {
					finite := !math.IsInf(in.LogP[i], 0) && !math.IsNaN(in.LogP[i]) && !math.IsInf(in.LogRef[i], 0) && !math.IsNaN(in.LogRef[i])
					switch {
					case p == Verl && (e.Estimator == K3 || e.Estimator == K3Plus) && finite && !(v >= -k3Slack32 && v <= 10):
						t.Fatalf("verl %v(%v, %v) = %v, want in [0, 10]", e.Estimator, in.LogP[i], in.LogRef[i], v)
					case p == OpenRLHF && math.Abs(v) > 10:
						t.Fatalf("openrlhf %v = %v, want in [−10, 10]", e.Estimator, v)
					case e.Estimator == K3 && finite && v < -k3Slack32:
						t.Fatalf("%v k3(%v, %v) = %v < 0", p, in.LogP[i], in.LogRef[i], v)
					case e.Clamps[i]&ClampValue != 0 && math.Abs(v) != 10:
						t.Fatalf("%v %v: value clamp flagged on %v", p, e.Estimator, v)
					}
				}
			}
		}
	})
}
