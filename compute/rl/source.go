package rl

// Source returns the code the preset reproduces: file, function, version
// and the commit it was read at.
func (p Preset) Source() string {
	switch p {
	case Plain:
		return "J. Schulman, Approximating KL Divergence, http://joschu.net/blog/kl-approx.html (2020-03-07)"
	case TRLPPO:
		return "huggingface/trl 1.10.0.dev0 trl/experimental/ppo/ppo_trainer.py (PPOTrainer.train) @ f2cd57710ae345ea6428ae95363267fcf38a3dc8"
	case TRLGRPO:
		return "huggingface/trl 1.10.0.dev0 trl/trainer/grpo_trainer.py (_compute_loss) @ f2cd57710ae345ea6428ae95363267fcf38a3dc8; beta defaults to 0.04 up to v0.18 and 0.0 from v0.19"
	case Verl:
		return "volcengine/verl verl/trainer/ppo/core_algos.py (kl_penalty, agg_loss), verl/trainer/ppo/ray_trainer.py (apply_kl_penalty) @ b178a3cd56f58b2d502255daba591e92833930a7"
	case OpenRLHF:
		return "OpenRLHF/OpenRLHF 0.11.0 openrlhf/models/utils.py (compute_approx_kl, masked_mean), openrlhf/trainer/ppo_utils/experience_maker.py @ 3c3be6234e0cb353e76bb8019947db9dfe99fca7"
	case CleanRL:
		return "vwxyzjn/cleanrl cleanrl/ppo.py (approx_kl, old_approx_kl) @ fe8d8a03c41a7ef5b523e2e354bd01c363e786bb"
	case SB3:
		return "DLR-RM/stable-baselines3 2.9.0a4 stable_baselines3/ppo/ppo.py (PPO.train, approx_kl_div) @ e05d2dbe6eda0acd0ef2e316e3e4065677add3eb"
	}
	return ""
}
