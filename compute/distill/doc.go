// Package distill computes, on one set of teacher and student logits, the
// knowledge-distillation losses that libraries call "KL", and says how
// they differ.
//
// The input is two logit tensors of shape [N, V] (N tokens, V classes) or
// [V] (one token), a per-row mask (labels != -100), GKD's β and a
// temperature T. With p_t = softmax(teacher/T) and q_s = softmax(student/T):
//
//	flavour        what it is                                divided by        source
//	kl_div         Σ KL(p_t ‖ q_s), mask ignored             size(0): N, or V  PyTorch 1.13.1 F.kl_div, 'batchmean', log_target=True
//	hinton         kl_div · T²                               size(0)           Hinton, Vinyals & Dean 2015
//	torchtune-fkl  Σ H(p_t, q_s) = KL + H(p_t), ±Inf → 0     Σ mask (0 → 0)    torchtune 0.7.0 ForwardKLLoss
//	torchtune-rkl  Σ KL(q_s ‖ p_t), ±Inf → 0                 Σ mask (0 → 0)    torchtune 0.7.0 ReverseKLLoss
//	gkd            Σ JSD(β); β = 0 forward, β = 1 reverse    max(Σ mask, 1)    TRL 1.10.0.dev0 generalized_jsd_loss
//	masked-fkl     Σ KL(p_t ‖ q_s) over counted tokens       Σ mask (0 → NaN)  plain PyTorch, ignore_index = −100
//	masked-rkl     Σ KL(q_s ‖ p_t) over counted tokens       Σ mask (0 → NaN)  plain PyTorch, ignore_index = −100
//
// Each Flavor's doc comment has its exact definition, its special cases
// and the version and commit it was read at; Flavor.Source returns the same. Liger
// Kernel's LigerJSD (v0.8.2) computes the same quantity as gkd and is
// described there. Values are in nats and per token, except kl_div and
// hinton on a [V] row, which PyTorch's 'batchmean' divides by V.
//
// The libraries' names mislead in two ways this package makes visible:
// torchtune's ForwardKLLoss is a cross-entropy, larger than the forward KL
// by the teacher's entropy (Value.Entropy, NoteOmitsEntropy), and GKD's
// JSD(β) tends to 0, not to a KL, as β approaches 0 or 1, where it
// switches to the plain forward or reverse KL (NoteBetaEndpoint).
//
// # Precision
//
// Everything is computed in float64: log-softmax with compute.LogSoftmax,
// sums with compensated (Neumaier) summation. torchtune and Liger upcast
// to float32, and TRL computes in the logits' own dtype (often bf16 or
// float32), so a training run's loss differs from these values in the
// last digits, or more where the terms cancel. testdata/gen.py
// reimplements each library's function with torch 1.13.1's float64 ops,
// and TestOracle checks every flavour against it.
//
// # Special values
//
// Special values are not errors. kl_div, hinton, gkd and the masked
// flavours form each term with compute.PointwiseLogTarget, so a −Inf logit
// (zero probability) gives NaN or +Inf exactly as PyTorch's kl_div does;
// torchtune's two classes set the terms of infinite logits to 0
// (NoteInfMasked). A NaN or +Inf logit makes its row NaN in every flavour,
// except where torchtune masks it.
// The masked flavours and gkd drop masked rows, so a NaN there does not
// matter; torchtune multiplies by the mask, and NaN·0 is NaN. The
// temperature is used as given (NoteTemperature when T ≤ 0 or T is not
// finite). Only bad shapes and β outside [0, 1] are errors; their messages
// start with "distill:".
package distill
