package rl

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

// k3Slack32 is how far below 0 a float32 k3 can round: exp(log r) and
// (exp − 1) − log r are each rounded to float32 near 1, so k3 is within
// about 2 ulp(1) = 2·2⁻²³ of its exact value, which is ≥ 0. PyTorch gives
// the same small negatives (TestOracle): about 0.7 % of tokens with
// |log r| ≈ 1e-4 in float32.
const k3Slack32 = 2.0 / (1 << 23)

// TestK3NonNegative checks k3 ≥ 0 for finite inputs: exactly in float64
// (OpenRLHF computes in float32), within k3Slack32 in float32.
func TestK3NonNegative(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, dt := range []compute.DType{compute.DTypeFloat32, compute.DTypeFloat64} {
		for k := 0; k < 3000; k++ {
			d := -r.Float64() * 15
			scale := math.Pow(10, -6+8*r.Float64()) // log r from 1e-6 to 100
			in := Input{LogP: []float64{d}, LogRef: []float64{d + r.NormFloat64()*scale}, DType: dt}
			for _, p := range Presets() {
				res, err := Compute(in, p)
				if err != nil {
					t.Fatal(err)
				}
				e := res.Estimate(K3)
				if e == nil {
					continue
				}
				floor := 0.0
				if res.DType == compute.DTypeFloat32 {
					floor = -k3Slack32
				}
				if v := e.Tokens[0]; !(v >= floor) {
					t.Errorf("%v %v k3(%v, %v) = %v, want ≥ %v", p, dt, in.LogP[0], in.LogRef[0], v, floor)
				}
			}
		}
	}
}

