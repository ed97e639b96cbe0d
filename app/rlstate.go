package app

// The RL mode (mode=rl): the KL that PPO, RLHF and GRPO trainers estimate
// from the log-probabilities of sampled tokens, per framework. This file
// holds its state, its share-link keys and the parsing of its columns;
// rlview.go draws the mode, rlsnippet.go writes its code, i18n_rl.go holds
// its texts, and compute/rl computes.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/klcalc/klcalc/compute/textparse"
)

// RLState is everything the RL mode shows, and everything its link holds.
// Columns keep the text the user typed: one value per sampled token,
// separated by commas, spaces or line breaks. The token mask is State.Mask,
// which the distillation tab also uses: one 1 or 0 per token.
type RLState struct {
	LogP   string // log π(x) of each sampled token (the policy; π_new for cleanrl and sb3)
	Ref    string // log π_ref(x) (the reference; π_old for cleanrl and sb3)
	Seq    string // the sequence id of each token ("" : one sequence)
	Preset string // the framework preset's key ("" : plain)
	// The adaptive controller's inputs, as typed ("" : the preset's default).
	CtlBeta, CtlTarget, CtlSteps, CtlHorizon string
	// Full distributions, optional: the policy's and the reference's
	// logits (or log-probabilities) at each position, one row per token,
	// for the exact KL beside the estimates. Rows are separated by ';' or
	// line breaks, values by ','.
	Pi, PiRef string
}

// URL keys of the RL mode.
const (
	keyLogP       = "logp"
	keyRef        = "ref"
	keySeq        = "seq"
	keyRLPreset   = "rl"
	keyCtlBeta    = "ctl_beta"
	keyCtlTarget  = "ctl_target"
	keyCtlSteps   = "ctl_steps"
	keyCtlHorizon = "ctl_horizon"
	keyPi         = "pi"
	keyPiRef      = "pi_ref"
)

// defaultRL is two sampled sequences of a policy a little away from its
// reference: k1 is negative on some tokens, k3 never.
func defaultRL() RLState {
	return RLState{
		LogP: "-0.21, -1.35, -0.08, -2.9, -0.64, -0.33, -4.1, -0.02, -1.8, -0.5, -0.95",
		Ref:  "-0.35, -1.10, -0.09, -3.6, -0.61, -0.52, -3.2, -0.03, -2.4, -0.47, -1.3",
		Seq:  "0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1",
	}
}

// encode writes the RL keys of a non-default state.
func (r RLState) encode(add func(k, v string)) {
	for _, f := range []struct{ k, v string }{
		{keyLogP, r.LogP}, {keyRef, r.Ref}, {keySeq, r.Seq}, {keyRLPreset, r.Preset},
		{keyCtlBeta, r.CtlBeta}, {keyCtlTarget, r.CtlTarget}, {keyCtlSteps, r.CtlSteps}, {keyCtlHorizon, r.CtlHorizon},
	} {
		if f.v != "" {
			add(f.k, escapeList(f.v))
		}
	}
	for _, f := range []struct{ k, v string }{{keyPi, r.Pi}, {keyPiRef, r.PiRef}} {
		if f.v != "" {
			add(f.k, escapeMatrix(f.v))
		}
	}
}

// escapeList writes a column as the link does: values separated by ','.
func escapeList(s string) string {
	vals := splitColumn(s)
	for i, v := range vals {
		vals[i] = escapeCell(v)
	}
	return strings.Join(vals, ",")
}

// escapeMatrix writes rows of values as the link does: rows separated by
// ';', values by ','.
func escapeMatrix(s string) string {
	rows := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' })
	out := make([]string, 0, len(rows))
	for _, row := range rows {
		if e := escapeList(row); e != "" {
			out = append(out, e)
		}
	}
	return strings.Join(out, ";")
}

// splitColumn splits a column's text into its values: commas, semicolons,
// spaces and line breaks all separate (a CSV column or a printed list).
func splitColumn(s string) []string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimSuffix(s, "]"), "[")
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
}

// rlField names an input of the RL mode, in errors.
type rlField int

const (
	rlFieldLogP rlField = iota
	rlFieldRef
	rlFieldMask
	rlFieldSeq
	rlFieldCtl
	rlFieldPi
	rlFieldPiRef
)

// RLError is one invalid input of the RL mode: which field, where, and
// why. The app writes it in the reader's language.
type RLError struct {
	Field rlField
	Index int    // 0-based value in the column, or -1
	Text  string // the value as typed
	Count int    // the column's length, for a length mismatch
	Want  int    // the length it must have
	Err   error  // the parser's error, if any
}

func (e *RLError) Error() string {
	return fmt.Sprintf("rl field %d value %d %q: count %d want %d: %v", e.Field, e.Index, e.Text, e.Count, e.Want, e.Err)
}

// rlColumns is the parsed input of the RL mode.
type rlColumns struct {
	logp, ref []float64
	mask      []bool // nil: every token counts
	seq       []int  // nil: one sequence
}

// parseColumns reads the columns; the errors name each bad value.
func (r RLState) parseColumns(mask string) (rlColumns, []*RLError) {
	var c rlColumns
	var errs []*RLError
	num := func(f rlField, text string) []float64 {
		var out []float64
		for i, v := range splitColumn(text) {
			x, err := textparse.ParseFloat(v)
			if err != nil {
				errs = append(errs, &RLError{Field: f, Index: i, Text: v, Err: err})
				continue
			}
			out = append(out, x)
		}
		return out
	}
	c.logp = num(rlFieldLogP, r.LogP)
	c.ref = num(rlFieldRef, r.Ref)
	if len(errs) > 0 {
		return c, errs
	}
	n := len(c.logp)
	if n == 0 {
		return c, []*RLError{{Field: rlFieldLogP, Index: -1, Want: 1}}
	}
	if len(c.ref) != n {
		errs = append(errs, &RLError{Field: rlFieldRef, Index: -1, Count: len(c.ref), Want: n})
	}
	if m := splitColumn(mask); len(m) > 0 {
		if len(m) != n {
			errs = append(errs, &RLError{Field: rlFieldMask, Index: -1, Count: len(m), Want: n})
		}
		for i, v := range m {
			switch v {
			case "1", "true", "True":
				c.mask = append(c.mask, true)
			case "0", "false", "False":
				c.mask = append(c.mask, false)
			default:
				errs = append(errs, &RLError{Field: rlFieldMask, Index: i, Text: v})
			}
		}
	}
	if s := splitColumn(r.Seq); len(s) > 0 {
		if len(s) != n {
			errs = append(errs, &RLError{Field: rlFieldSeq, Index: -1, Count: len(s), Want: n})
		}
		for i, v := range s {
			id, err := strconv.Atoi(v)
			if err != nil || strconv.Itoa(id) != strings.TrimPrefix(v, "+") {
				errs = append(errs, &RLError{Field: rlFieldSeq, Index: i, Text: v, Err: err})
				continue
			}
			c.seq = append(c.seq, id)
		}
	}
	return c, errs
}
