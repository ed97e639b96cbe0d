package app

import (
	"fmt"
	"strings"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/textparse"
)

// rlColumnsFrom reads pasted or dropped columns (CSV, TSV or a printed
// array, one row per token) into the RL mode's fields. With a header, the
// columns are found by name: logp (logprobs, policy, new), ref
// (ref_logprobs, reference, old), mask and seq (sequence, seq_id); without
// one they are logp, ref, then optionally mask and seq, in that order.
func rlColumnsFrom(text string) (logp, ref, mask, seq string, err error) {
	m, err := textparse.Parse(text)
	if err != nil {
		return "", "", "", "", err
	}
	cols := len(m.Rows[0])
	idx := map[string]int{"logp": 0, "ref": 1, "mask": 2, "seq": 3}
	if m.Header != nil {
		idx = map[string]int{}
		for j, h := range m.Header {
			switch strings.ToLower(strings.TrimSpace(h)) {
			case "logp", "logprobs", "logprob", "policy", "new", "log_pi", "logpi":
				idx["logp"] = j
			case "ref", "ref_logprobs", "ref_logprob", "reference", "old", "old_logprobs", "log_pi_ref":
				idx["ref"] = j
			case "mask", "attention_mask", "response_mask":
				idx["mask"] = j
			case "seq", "sequence", "seq_id", "sequence_id":
				idx["seq"] = j
			}
		}
	}
	li, lok := idx["logp"]
	ri, rok := idx["ref"]
	if !lok || !rok || li >= cols || ri >= cols {
		return "", "", "", "", &rlColumnsError{Found: cols}
	}
	col := func(j int) string {
		vals := make([]string, len(m.Rows))
		for i, r := range m.Rows {
			vals[i] = compute.FormatFloat(r[j])
		}
		return strings.Join(vals, ", ")
	}
	logp, ref = col(li), col(ri)
	if j, ok := idx["mask"]; ok && j < cols {
		mask = col(j)
	}
	if j, ok := idx["seq"]; ok && j < cols {
		seq = col(j)
	}
	return logp, ref, mask, seq, nil
}

// rlColumnsError is a paste without the two log-probability columns.
type rlColumnsError struct{ Found int }

func (e *rlColumnsError) Error() string {
	return fmt.Sprintf("rl: want at least the columns logp and ref, found %d", e.Found)
}