// TestUnbiased checks that k1 and k3, weighted by π over every outcome of
// a small discrete distribution (an exact expectation, no sampling), give
// KL(π ‖ π_ref) = Σ π log(π/π_ref): E_π[−log r] is the definition, and
// E_π[r − 1] = Σ π_ref − 1 = 0. For CleanRL and SB3 the roles swap: the
// outcomes are weighted by π_old (LogRef) and the result is
// KL(π_old ‖ π_new).
func TestUnbiased(t *testing.T) {
	dists := [][2][]float64{
		{{0.5, 0.3, 0.2}, {0.2, 0.5, 0.3}},
		{{0.9, 0.1}, {0.5, 0.5}},
		{{0.25, 0.25, 0.25, 0.25}, {0.7, 0.1, 0.1, 0.1}},
		{{0.999, 0.001}, {0.001, 0.999}},
	}
	for _, dp := range dists {
		pi, ref := dp[0], dp[1]
		var lp, lr []float64
		for i := range pi {
			lp = append(lp, math.Log(pi[i]))
			lr = append(lr, math.Log(ref[i]))
		}
		for _, p := range Presets() {
			w, other := pi, ref
			if p.Direction() == OldToNew {
				w, other = ref, pi
			}
			var kl float64
			for i := range w {
				kl += w[i] * math.Log(w[i]/other[i])
			}
			res, err := Compute(Input{LogP: lp, LogRef: lr, DType: compute.DTypeFloat64}, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range []Estimator{K1, K3} {
				est := res.Estimate(e)
				if est == nil || clamped(est) {
					continue // a clamp (r = 999 here) biases the estimate
				}
				var got float64
				for i, v := range est.Tokens {
					got += w[i] * v
				}
				tol := 1e-14 * max(1, math.Abs(kl))
				if res.DType == compute.DTypeFloat32 {
					tol = 1e-6 * max(1, math.Abs(kl))
				}
				if math.Abs(got-kl) > tol {
					t.Errorf("%v %v: E[%v] over %v = %v, want KL %v", p, pi, e, e, got, kl)
				}
			}
		}
	}
}

// TestK2K3SecondOrder checks that k2 and k3 agree to second order near
// r = 1: k3 − k2 = (e^l − 1 − l) − l²/2 = l³/6 + O(l⁴) with l = log r, so
// |k3 − k2| ≤ |l|³/6·(1 + |l|) plus float64 rounding (a few 1e-17 at
// these sizes).
func TestK2K3SecondOrder(t *testing.T) {
	for _, l := range []float64{0.1, -0.1, 0.03, -0.03, 1e-2, -1e-2, 1e-3, -1e-3, 1e-4} {
		res, err := Compute(Input{LogP: []float64{-2}, LogRef: []float64{-2 + l}, DType: compute.DTypeFloat64}, Plain)
		if err != nil {
			t.Fatal(err)
		}
		lr := (-2 + l) - (-2.0)
		k2, k3 := res.Estimate(K2).Tokens[0], res.Estimate(K3).Tokens[0]
		bound := math.Abs(lr*lr*lr)/6*(1+math.Abs(lr)) + 1e-16
		if d := math.Abs(k3 - k2); d > bound {
			t.Errorf("log r = %g: |k3 − k2| = %g, want ≤ %g", lr, d, bound)
		}
	}
}

// TestValues is table rows whose values are worked out by hand from the
// sources' formulas (comments give the arithmetic).
func TestValues(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name   string
		p      Preset
		e      Estimator
		in     Input
		tokens []float64
		clamps []Clamp
		value  float64
	}{
		// log r = −2 − (−1.5) = −0.5: k1 = 0.5, k3 = e^−0.5 − 1 + 0.5.
		{"k1", Plain, K1, in64([]float64{-1.5}, []float64{-2}), []float64{0.5}, nil, 0.5},
		{"k2", Plain, K2, in64([]float64{-1.5}, []float64{-2}), []float64{0.125}, nil, 0.125},
		{"k3", Plain, K3, in64([]float64{-1.5}, []float64{-2}), []float64{0.10653065971263342}, nil, 0.10653065971263342},
		{"abs", Verl, Abs, in64([]float64{-2}, []float64{-1.5}), []float64{0.5}, nil, 0.5},
		// CleanRL, log ratio = new − old = 0.5: old_approx_kl = −0.5, approx_kl = e^0.5 − 1 − 0.5.
		{"cleanrl k1", CleanRL, K1, in64([]float64{-1.5}, []float64{-2}), []float64{-0.5}, nil, -0.5},
		{"cleanrl k3", CleanRL, K3, in64([]float64{-1.5}, []float64{-2}), []float64{0.14872127070012819}, nil, 0.14872127070012819},
		// verl low_var_kl, log r = 30 → 20, e^20 − 21 > 10 → 10; log r = −30 → −20, e^−20 + 19 → 10.
		{"verl clamps", Verl, K3, in64([]float64{0, 0, 0}, []float64{30, -30, 0}), []float64{10, 10, 0},
			[]Clamp{ClampLogRatio | ClampValue, ClampLogRatio | ClampValue, 0}, 20.0 / 3},
		{"verl k3+ = k3", Verl, K3Plus, in64([]float64{0}, []float64{-inf}), []float64{10}, []Clamp{ClampLogRatio | ClampValue}, 10},
		// OpenRLHF clamps k1 itself: d − b = 15 → 10, −15 → −10.
		{"openrlhf k1", OpenRLHF, K1, in64([]float64{0, -15}, []float64{-15, 0}), []float64{10, -10}, []Clamp{ClampValue, ClampValue}, 0},
		// TRL PPO: a masked NaN becomes INVALID_LOGPROB on both sides: 0.
		{"trl-ppo masked", TRLPPO, K1, Input{LogP: []float64{-1, nan}, LogRef: []float64{-2, -1}, Mask: []bool{true, false}},
			[]float64{1, math.Copysign(0, -1)}, nil, 1}, // −logr = −(+0)
		// GRPO multiplies by the mask: NaN·0 = NaN spoils the sum.
		{"grpo masked nan", TRLGRPO, K3, Input{LogP: []float64{-1, nan}, LogRef: []float64{-1, -1}, Mask: []bool{true, false}},
			[]float64{0, nan}, nil, nan},
		// verl drops masked values with torch.where.
		{"verl masked nan", Verl, K1, Input{LogP: []float64{-1, nan}, LogRef: []float64{-2, -1}, Mask: []bool{true, false}},
			[]float64{1, nan}, nil, 1},
		// unclamped k3 at log r = +Inf: e^∞ − 1 − ∞ = NaN; at −Inf: 0 − 1 + ∞ = +Inf.
		{"k3 inf", Plain, K3, in64([]float64{-inf, 0}, []float64{0, -inf}), []float64{nan, inf}, nil, nan},
		// Sequences [1, 3] and [2]: k1 sums 1+3 = 4 and 2, mean 3.
		{"trl-ppo sum", TRLPPO, K1, Input{LogP: []float64{0, 0, 0}, LogRef: []float64{-1, -2, -3}, Seq: []int{7, 5, 7}},
			[]float64{1, 2, 3}, nil, 3},
		// verl: sequence means 2 and 2 → 2.
		{"verl mean", Verl, K1, Input{LogP: []float64{0, 0, 0}, LogRef: []float64{-1, -2, -3}, Seq: []int{7, 5, 7}},
			[]float64{1, 2, 3}, nil, 2},
		// All masked: verl's 1e-8 gives 0; OpenRLHF's 0/0 NaN.
		{"verl all masked", Verl, K1, Input{LogP: []float64{0}, LogRef: []float64{-1}, Mask: []bool{false}}, []float64{1}, nil, 0},
		{"openrlhf all masked", OpenRLHF, K1, Input{LogP: []float64{0}, LogRef: []float64{-1}, Mask: []bool{false}}, []float64{1}, nil, nan},
		{"plain all masked", Plain, K1, Input{LogP: []float64{0}, LogRef: []float64{-1}, Mask: []bool{false}}, []float64{1}, nil, nan},
	}
	for _, tt := range tests {
		res, err := Compute(tt.in, tt.p)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		est := res.Estimate(tt.e)
		for i, want := range tt.tokens {
			if got := est.Tokens[i]; !alike(got, want) {
				t.Errorf("%s: token %d = %v, want %v", tt.name, i, got, want)
			}
			c := Clamp(0)
			if tt.clamps != nil {
				c = tt.clamps[i]
			}
			if est.Clamps[i] != c {
				t.Errorf("%s: clamp %d = %q, want %q", tt.name, i, est.Clamps[i], c)
			}
		}
		if !alike(est.Value, tt.value) && math.Abs(est.Value-tt.value) > 1e-15 {
			t.Errorf("%s: value = %v, want %v", tt.name, est.Value, tt.value)
		}
	}
}

