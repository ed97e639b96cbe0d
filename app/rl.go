package app

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/rl"
	"github.com/klcalc/klcalc/compute/textparse"
)

// rlPresetKeys are the presets' keys, in the selector's order.
func rlPresetKeys() []string {
	ps := rl.Presets()
	keys := make([]string, len(ps))
	for i, p := range ps {
		keys[i] = p.String()
	}
	return keys
}

// rlPresetName is a preset's name on the page (the projects' own names).
func rlPresetName(key string) string {
	switch key {
	case "trl-ppo":
		return "TRL PPO"
	case "trl-grpo":
		return "TRL GRPO"
	case "verl":
		return "verl"
	case "openrlhf":
		return "OpenRLHF"
	case "cleanrl":
		return "CleanRL"
	case "sb3":
		return "Stable-Baselines3"
	}
	return "Schulman (no clamps)"
}

// newRLData parses the RL mode's columns and computes the chosen preset.
func newRLData(s State, l lang) rlData {
	r := &texts(l).RL
	d := rlData{Preset: "plain"}
	preset := rl.Plain
	if s.RL.Preset != "" {
		p, err := rl.ParsePreset(s.RL.Preset)
		if err != nil {
			d.Errs = append(d.Errs, texts(l).computeError(l, err))
		}
		preset = p
	}
	d.Preset, d.Name, d.OldNew = preset.String(), rlPresetName(preset.String()), preset.Direction() == rl.OldToNew
	cols, errs := s.RL.parseColumns(s.Mask)
	for _, e := range errs {
		d.Errs = append(d.Errs, r.rlError(e))
	}
	if len(d.Errs) > 0 {
		return d
	}
	in := rl.Input{LogP: cols.logp, LogRef: cols.ref, Mask: cols.mask, Seq: cols.seq, DType: s.DType}
	res, err := rl.Compute(in, preset)
	if err != nil {
		d.Errs = append(d.Errs, texts(l).computeError(l, err))
		return d
	}
	n := len(cols.logp)
	d.Tokens, d.Counted, d.NegK1, d.Mask = n, res.Counted, res.NegativeK1, cols.mask
	d.Seq = cols.seq
	if d.Seq == nil {
		d.Seq = make([]int, n)
	}
	d.LogRatio = make([]float64, n)
	for i := range d.LogRatio {
		d.LogRatio[i] = cols.ref[i] - cols.logp[i]
	}
	for _, sq := range res.Sequences {
		d.SeqIDs, d.SeqLen = append(d.SeqIDs, sq.ID), append(d.SeqLen, sq.Counted)
	}
	for _, e := range res.Estimates {
		est := rlEst{Key: e.Estimator.String(), Reduced: e.Value, Tokens: e.Tokens, PerSeq: e.Seq, Clamped: make([]bool, n)}
		for i, c := range e.Clamps {
			est.Clamped[i] = c != 0
		}
		for _, a := range e.Alt {
			est.Alts = append(est.Alts, rlAlt{Name: a.Name, Value: a.Value})
		}
		d.Ests = append(d.Ests, est)
	}
	d.Ctl = rlController(s.RL, preset, res, cols.mask)
	if s.RL.Pi != "" || s.RL.PiRef != "" {
		exact, errs := rlExact(s, n, l)
		for _, e := range errs {
			d.Errs = append(d.Errs, r.rlError(e))
		}
		if exact != nil {
			d.Exact = exact
			d.ExactReduced = rlReduceLike(preset, exact, cols.mask, d.Seq)
		}
	}
	d.Snippet = rlSnippet(preset, in, res)
	return d
}

