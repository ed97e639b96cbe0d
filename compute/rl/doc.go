// Package rl computes the per-token KL estimates that RL fine-tuning
// frameworks log and penalise, from the sampled tokens' log-probabilities,
// and reduces them exactly as each framework does.
//
// After Schulman, "Approximating KL Divergence" (2020), with
// log r = log π_ref(x) − log π(x) and x sampled from π:
//
//	k1 = −log r            unbiased, negative on many tokens
//	k2 = ½ (log r)²        biased, ≥ 0
//	k3 = (r − 1) − log r   unbiased, ≥ 0
//	abs = |log r|
//	k3+ = k3 forward, k2's gradient (verl's straight-through "k3+")
//
// each estimating KL(π ‖ π_ref). CleanRL and SB3 use log r = log π_new −
// log π_old with samples from π_old, which estimates KL(π_old ‖ π_new)
// (Direction). The presets:
//
//	preset    estimators           clamps                           logged value (Estimate.Value)             alternatives           source
//	plain     k1 k2 k3 abs k3+     none                             token mean                                —                      Schulman 2020
//	trl-ppo   k1 (default), k3     none; masked log-probs := 1.0    mean over sequences of sequence sums      —                      TRL 1.10.0.dev0 @ f2cd5771
//	trl-grpo  k3                   none                             token mean ("kl" metric)                  grpo bnpo dr_grpo dapo TRL 1.10.0.dev0 @ f2cd5771
//	verl      k1 (default) abs k2  k3: log r to ±20, value to ±10   mean over sequences of masked means       token-mean (agg_loss)  verl @ b178a3cd
//	          k3 k3+
//	openrlhf  k1 (default) k2 k3   every estimator to ±10; float32  mean over sequences of masked means       token-mean             OpenRLHF 0.11.0 @ 3c3be623
//	cleanrl   k1 (old_approx_kl)   none                             mean over counted tokens                  —                      cleanrl @ fe8d8a03
//	          k3 (approx_kl)
//	sb3       k3 (approx_kl_div)   none                             mean over counted tokens                  —                      SB3 2.9.0a4 @ e05d2dbe
//
// Preset.Source gives the files and full commits; Compute's doc gives
// each formula in its source's order of operations. Estimate.Clamps marks
// the tokens a clamp changed. Result.NegativeK1 counts the tokens with
// k1 < 0.
//
// TRL's GRPO default beta (the KL coefficient) is 0.04 up to v0.18 and
// 0.0 from v0.19, where no KL is computed at all; its default loss_type
// is "dapo", which on one process divides by the counted tokens like
// "bnpo" and the logged metric. verl's "k3+" raises NotImplementedError
// at b178a3cd (kl_penalty passes "k3+" itself to kl_penalty_forward,
// which knows only "k3"); its values here are k3's, what the name
// intends.
//
// The adaptive controller of Ziegler et al. (arXiv:1909.08593), the same
// code in TRL legacy, verl and OpenRLHF, is Step; Controllers gives each
// framework's defaults and the Unit it feeds the controller, which
// differs: TRL legacy passes a per-sequence sum, verl and OpenRLHF a
// per-token mean, so the same target means different things.
//
// # Batch layout and masks
//
// Tokens are grouped into sequences by Input.Seq, in order of each id's
// first token (tokens of a sequence need not be adjacent), and laid out
// as the frameworks' [B, T] tensors: one row per sequence, T the longest,
// right-padded. Masked tokens stay in their row and are dropped (or
// multiplied by 0) as the framework's code does. CleanRL and SB3 have no
// mask: their batch is the counted tokens, in input order.
//
// # Exactness
//
// Values are PyTorch 1.13's bits on x86-64 CPU (AVX2, one thread), in
// float32 or float64 as Input.DType says: every operation rounded to the
// dtype, torch.exp by SLEEF (torchcpu.SleefExpf, SleefExp) and torch.sum
// in its cascade order (torchcpu.Sum32, Sum64) over the padded rows or
// the whole padded tensor; torch.mean is that sum divided by the count.
// testdata/gen.py reimplements every framework's code with torch ops,
// and TestOracle finds every value of its 178 cases bit-identical.
//
// # Errors
//
// Special values are not errors: ±Inf and NaN log-probabilities give what
// PyTorch gives (see Compute). Only empty input and columns of different
// lengths are errors; their messages start with "rl:".
package rl