func clamped(e *Estimate) bool {
	for _, c := range e.Clamps {
		if c != 0 {
			return true
		}
	}
	return false
}

func in64(lp, lr []float64) Input { return Input{LogP: lp, LogRef: lr, DType: compute.DTypeFloat64} }

func alike(a, b float64) bool {
	return a == b && math.Signbit(a) == math.Signbit(b) || math.IsNaN(a) && math.IsNaN(b)
}

func TestGRPOAlternatives(t *testing.T) {
	// Two sequences, k3 of log r = 0 and ln 2 (k3 = 1 − ln 2 = 0.3069) on 3 of 4 tokens.
	l := math.Log(2)
	in := Input{LogP: []float64{0, 0, 0, 0}, LogRef: []float64{l, l, l, 0}, Seq: []int{0, 0, 1, 1},
		Mask: []bool{true, true, true, false}, DType: compute.DTypeFloat64, MaxCompletionLength: 10}
	res, err := Compute(in, TRLGRPO)
	if err != nil {
		t.Fatal(err)
	}
	k := 1 - l
	want := map[string]float64{"grpo": k, "bnpo": k, "dapo": k, "dr_grpo": 3 * k / 20}
	for _, a := range res.Estimate(K3).Alt {
		if math.Abs(a.Value-want[a.Name]) > 1e-15 {
			t.Errorf("%s = %v, want %v", a.Name, a.Value, want[a.Name])
		}
	}
	// k1 = log π − log π_ref = −ln 2 < 0 on the three counted tokens.
	if res.NegativeK1 != 3 || res.Counted != 3 || len(res.Sequences) != 2 {
		t.Errorf("NegativeK1, Counted, sequences = %d, %d, %d; want 3, 3, 2", res.NegativeK1, res.Counted, len(res.Sequences))
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		in   Input
		want error
		msg  string
	}{
		{Input{}, ErrEmpty, "rl: no tokens"},
		{Input{LogP: []float64{1}, LogRef: []float64{1, 2}}, ErrLength, "rl: column lengths differ: 1 policy log-probabilities but 2 reference ones"},
		{Input{LogP: []float64{1}, LogRef: []float64{1}, Mask: []bool{}}, ErrLength, "rl: column lengths differ: the mask has 0 values for 1 tokens"},
		{Input{LogP: []float64{1}, LogRef: []float64{1}, Seq: []int{1, 2}}, ErrLength, "rl: column lengths differ: the sequence ids have 2 values for 1 tokens"},
		{Input{LogP: []float64{1}, LogRef: []float64{1}, MaxCompletionLength: -1}, nil, "rl: max completion length -1 is negative"},
	}
	for _, tt := range tests {
		_, err := Compute(tt.in, Plain)
		if err == nil || err.Error() != tt.msg || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("Compute(%+v) error = %v, want %q", tt.in, err, tt.msg)
		}
	}
}

