package rl

import (
	"errors"
	"fmt"
	"math"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/internal/torchcpu"
)

// Input is one batch of sampled tokens: for each, its log-probability
// under the policy and under the reference (or, for CleanRL and SB3,
// under the new and the old policy; the tokens were sampled from the old
// one).
type Input struct {
	// LogP is log π(x) for each token: the policy being trained (π_new
	// for CleanRL and SB3).
	LogP []float64
	// LogRef is log π_ref(x): the reference policy (π_old, the sampling
	// policy, for CleanRL and SB3).
	LogRef []float64
	// Mask says which tokens are counted (the response or action mask);
	// nil counts every token.
	Mask []bool
	// Seq gives each token's sequence id; nil puts every token in one
	// sequence. Tokens with the same id form one sequence, in input
	// order, and need not be adjacent; sequences are numbered in order
	// of their first token.
	Seq []int
	// DType is the dtype the framework computes in; the log-probabilities
	// are rounded to it first. OpenRLHF always computes in float32.
	DType compute.DType
	// MaxCompletionLength is TRL GRPO's max_completion_length, the
	// divisor of loss_type "dr_grpo" (with the number of sequences);
	// 0 means the longest sequence.
	MaxCompletionLength int
}

// Errors returned by Compute, wrapped with the details.
var (
	ErrEmpty  = errors.New("rl: no tokens")
	ErrLength = errors.New("rl: column lengths differ")
)

// Sequence describes one sequence of the batch.
type Sequence struct {
	ID      int // the id given in Input.Seq (0 when Seq is nil)
	Tokens  int // how many tokens it has
	Counted int // how many of them the mask counts
}

// Alt is another reduction of the same per-token values.
type Alt struct {
	Name  string // e.g. "token-mean", or a GRPO loss_type: "grpo", "bnpo", "dr_grpo", "dapo"
	Value float64
}

// Estimate is one estimator's values under a preset.
type Estimate struct {
	Estimator Estimator
	// Tokens holds the per-token values, in input order, as the framework
	// computes them (masked tokens included; TRL's PPO gives them 0).
	Tokens []float64
	// Clamps holds, per token, the clamps that changed its value.
	Clamps []Clamp
	// Seq holds the per-sequence values, in the order of
	// Result.Sequences: the sum over counted tokens for TRL PPO, their
	// mean for the other presets (see Compute for the divisors).
	Seq []float64
	// Value is the number the framework logs (see Compute).
	Value float64
	// Alt lists the preset's other reductions.
	Alt []Alt
}

// Result is the estimates of one preset on one batch.
type Result struct {
	Preset    Preset
	Direction Direction
	DType     compute.DType // the dtype computed in
	Sequences []Sequence
	Counted   int // counted tokens
	// NegativeK1 is how many counted tokens have k1 < 0 (log π < log
	// π_ref; for CleanRL and SB3 log π_old < log π_new). Their share is
	// often near one half when the policies are close: k1 is unbiased
	// but not ≥ 0.
	NegativeK1 int
	// Estimates holds one entry per estimator the preset supports, in
	// the order of Estimators().
	Estimates []Estimate
}

// Estimate returns the estimate of e, or nil if the preset does not
// compute it.
func (r *Result) Estimate(e Estimator) *Estimate {
	for i := range r.Estimates {
		if r.Estimates[i].Estimator == e {
			return &r.Estimates[i]
		}
	}
	return nil
}

