package app

import (
	"fmt"
	"math"
	"slices"

	"github.com/klcalc/klcalc/compute"
)

// severity orders the warnings: what makes the number wrong comes first.
type severity int

const (
	sevError   severity = iota // the value is not a divergence: NaN, ±∞, negative probabilities, a broken temperature
	sevWarning                 // probably a mistake: a reduction or form that is not what the user meant
	sevInfo                    // how the value was made, not a mistake
)

// warningSeverity is the severity of a warning code.
func warningSeverity(c compute.WarningCode) severity {
	switch c {
	case compute.WarnNaNResult, compute.WarnInfResult, compute.WarnNegativeProbability,
		compute.WarnQZeroWherePPositive, compute.WarnTemperature:
		return sevError
	case compute.WarnCountsNormalised:
		return sevInfo
	}
	return sevWarning
}

// sortWarnings orders ws by severity, keeping compute's order within one.
func sortWarnings(ws []compute.Warning) {
	slices.SortStableFunc(ws, func(a, b compute.Warning) int {
		return int(warningSeverity(a.Code)) - int(warningSeverity(b.Code))
	})
}

// fixKind is a one-click edit that answers a warning.
type fixKind int

const (
	fixNone        fixKind = iota
	fixFormLogits          // treat the side as logits
	fixFormProb            // treat the side as probabilities
	fixTwoD                // a 1-D pair becomes one row of a batch, (1, C)
	fixBatchMean           // reduction='batchmean'
	fixRenormalise         // divide each row of the side by its sum
	fixSmooth              // q ← (q + ε) / Σ(q + ε) in every row of Q
)

// smoothEps is the ε of fixSmooth.
const smoothEps = 1e-6

// fixAction is the fix offered beside a warning. It is an ordinary edit of
// the state: the link records it, and Back undoes it.
type fixAction struct {
	Kind  fixKind
	Side  side
	Value float64 // fixSmooth: the value the fix gives, NaN if it cannot be computed
}

// warningFix is the fix for w, if there is one, in state s, whose sides
// parse to p and q.
func warningFix(w compute.Warning, s State, p, q compute.Side) fixAction {
	sd, data := sideP, p.Data.Data
	if w.Operand == compute.OperandQ {
		sd, data = sideQ, q.Data.Data
	}
	switch w.Code {
	case compute.WarnLooksLikeProbabilities:
		return fixAction{Kind: fixFormProb, Side: sd}
	case compute.WarnNegativeProbability:
		return fixAction{Kind: fixFormLogits, Side: sd}
	case compute.WarnRowSum:
		if w.Form == compute.FormProb && withinUnit(data) {
			return fixAction{Kind: fixRenormalise, Side: sd}
		}
		return fixAction{Kind: fixFormLogits, Side: sd}
	case compute.WarnQZeroWherePPositive:
		if s.QForm == compute.FormProb {
			return fixAction{Kind: fixSmooth, Side: sideQ, Value: math.NaN()}
		}
	case compute.WarnMeanReduction:
		return fixAction{Kind: fixBatchMean}
	case compute.WarnBatchMean1D:
		return fixAction{Kind: fixTwoD}
	}
	return fixAction{}
}

// withinUnit reports whether every value is in [0, 1]: rows that only
// fail to sum to 1 are renormalised; others are likely logits.
func withinUnit(vals []float64) bool {
	for _, v := range vals {
		if !(v >= 0 && v <= 1) {
			return false
		}
	}
	return true
}

// rows is the grid of a side.
func (s *State) rows(sd side) *[][]string {
	if sd == sideQ {
		return &s.Q
	}
	return &s.P
}

// apply makes the fix's edit to s.
func (a fixAction) apply(s *State) {
	form := &s.PForm
	if a.Side == sideQ {
		form = &s.QForm
	}
	switch a.Kind {
	case fixFormLogits:
		*form = compute.FormLogits
	case fixFormProb:
		*form = compute.FormProb
	case fixTwoD:
		s.Dims = 2
	case fixBatchMean:
		s.Reduction = compute.ReductionBatchMean
	case fixRenormalise:
		s.mapSide(a.Side, func(row []float64) []float64 {
			sum := 0.0
			for _, v := range row {
				sum += v
			}
			for i := range row {
				row[i] /= sum
			}
			return row
		})
	case fixSmooth:
		s.mapSide(a.Side, func(row []float64) []float64 {
			sum := 0.0
			for i := range row {
				row[i] += smoothEps
				sum += row[i]
			}
			for i := range row {
				row[i] /= sum
			}
			return row
		})
	}
}

// mapSide applies f to each row of side sd: to a copy of each of its values
// (State.PVals), or through mapRows to its text.
func (s *State) mapSide(sd side, f func([]float64) []float64) {
	if v := *s.vals(sd); v != nil {
		out := make([][]float64, len(v))
		for i, r := range v {
			out[i] = f(slices.Clone(r))
		}
		s.setVals(sd, out)
		return
	}
	*s.rows(sd) = mapRows(*s.rows(sd), f)
}

// mapRows rewrites a grid's numbers row by row; a row with a cell that is
// not a number is kept as it is.
func mapRows(rows [][]string, f func([]float64) []float64) [][]string {
	vals, errs := parseGrid(sideP, rows)
	bad := map[int]bool{}
	for _, e := range errs {
		bad[e.Row] = true
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = slices.Clone(r)
		if bad[i] {
			continue
		}
		for j, v := range f(vals[i]) {
			out[i][j] = compute.FormatFloat(v)
		}
	}
	return out
}

// preview computes the value a fix would give, for the fixes that say it.
func (a *fixAction) preview(s State) {
	if a.Kind != fixSmooth {
		return
	}
	a.apply(&s)
	p, q, opt, cellErrs, err := s.problem()
	if err != nil || len(cellErrs) > 0 {
		return
	}
	if r, err := compute.Calculate(p, q, opt); err == nil {
		a.Value = r.Value
	}
}

// class is the warning's CSS class, which colours it.
func (s severity) class() string {
	switch s {
	case sevError:
		return "sev-error"
	case sevInfo:
		return "sev-info"
	}
	return "sev-warning"
}

// icon marks the severity for the eye; screen readers hear its name.
func (s severity) icon() string {
	switch s {
	case sevError:
		return "✖"
	case sevInfo:
		return "ℹ"
	}
	return "⚠"
}

// severityName is the severity's name, read before the warning.
func (t *uiText) severityName(s severity) string {
	switch s {
	case sevError:
		return t.SevError
	case sevInfo:
		return t.SevInfo
	}
	return t.SevWarning
}

// fixLabel is the text of a fix's button.
func (t *uiText) fixLabel(l lang, a fixAction) string {
	name := a.Side.String()
	if l == langKO {
		name = josa(name, "을")
	}
	switch a.Kind {
	case fixFormLogits:
		return fmt.Sprintf(t.FixLogits, name)
	case fixFormProb:
		return fmt.Sprintf(t.FixProb, name)
	case fixRenormalise:
		return fmt.Sprintf(t.FixRenormalise, a.Side)
	case fixTwoD:
		return t.FixTwoD
	case fixBatchMean:
		return t.FixBatchMean
	case fixSmooth:
		if math.IsNaN(a.Value) {
			return t.FixSmooth
		}
		return fmt.Sprintf(t.FixSmoothGives, compute.FormatFloat(a.Value))
	}
	return ""
}