// rlController steps the framework's adaptive controller once, from the KL
// its default estimator gives here. Fields left empty take the framework's
// defaults (n_steps: the number of sequences).
func rlController(st RLState, p rl.Preset, res *rl.Result, mask []bool) rlCtl {
	c, ok := p.Controller()
	if !ok {
		return rlCtl{}
	}
	num := func(text string, def float64) float64 {
		if v, err := strconv.ParseFloat(strings.TrimSpace(text), 64); err == nil {
			return v
		}
		return def
	}
	target := c.Target
	if target == 0 {
		target = 0.1 // OpenRLHF has no default target; verl's
	}
	ctl := rlCtl{Beta: num(st.CtlBeta, c.Init), Target: num(st.CtlTarget, target),
		Steps: num(st.CtlSteps, float64(len(res.Sequences))), Horizon: num(st.CtlHorizon, c.Horizon)}
	e := res.Estimate(p.Default())
	if e == nil {
		return rlCtl{}
	}
	ctl.KL = e.Value
	ctl.E = math.Max(-0.2, math.Min(0.2, ctl.KL/ctl.Target-1))
	ctl.Next = rl.Step(ctl.Beta, ctl.KL, ctl.Target, ctl.Horizon, int(ctl.Steps))
	ctl.Fed = c.Unit.String()
	// The same estimates as a per-token mean and as a per-sequence sum.
	var sum float64
	counted := 0
	for i, x := range e.Tokens {
		if mask == nil || mask[i] {
			sum += x
			counted++
		}
	}
	ctl.TokenMean = sum / float64(max(counted, 1))
	ctl.SeqSum = sum / float64(max(len(res.Sequences), 1))
	return ctl
}

// rlExact is KL(π ‖ π_ref) at each token from the full distributions:
// F.kl_div(log_softmax(π_ref), log_softmax(π), log_target=True) summed
// over each row, in the state's dtype (the discrete mode's compute).
func rlExact(s State, n int, l lang) ([]float64, []*RLError) {
	var errs []*RLError
	read := func(f rlField, text string) [][]float64 {
		m, err := textparse.Parse(text)
		if err != nil {
			errs = append(errs, &RLError{Field: f, Index: -1, Text: texts(l).pasteError(l, err)})
			return nil
		}
		if len(m.Rows) != n {
			errs = append(errs, &RLError{Field: f, Index: -1, Count: len(m.Rows), Want: n})
			return nil
		}
		return m.Rows
	}
	pi, ref := read(rlFieldPi, s.RL.Pi), read(rlFieldPiRef, s.RL.PiRef)
	if pi == nil || ref == nil {
		return nil, errs
	}
	p, err1 := compute.NewMatrix(pi)
	q, err2 := compute.NewMatrix(ref)
	if err1 != nil || err2 != nil {
		return nil, append(errs, &RLError{Field: rlFieldPiRef, Index: -1, Text: texts(l).computeError(l, errors.Join(err1, err2))})
	}
	res, err := compute.CalculateValue(compute.Side{Data: p, Form: compute.FormLogits, Temperature: 1},
		compute.Side{Data: q, Form: compute.FormLogits, Temperature: 1}, compute.Options{Reduction: compute.ReductionNone, DType: s.DType})
	if err != nil {
		return nil, append(errs, &RLError{Field: rlFieldPiRef, Index: -1, Text: texts(l).computeError(l, err)})
	}
	return res.RowSums, errs
}

// rlReduceLike reduces per-token values as the preset reduces its
// estimates: per-sequence sums averaged over sequences (TRL PPO), per-
// sequence means averaged over sequences (verl, OpenRLHF), or the mean of
// the counted tokens (the others), in float64.
func rlReduceLike(p rl.Preset, x []float64, mask []bool, seq []int) float64 {
	type acc struct {
		sum float64
		n   int
	}
	var order []int
	bySeq := map[int]*acc{}
	var total acc
	for i, v := range x {
		a := bySeq[seq[i]]
		if a == nil {
			a = &acc{}
			bySeq[seq[i]] = a
			order = append(order, seq[i])
		}
		if mask != nil && !mask[i] {
			continue
		}
		a.sum += v
		a.n++
		total.sum += v
		total.n++
	}
	switch p {
	case rl.TRLPPO, rl.Verl, rl.OpenRLHF:
		var s float64
		for _, id := range order {
			a := bySeq[id]
			if p == rl.TRLPPO {
				s += a.sum
			} else {
				s += a.sum / float64(a.n)
			}
		}
		return s / float64(len(order))
	}
	return total.sum / float64(total.n)
}