// Compute returns every estimate the preset supports, per token, per
// sequence and reduced, as the framework computes them in in.DType.
//
// With d = log π(x) and b = log π_ref(x), each rounded to the dtype, the
// per-token formulas follow each source's operations and order:
//
//	plain     k1 = −(b − d), k2 = 0.5·(b − d)², k3 = (exp(b − d) − 1) − (b − d), abs = |b − d|
//	trl-ppo   masked d, b := 1.0; k1 = −(b − d); k3 = (exp(b − d) − 1) − (b − d)
//	trl-grpo  k3 = (exp(b − d) − (b − d)) − 1
//	verl      k1 = d − b; abs = |d − b|; k2 = 0.5·(d − b)²;
//	          k3 = clamp((exp(c) − c) − 1, ±10), c = clamp(b − d, ±20); k3+ = k3
//	openrlhf  in float32, l = d − b: clamp(l, ±10), clamp(l²/2, ±10), clamp((exp(−l) − 1) + l, ±10)
//	cleanrl   l = d − b: k1 = −l; k3 = (exp(l) − 1) − l      (d = log π_new, b = log π_old)
//	sb3       l = d − b: k3 = (exp(l) − 1) − l
//
// The frameworks see the batch as a [B, T] tensor: one row per sequence,
// T the longest, right-padded with log-probabilities 0 (TRL PPO: 1.0)
// and mask false. Sums are torch.sum's cascade order over those rows
// (per sequence) or the whole padded tensor (batch), and the reductions
// are, with n_s the counted tokens of sequence s and n their total:
//
//	plain, cleanrl, sb3  Value = mean of the counted tokens' values, Seq = the same per sequence
//	trl-ppo   Seq = Σ_row kl, Value = Σ_s Seq / B                         (kl.sum(1).mean())
//	trl-grpo  Seq = Σ_row x·m / max(n_s, 1); Value = Σ x·m / max(n, 1) (the logged "kl");
//	          Alt grpo = Σ_s Seq / B, bnpo = dapo = Σ x·m / max(n, 1), dr_grpo = Σ x·m / (B·L)
//	verl      Seq = Σ_row where(m, x·m, 0)·m / (n_s + 1e-8), Value = Σ_s Seq / B;
//	          Alt token-mean = Σ where(m, x, 0)·m / n
//	openrlhf  Seq = Σ_row x·m / n_s, Value = Σ_s Seq / B; Alt token-mean = Σ x·m / n
//
// where L is in.MaxCompletionLength (or T) and dapo assumes one process.
//
// Special cases are:
//
//	no counted token: plain, cleanrl, sb3, verl's token-mean, openrlhf: 0/0 = NaN;
//	    trl-ppo, trl-grpo and verl's Value: 0
//	a sequence with no counted token: its Seq is NaN (plain, cleanrl, sb3, openrlhf) or 0
//	NaN or ±Inf on a masked token: NaN·0 = NaN spoils trl-grpo's and openrlhf's sums;
//	    plain, cleanrl, sb3 and verl drop it; trl-ppo overwrites it with 1.0
//	d = b = ±Inf, or either NaN: log r is NaN, so is every estimate (verl's clamps keep NaN)
//	log r = +Inf (unclamped k3): exp(∞) − ∞ = NaN; log r = −Inf: k3 = +Inf
//	exp overflow (log r > 88.7 in float32, 709.8 in float64): k3 = +Inf
//	verl's low_var_kl: any finite or infinite log ratio gives a value in [0, 10]
//
// Errors are returned only for empty input and columns of different
// lengths.
func Compute(in Input, p Preset) (*Result, error) {
	n := len(in.LogP)
	switch {
	case p < 0 || p >= numPresets:
		panic(fmt.Sprintf("rl: unknown preset %d", int(p)))
	case n == 0 && len(in.LogRef) == 0:
		return nil, ErrEmpty
	case len(in.LogRef) != n:
		return nil, fmt.Errorf("%w: %d policy log-probabilities but %d reference ones", ErrLength, n, len(in.LogRef))
	case in.Mask != nil && len(in.Mask) != n:
		return nil, fmt.Errorf("%w: the mask has %d values for %d tokens", ErrLength, len(in.Mask), n)
	case in.Seq != nil && len(in.Seq) != n:
		return nil, fmt.Errorf("%w: the sequence ids have %d values for %d tokens", ErrLength, len(in.Seq), n)
	case in.MaxCompletionLength < 0:
		return nil, fmt.Errorf("rl: max completion length %d is negative", in.MaxCompletionLength)
	}
	dt := in.DType
	if p == OpenRLHF {
		dt = compute.DTypeFloat32 // log_probs.float()
	}
	a := arith{f32: dt == compute.DTypeFloat32}
	counted := func(i int) bool { return in.Mask == nil || in.Mask[i] }

	// Rows in order of each id's first token.
	var rows [][]int
	var seqs []Sequence
	where := map[int]int{}
	for i := 0; i < n; i++ {
		id := 0
		if in.Seq != nil {
			id = in.Seq[i]
		}
		r, ok := where[id]
		if !ok {
			r = len(rows)
			where[id] = r
			rows = append(rows, nil)
			seqs = append(seqs, Sequence{ID: id})
		}
		rows[r] = append(rows[r], i)
		seqs[r].Tokens++
		if counted(i) {
			seqs[r].Counted++
		}
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}

	res := &Result{Preset: p, Direction: p.Direction(), DType: dt, Sequences: seqs}
	d := make([]float64, n)
	b := make([]float64, n)
	for i := range d {
		d[i], b[i] = a.round(in.LogP[i]), a.round(in.LogRef[i])
		if !counted(i) {
			continue
		}
		res.Counted++
		if p.Direction() == OldToNew && b[i] < d[i] || p.Direction() == PolicyToRef && d[i] < b[i] {
			res.NegativeK1++
		}
	}

	for _, e := range Estimators() {
		if !p.Supports(e) {
			continue
		}
		est := Estimate{Estimator: e, Tokens: make([]float64, n), Clamps: make([]Clamp, n)}
		for i := range d {
			di, bi := d[i], b[i]
			if p == TRLPPO && !counted(i) {
				di, bi = invalidLogprob, invalidLogprob
			}
			est.Tokens[i], est.Clamps[i] = token(a, p, e, di, bi)
		}
		pad := 0.0
		if p == TRLPPO {
			pad = invalidLogprob
		}
		padValue, _ := token(a, p, e, pad, pad)
		reduce(a, p, &est, rows, width, padValue, counted, in.MaxCompletionLength)
		res.Estimates = append(res.Estimates, est)
	}
	return res, nil
}

