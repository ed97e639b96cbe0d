package rl

import (
	"fmt"
	"strings"
)

// Estimator is one of Schulman's per-token estimates of a KL divergence
// from one sampled token, with log r = log π_ref(x) − log π(x) and x ~ π
// (for CleanRL and SB3, log r = log π_new(x) − log π_old(x), x ~ π_old).
type Estimator int

const (
	// K1 is −log r: unbiased, high variance, negative on many tokens.
	K1 Estimator = iota
	// K2 is ½(log r)²: biased, low variance, ≥ 0.
	K2
	// K3 is (r − 1) − log r: unbiased and ≥ 0.
	K3
	// Abs is |log r| (verl's "abs"; also TRL legacy's).
	Abs
	// K3Plus is verl's "k3+": the forward value is k3's, and the
	// gradient is k2's (a straight-through trick,
	// k2 − k2.detach() + k3.detach()). The values reported here equal
	// K3's; only a backward pass would tell them apart.
	K3Plus
	numEstimators
)

var estimatorNames = [...]string{K1: "k1", K2: "k2", K3: "k3", Abs: "abs", K3Plus: "k3+"}

// Estimators lists every estimator, in the order a menu shows them.
func Estimators() []Estimator { return []Estimator{K1, K2, K3, Abs, K3Plus} }

// String returns "k1", "k2", "k3", "abs" or "k3+".
func (e Estimator) String() string {
	if e >= 0 && e < numEstimators {
		return estimatorNames[e]
	}
	return fmt.Sprintf("Estimator(%d)", int(e))
}

// ParseEstimator parses "k1", "k2", "k3", "abs" or "k3+".
func ParseEstimator(s string) (Estimator, error) {
	for e, name := range estimatorNames {
		if s == name {
			return Estimator(e), nil
		}
	}
	return 0, enumError("estimator", s, estimatorNames[:])
}

// Preset is one framework's computation of the KL estimates: its sign,
// clamps, dtype and reduction. Each constant's comment gives the code it
// reproduces; Source returns the file, version and commit.
type Preset int

const (
	// Plain is Schulman's estimators with no clamp, in the input dtype;
	// the value is the mean over counted tokens (x[mask].mean()), NaN
	// when none is counted.
	Plain Preset = iota
	// TRLPPO is TRL's PPOTrainer (trl/experimental/ppo): k1 (default) or
	// k3 = (exp(log r) − 1) − log r; masked tokens are set to
	// INVALID_LOGPROB = 1.0 in both tensors, so log r = 0 and they give 0;
	// the value is kl.sum(1).mean(): the mean over sequences of each
	// sequence's sum.
	TRLPPO
	// TRLGRPO is TRL's GRPOTrainer: k3 only, exp(−d) − (−d) − 1 with
	// d = log π − log π_ref, no clamp; the value is the logged "kl", the
	// token mean over counted tokens (divided by max(count, 1)); the
	// alternatives are the KL term under each loss_type.
	TRLGRPO
	// Verl is verl's kl_penalty: k1 "kl", "abs", k2 "mse", k3
	// "low_var_kl" (log ratio clamped to ±20, result to ±10) and "k3+";
	// the value is apply_kl_penalty's logged mean over sequences of
	// per-sequence masked means; the alternative is agg_loss's
	// "token-mean".
	Verl
	// OpenRLHF is OpenRLHF's compute_approx_kl: k1, k2 or k3, always in
	// float32 (log_probs.float()), every estimator clamped to ±10; the
	// value is the mean over sequences of per-sequence masked means; the
	// alternative is the masked token mean.
	OpenRLHF
	// CleanRL is cleanrl/ppo.py's approx_kl (k3) and old_approx_kl (k1),
	// estimating KL(π_old ‖ π_new) from samples of π_old; plain means.
	CleanRL
	// SB3 is Stable-Baselines3's PPO approx_kl_div (k3), as CleanRL's.
	SB3
	numPresets
)

