package compute

import (
	"math"
	"testing"
)

func TestGuessForm(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	// Log-probabilities of (0.1, 0.2, 0.7) as PyTorch 1.13 prints
	// torch.tensor([0.1, 0.2, 0.7]).log(): tensor([-2.3026, -1.6094, -0.3567]).
	printed := []float64{-2.3026, -1.6094, -0.3567}
	for _, tc := range []struct {
		name string
		rows [][]float64
		form Form
		clue FormClue
	}{
		// Each row: the rule of GuessForm's doc comment it checks.
		{"probabilities", [][]float64{{0.1, 0.2, 0.7}}, FormProb, ClueNone},
		{"unnormalised in [0,1] stays", [][]float64{{0.2, 0.3, 0.1}}, FormProb, ClueNone},
		{"one-hot", [][]float64{{0, 1, 0}}, FormProb, ClueNone},
		{"empty", nil, FormProb, ClueNone},
		{"printed log-probabilities", [][]float64{printed}, FormLog, ClueLogSumExp},
		{"a NaN among log-probabilities", [][]float64{printed, {math.Log(0.5), nan}}, FormProb, ClueNone},
		{"log with zero class", [][]float64{{0, -800}}, FormLog, ClueLogSumExp},
		{"logits (issue 10's example)", [][]float64{{2.1, -0.3, 0.4}}, FormLogits, ClueNegative},
		{"all negative, not normalised", [][]float64{{-1, -2, -3}}, FormLogits, ClueNegative},
		{"one row log, one not", [][]float64{printed, {-1, -2, -3}}, FormLogits, ClueNegative},
		{"counts", [][]float64{{3, 0, 7}}, FormCounts, ClueWhole},
		{"positive logits", [][]float64{{2.5, 0.5, 1}}, FormLogits, ClueAboveOne},
		{"infinity", [][]float64{{inf, 0.5}}, FormProb, ClueNone},
		{"nan", [][]float64{{nan, -3}}, FormProb, ClueNone},
	} {
		f, c := GuessForm(tc.rows)
		if f != tc.form || c != tc.clue {
			t.Errorf("%s: GuessForm(%v) = %v, %v; want %v, %v", tc.name, tc.rows, f, c, tc.form, tc.clue)
		}
	}
}

// Whatever GuessForm picks, the values are valid in that form: a guessed
// log-probability row sums to 1 in probability, a guessed probability
// row holds no negative and nothing above 1.
func FuzzGuessForm(f *testing.F) {
	f.Add(0.1, 0.2, 0.7)
	f.Add(-2.3026, -1.6094, -0.3567)
	f.Add(2.1, -0.3, 0.4)
	f.Add(3.0, 0.0, 7.0)
	f.Fuzz(func(t *testing.T, a, b, c float64) {
		rows := [][]float64{{a, b, c}}
		form, clue := GuessForm(rows)
		switch form {
		case FormProb:
			for _, v := range rows[0] {
				if clue == ClueNone && !math.IsNaN(v) && !math.IsInf(v, 0) && (v < 0 || v > 1) {
					t.Fatalf("%v called probabilities", rows)
				}
			}
		case FormLog:
			if s := math.Exp(a) + math.Exp(b) + math.Exp(c); math.Abs(s-1) > GuessTolerance || a > 0 || b > 0 || c > 0 {
				t.Fatalf("%v called log-probabilities (Σ exp = %v)", rows, s)
			}
		case FormCounts:
			for _, v := range rows[0] {
				if v < 0 || v != math.Trunc(v) {
					t.Fatalf("%v called counts", rows)
				}
			}
		}
	})
}