// invalidLogprob is TRL's INVALID_LOGPROB, written over padding.
const invalidLogprob = 1.0

// token returns one token's estimate under preset p from d = log π and
// b = log π_ref (both already in the dtype), and the clamps that fired.
func token(a arith, p Preset, e Estimator, d, b float64) (float64, Clamp) {
	switch p {
	case Plain, TRLPPO:
		lr := a.sub(b, d)
		switch e {
		case K1:
			return -lr, 0
		case K2:
			return a.mul(0.5, a.mul(lr, lr)), 0
		case Abs:
			return math.Abs(lr), 0
		}
		return a.sub(a.sub(a.exp(lr), 1), lr), 0
	case TRLGRPO:
		lr := a.sub(b, d)
		return a.sub(a.sub(a.exp(lr), lr), 1), 0
	case Verl:
		l := a.sub(d, b)
		switch e {
		case K1:
			return l, 0
		case Abs:
			return math.Abs(l), 0
		case K2:
			return a.mul(0.5, a.mul(l, l)), 0
		}
		var c Clamp
		kl, fired := clamp(a.sub(b, d), 20)
		if fired {
			c |= ClampLogRatio
		}
		kld, fired := clamp(a.sub(a.sub(a.exp(kl), kl), 1), 10)
		if fired {
			c |= ClampValue
		}
		return kld, c
	case OpenRLHF:
		l := a.sub(d, b)
		switch e {
		case K2:
			l = a.div(a.mul(l, l), 2)
		case K3:
			l = a.add(a.sub(a.exp(-l), 1), l)
		}
		v, fired := clamp(l, 10)
		if fired {
			return v, ClampValue
		}
		return v, 0
	}
	// CleanRL, SB3
	l := a.sub(d, b)
	if e == K1 {
		return -l, 0
	}
	return a.sub(a.sub(a.exp(l), 1), l), 0
}

// clamp is torch.clamp(x, min=-c, max=c): NaN stays NaN. It reports
// whether the value changed.
func clamp(x, c float64) (float64, bool) {
	switch {
	case x < -c:
		return -c, true
	case x > c:
		return c, true
	}
	return x, false
}

