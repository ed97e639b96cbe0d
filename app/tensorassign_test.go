package app

import (
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/tensorfile"
)

// TestRoleOf: the words issue 13 §1 names (p, target, teacher for P; q,
// input, student for Q; logits and logprobs set the form), matched as
// whole words of the name.
func TestRoleOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		want tensorRole
	}{
		{"p", tensorRole{Side: sideP, HasSide: true}},
		{"Q", tensorRole{Side: sideQ, HasSide: true}},
		{"target", tensorRole{Side: sideP, HasSide: true}},
		{"teacher_logits", tensorRole{Side: sideP, HasSide: true, Form: compute.FormLogits, HasForm: true}},
		{"model.student/logprobs", tensorRole{Side: sideQ, HasSide: true, Form: compute.FormLog, HasForm: true}},
		{"student_log_probs", tensorRole{Side: sideQ, HasSide: true, Form: compute.FormLog, HasForm: true}},
		{"input", tensorRole{Side: sideQ, HasSide: true}},
		{"target_probs", tensorRole{Side: sideP, HasSide: true, Form: compute.FormProb, HasForm: true}},
		{"logits", tensorRole{Form: compute.FormLogits, HasForm: true}},
		{"output", tensorRole{}},                              // "output" is not "input"
		{"pq", tensorRole{}},                                  // one word, neither
		{"teacher_q", tensorRole{Side: sideP, HasSide: true}}, // the first word that says a side wins
		{"arr_0", tensorRole{}},                               // np.savez's default names
		{"", tensorRole{}},
	} {
		if got := roleOf(tc.name); got != tc.want {
			t.Errorf("roleOf(%q) = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// TestChooseTensors: names decide where they say; file order and the side
// dropped on decide the rest, and then the choice is marked as a guess.
func TestChooseTensors(t *testing.T) {
	for _, tc := range []struct {
		names   []string
		dropped side
		want    tensorChoice
	}{
		{nil, sideP, tensorChoice{P: -1, Q: -1}},
		{[]string{"x"}, sideQ, tensorChoice{P: -1, Q: 0}},
		{[]string{"student_logits"}, sideP, tensorChoice{P: -1, Q: 0}},
		{[]string{"student_logits", "teacher_logits"}, sideP, tensorChoice{P: 1, Q: 0}},
		{[]string{"input", "target"}, sideP, tensorChoice{P: 1, Q: 0}},
		{[]string{"arr_0", "arr_1"}, sideQ, tensorChoice{P: 0, Q: 1, Guessed: true}},
		{[]string{"labels", "q", "extra"}, sideP, tensorChoice{P: 0, Q: 1, Guessed: true}},
		{[]string{"p", "mask", "p2"}, sideP, tensorChoice{P: 0, Q: 1, Guessed: true}},
		{[]string{"p", "target"}, sideP, tensorChoice{P: 0, Q: 1, Guessed: true}}, // two say P: the first is P
	} {
		if got := chooseTensors(tc.names, tc.dropped); got != tc.want {
			t.Errorf("chooseTensors(%q, %v) = %+v, want %+v", tc.names, tc.dropped, got, tc.want)
		}
	}
}

// TestFileErrorsComplete: every tensorfile code has a sentence in both
// languages, and a message names the file, the tensor and the byte.
func TestFileErrorsComplete(t *testing.T) {
	for _, l := range []lang{langEN, langKO} {
		ft := texts(l).Files
		for c := tensorfile.ErrUnknownFormat; c <= tensorfile.ErrName; c++ {
			if _, ok := ft.Codes[c]; !ok && c != tensorfile.ErrTooManyValues {
				t.Errorf("%v: no sentence for %v", l, c)
			}
		}
		msg := ft.fileError("x.safetensors", &tensorfile.Error{Code: tensorfile.ErrDType, Tensor: "w", Offset: 12, Detail: "F8_E4M3"})
		for _, want := range []string{"x.safetensors", "F8_E4M3", "w", "12"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%v: %q does not name %q", l, msg, want)
			}
		}
	}
}
