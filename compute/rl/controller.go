package rl

import "fmt"

// Unit is what a framework feeds its adaptive KL controller as "current".
type Unit int

const (
	// UnitSeqSum is the mean over sequences of each sequence's summed KL
	// (nats per sequence): TRL legacy's objective/kl.
	UnitSeqSum Unit = iota
	// UnitTokenMean is the mean over sequences of each sequence's mean
	// KL per token (nats per token): verl, OpenRLHF.
	UnitTokenMean
)

// String returns "nats per sequence (sum)" or "nats per token (mean)".
func (u Unit) String() string {
	switch u {
	case UnitSeqSum:
		return "nats per sequence (sum)"
	case UnitTokenMean:
		return "nats per token (mean)"
	}
	return fmt.Sprintf("Unit(%d)", int(u))
}

// Controller is a framework's adaptive KL controller (Ziegler et al.
// 2019, arXiv:1909.08593) with its defaults.
type Controller struct {
	Framework string
	Init      float64 // the initial β
	Target    float64 // the target KL, in Unit; 0 when the framework has no default (OpenRLHF)
	Horizon   float64
	NSteps    string // what the framework passes as n_steps
	Unit      Unit   // what it passes as current
	Adaptive  bool   // whether the adaptive controller is the default (otherwise β is fixed)
	Source    string
}

// Step returns β after one update with the controller's target and
// horizon; see Step.
func (c Controller) Step(beta, current float64, nSteps int) float64 {
	return Step(beta, current, c.Target, c.Horizon, nSteps)
}

// Step returns β after one update of the adaptive KL controller, in
// float64 as NumPy computes it:
//
//	e = clip(current/target − 1, −0.2, 0.2)
//	β ← β · (1 + e·n_steps/horizon)
//
// Special cases are:
//
//	current or β NaN: NaN (np.clip keeps NaN)
//	current = +Inf: e = 0.2
//	target = 0: current/0 = ±Inf (e = ±0.2), or NaN when current = 0
//	horizon = 0: e·n/0 = ±Inf, or NaN when e·n = 0
func Step(beta, current, target, horizon float64, nSteps int) float64 {
	e := current/target - 1
	switch {
	case e < -0.2:
		e = -0.2
	case e > 0.2:
		e = 0.2
	}
	return beta * (1 + e*float64(nSteps)/horizon)
}

// Controllers lists the adaptive controllers of TRL legacy, verl and
// OpenRLHF with their defaults. The code is the same in all three; the
// unit of current is not.
func Controllers() []Controller {
	return []Controller{
		{
			Framework: "trl-legacy", Init: 0.2, Target: 6.0, Horizon: 10000,
			NSteps: "batch_size · num_processes", Unit: UnitSeqSum, Adaptive: true,
			Source: "huggingface/trl 0.12.0.dev0 trl/trainer/utils.py AdaptiveKLController, ppo_trainer.py step, ppo_config.py @ d0aa421e5ec552a2356a35d9ed292859d15a21ee",
		},
		{
			Framework: "verl", Init: 0.001, Target: 0.1, Horizon: 10000,
			NSteps: "batch size (sequences)", Unit: UnitTokenMean, Adaptive: false,
			Source: "volcengine/verl verl/trainer/ppo/core_algos.py AdaptiveKLController, ray_trainer.py apply_kl_penalty @ b178a3cd56f58b2d502255daba591e92833930a7",
		},
		{
			Framework: "openrlhf", Init: 0.01, Target: 0, Horizon: 10000,
			NSteps: "rollout.batch_size · n_samples_per_prompt", Unit: UnitTokenMean, Adaptive: false,
			Source: "OpenRLHF/OpenRLHF 0.11.0 openrlhf/trainer/ppo_utils/kl_controller.py, ppo_trainer.py, cli/train_ppo_ray.py @ 3c3be6234e0cb353e76bb8019947db9dfe99fca7",
		},
	}
}

// Controller returns the adaptive controller of the preset's framework:
// TRL legacy for TRLPPO (the experimental PPOTrainer has none, and logs
// the same per-sequence sum), verl and OpenRLHF.
func (p Preset) Controller() (Controller, bool) {
	c := Controllers()
	switch p {
	case TRLPPO:
		return c[0], true
	case Verl:
		return c[1], true
	case OpenRLHF:
		return c[2], true
	}
	return Controller{}, false
}