// reduce fills est.Seq, est.Value and est.Alt.
func reduce(a arith, p Preset, est *Estimate, rows [][]int, width int, padValue float64, counted func(int) bool, maxLen int) {
	B := len(rows)
	est.Seq = make([]float64, B)
	switch p {
	case Plain, CleanRL, SB3: // x[mask].mean(), and per sequence
		var all []float64
		for s, r := range rows {
			var sel []float64
			for _, i := range r {
				if counted(i) {
					sel = append(sel, est.Tokens[i])
				}
			}
			est.Seq[s] = a.div(a.sum(sel), float64(len(sel)))
		}
		for i, v := range est.Tokens {
			if counted(i) {
				all = append(all, v)
			}
		}
		est.Value = a.div(a.sum(all), float64(len(all)))
		return
	}

	// The [B, T] tensors: x (values), m (mask), and x·m (or verl's
	// where(m, x, 0)·m, equal to it except that NaN·0 becomes 0).
	x := make([]float64, B*width)
	m := make([]bool, B*width)
	cnt := make([]int, B)
	total := 0
	for s, r := range rows {
		for t := 0; t < width; t++ {
			k := s*width + t
			x[k] = padValue
			if t < len(r) {
				x[k] = est.Tokens[r[t]]
				m[k] = counted(r[t])
			}
			if m[k] {
				cnt[s]++
			}
		}
		total += cnt[s]
	}
	masked := func(v float64, in bool, where bool) float64 {
		if in {
			return a.mul(v, 1)
		}
		if where {
			return 0
		}
		return a.mul(v, 0)
	}
	xm := make([]float64, len(x))
	for k := range x {
		xm[k] = masked(x[k], m[k], p == Verl)
	}
	rowSum := func(v []float64, s int) float64 { return a.sum(v[s*width : (s+1)*width]) }
	meanSeq := func() float64 { return a.div(a.sum(est.Seq), float64(B)) }

	switch p {
	case TRLPPO:
		for s := range rows {
			est.Seq[s] = rowSum(x, s)
		}
		est.Value = meanSeq()
	case TRLGRPO:
		for s := range rows {
			est.Seq[s] = a.div(rowSum(xm, s), float64(max(cnt[s], 1)))
		}
		S := a.sum(xm)
		L := maxLen
		if L == 0 {
			L = width
		}
		est.Value = a.div(S, float64(max(total, 1)))
		est.Alt = []Alt{
			{"grpo", meanSeq()},
			{"bnpo", est.Value},
			{"dr_grpo", a.div(S, float64(B*L))},
			{"dapo", est.Value},
		}
	case Verl:
		// masked_mean(kld * mask, mask, axis=-1): the denominator is
		// mask.sum(-1) + 1e-8 in float32, which is n_s for n_s ≥ 1.
		for s := range rows {
			den := float64(cnt[s])
			if cnt[s] == 0 {
				den = float64(float32(1e-8))
			}
			est.Seq[s] = a.div(rowSum(xm, s), den)
		}
		est.Value = meanSeq()
		est.Alt = []Alt{{"token-mean", a.div(a.sum(xm), float64(total))}}
	case OpenRLHF:
		for s := range rows {
			est.Seq[s] = a.div(rowSum(xm, s), float64(cnt[s]))
		}
		est.Value = meanSeq()
		est.Alt = []Alt{{"token-mean", a.div(a.sum(xm), float64(total))}}
	}
}

// arith is PyTorch's float32 or float64 CPU arithmetic: every operation
// rounded to the dtype, exp by SLEEF, sums in torch.sum's order.
type arith struct{ f32 bool }

func (a arith) round(x float64) float64 {
	if a.f32 {
		return float64(float32(x))
	}
	return x
}

// The float32 operations are computed in float64 and rounded once, which
// gives the correctly rounded float32 result for +, −, · and /. The
// explicit conversions also keep the compiler from fusing them.
func (a arith) add(x, y float64) float64 { return a.round(float64(x + y)) }
func (a arith) sub(x, y float64) float64 { return a.round(float64(x - y)) }
func (a arith) mul(x, y float64) float64 { return a.round(float64(x * y)) }
func (a arith) div(x, y float64) float64 { return a.round(float64(x / y)) }

func (a arith) exp(x float64) float64 {
	if a.f32 {
		return float64(torchcpu.SleefExpf(float32(x)))
	}
	return torchcpu.SleefExp(x)
}

func (a arith) sum(x []float64) float64 {
	if a.f32 {
		f := make([]float32, len(x))
		for i, v := range x {
			f[i] = float32(v)
		}
		return float64(torchcpu.Sum32(f))
	}
	return torchcpu.Sum64(x)
}
