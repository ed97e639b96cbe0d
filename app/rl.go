package app

import (
	"math"
	"strconv"
	"strings"

	"github.com/klcalc/klcalc/compute/rl"
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