var presetNames = [...]string{
	Plain: "plain", TRLPPO: "trl-ppo", TRLGRPO: "trl-grpo", Verl: "verl",
	OpenRLHF: "openrlhf", CleanRL: "cleanrl", SB3: "sb3",
}

// Presets lists every preset, in the order a menu shows them.
func Presets() []Preset { return []Preset{Plain, TRLPPO, TRLGRPO, Verl, OpenRLHF, CleanRL, SB3} }

// String returns the preset's short name, e.g. "trl-grpo".
func (p Preset) String() string {
	if p >= 0 && p < numPresets {
		return presetNames[p]
	}
	return fmt.Sprintf("Preset(%d)", int(p))
}

// ParsePreset parses a preset's short name, e.g. "verl".
func ParsePreset(s string) (Preset, error) {
	for p, name := range presetNames {
		if s == name {
			return Preset(p), nil
		}
	}
	return 0, enumError("preset", s, presetNames[:])
}

// Supports reports whether the framework computes estimator e.
func (p Preset) Supports(e Estimator) bool {
	switch p {
	case Plain, Verl:
		return e >= 0 && e < numEstimators
	case TRLPPO, CleanRL:
		return e == K1 || e == K3
	case TRLGRPO, SB3:
		return e == K3
	case OpenRLHF:
		return e == K1 || e == K2 || e == K3
	}
	return false
}

// Default returns the estimator the framework uses unless configured
// otherwise: k1 for TRL PPO (kl_estimator="k1"), verl's reward penalty
// (kl_penalty="kl"; its actor loss defaults to low_var_kl, k3) and
// OpenRLHF (--algo.kl.estimator k1); k3 for GRPO, CleanRL's approx_kl
// and SB3; k1 for Plain.
func (p Preset) Default() Estimator {
	switch p {
	case TRLGRPO, CleanRL, SB3:
		return K3
	}
	return K1
}

// Direction says which divergence the estimates estimate, and from whose
// samples.
type Direction int

const (
	// PolicyToRef is KL(π ‖ π_ref), samples from π: the RLHF presets.
	PolicyToRef Direction = iota
	// OldToNew is KL(π_old ‖ π_new), samples from π_old: CleanRL and SB3.
	OldToNew
)

// String returns "KL(π‖π_ref), samples from π" or
// "KL(π_old‖π_new), samples from π_old".
func (d Direction) String() string {
	switch d {
	case PolicyToRef:
		return "KL(π‖π_ref), samples from π"
	case OldToNew:
		return "KL(π_old‖π_new), samples from π_old"
	}
	return fmt.Sprintf("Direction(%d)", int(d))
}

// Direction returns the divergence the preset's estimates estimate.
func (p Preset) Direction() Direction {
	if p == CleanRL || p == SB3 {
		return OldToNew
	}
	return PolicyToRef
}

// Clamp records which clamps changed a token's value (a bit set).
type Clamp uint8

const (
	// ClampLogRatio is verl's low_var_kl clamp of the log ratio to ±20.
	ClampLogRatio Clamp = 1 << iota
	// ClampValue is the clamp of the estimate to ±10 (verl's low_var_kl,
	// every OpenRLHF estimator).
	ClampValue
)

// String returns "", "log-ratio ±20", "value ±10" or both, joined by "+".
func (c Clamp) String() string {
	var s []string
	if c&ClampLogRatio != 0 {
		s = append(s, "log-ratio ±20")
	}
	if c&ClampValue != 0 {
		s = append(s, "value ±10")
	}
	return strings.Join(s, "+")
}

// EnumError reports a name that is not one of an enum's.
type EnumError struct {
	Kind  string   // "estimator" or "preset"
	Value string   // what was given
	Valid []string // the accepted names
}

func (e *EnumError) Error() string {
	v := e.Value
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return fmt.Sprintf("rl: %q is not a valid %s (want one of %s)", v, e.Kind, strings.Join(e.Valid, ", "))
}

func enumError(kind, v string, names []string) error {
	return &EnumError{Kind: kind, Value: v, Valid: append([]string(nil), names...)}
}