func TestEnums(t *testing.T) {
	for _, p := range Presets() {
		if q, err := ParsePreset(p.String()); err != nil || q != p {
			t.Errorf("ParsePreset(%q) = %v, %v", p, q, err)
		}
		if p.Source() == "" || !p.Supports(p.Default()) {
			t.Errorf("%v: no source, or the default %v unsupported", p, p.Default())
		}
	}
	for _, e := range Estimators() {
		if f, err := ParseEstimator(e.String()); err != nil || f != e {
			t.Errorf("ParseEstimator(%q) = %v, %v", e, f, err)
		}
	}
	if _, err := ParsePreset("ppo"); err == nil || !strings.HasPrefix(err.Error(), "rl: \"ppo\" is not a valid preset") {
		t.Errorf("ParsePreset(ppo) error = %v", err)
	}
	if got := (ClampLogRatio | ClampValue).String(); got != "log-ratio ±20+value ±10" {
		t.Errorf("Clamp.String = %q", got)
	}
}

func TestStep(t *testing.T) {
	tests := []struct {
		beta, current, target, horizon float64
		n                              int
		want                           float64
	}{
		// TRL legacy defaults: current 12 = 2·target, e clipped to 0.2: 0.2·(1 + 0.2·256/10000).
		{0.2, 12, 6, 10000, 256, 0.2 * (1 + 0.2*256.0/10000)},
		// verl: current 0.095 vs 0.1, e = −0.05: 0.001·(1 − 0.05·32/10000).
		{0.001, 0.095, 0.1, 10000, 32, 0.001 * (1 + (0.095/0.1-1)*32/10000)},
		{0.2, math.NaN(), 6, 10000, 256, math.NaN()},
		{0.2, math.Inf(1), 6, 10000, 10000, 0.2 * 1.2},
		{0.2, -100, 6, 10000, 10000, 0.2 * 0.8},
		{0.2, 0, 0, 10000, 1, math.NaN()},
	}
	for _, tt := range tests {
		if got := Step(tt.beta, tt.current, tt.target, tt.horizon, tt.n); !alike(got, tt.want) && !(math.Abs(got-tt.want) <= 1e-15*math.Abs(tt.want)) {
			t.Errorf("Step(%v, %v, %v, %v, %d) = %v, want %v", tt.beta, tt.current, tt.target, tt.horizon, tt.n, got, tt.want)
		}
	}
	if c, ok := TRLPPO.Controller(); !ok || c.Unit != UnitSeqSum || c.Target != 6 {
		t.Errorf("TRLPPO.Controller() = %+v, %v", c, ok)
	}
	if c, ok := Verl.Controller(); !ok || c.Unit != UnitTokenMean || c.Step(1, 0.1, 5) != 1 {
		t.Errorf("Verl.Controller() = %+v, %v", c, ok)
	}
}
