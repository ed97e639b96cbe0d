package app

import "testing"

// Every preset is a valid share link that computes without input errors.
func TestExamples(t *testing.T) {
	for _, ex := range examples() {
		s, err := DecodeState(ex.Fragment)
		if err != nil {
			t.Errorf("%s: %v", ex.ID, err)
			continue
		}
		if _, _, _, cellErrs, err := s.problem(); err != nil || len(cellErrs) > 0 {
			t.Errorf("%s: %v %v", ex.ID, err, cellErrs)
		}
		if ex.EN == "" || ex.KO == "" || ex.EN == ex.KO {
			t.Errorf("%s: labels %q / %q", ex.ID, ex.EN, ex.KO)
		}
	}
}
