package app

import (
	"cmp"
	"container/heap"
	"fmt"
	"math"
	"slices"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// topK is how many terms and rows the contributors' tables list.
const topK = 10

// termStats is what the contributors' view shows of a result's terms.
type termStats struct {
	Top              []int   // indices into Terms of the largest |term|, largest first; non-finite terms first
	AbsSum           float64 // Σ|term| over the finite terms, in float64
	PosSum, NegSum   float64 // Σ of the positive and of the negative terms
	PosCount, NegCnt int
	TopAbs           float64 // Σ|term| of the finite terms in Top
	Rows             []int   // rows by their sum, largest first (only for several rows)
}

// rankTerms picks the k largest of the terms vals by |term| in one pass (a
// min-heap of k), so that 10⁶ terms cost one scan and no sort, and the k
// rows of rowSums with the largest sum.
func rankTerms(vals, rowSums []float64, k int) termStats {
	var s termStats
	h := &termHeap{terms: vals}
	floor := math.Inf(-1) // the smallest termKey in h once it holds k
	for i, v := range vals {
		switch {
		case v > 0:
			s.PosSum += v
			s.PosCount++
		case v < 0:
			s.NegSum += v
			s.NegCnt++
		}
		key := math.Abs(v) // termKey(v), by plain comparisons: cheaper in wasm
		if key-key != 0 {  // NaN or ±Inf
			key = math.Inf(1)
		} else {
			s.AbsSum += key
		}
		if h.Len() < k {
			heap.Push(h, i)
			if h.Len() == k {
				floor = termKey(vals[h.idx[0]])
			}
		} else if key > floor {
			h.idx[0] = i
			heap.Fix(h, 0)
			floor = termKey(vals[h.idx[0]])
		}
	}
	s.Top = slices.Clone(h.idx)
	slices.SortFunc(s.Top, func(a, b int) int {
		if c := cmp.Compare(termKey(vals[b]), termKey(vals[a])); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for _, i := range s.Top {
		if v := vals[i]; !math.IsNaN(v) && !math.IsInf(v, 0) {
			s.TopAbs += math.Abs(v)
		}
	}
	if len(rowSums) > 1 {
		s.Rows = make([]int, len(rowSums))
		for i := range s.Rows {
			s.Rows[i] = i
		}
		slices.SortStableFunc(s.Rows, func(a, b int) int { return cmp.Compare(termKey(rowSums[b]), termKey(rowSums[a])) })
		s.Rows = s.Rows[:min(len(s.Rows), k)]
	}
	return s
}

// termKey orders terms by size: |v|, with NaN and ±Inf above every finite
// value, since they decide the result.
func termKey(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return math.Inf(1)
	}
	return math.Abs(v)
}

// termHeap is a min-heap of term indices by termKey.
type termHeap struct {
	terms []float64
	idx   []int
}

func (h *termHeap) Len() int { return len(h.idx) }
func (h *termHeap) Less(i, j int) bool {
	return termKey(h.terms[h.idx[i]]) < termKey(h.terms[h.idx[j]])
}
func (h *termHeap) Swap(i, j int) { h.idx[i], h.idx[j] = h.idx[j], h.idx[i] }
func (h *termHeap) Push(x any)    { h.idx = append(h.idx, x.(int)) }
func (h *termHeap) Pop() any {
	x := h.idx[len(h.idx)-1]
	h.idx = h.idx[:len(h.idx)-1]
	return x
}

// topTerms lists the terms that carry the divergence: the largest |term|
// with their share, the positive and negative totals, and the rows with
// the largest KL.
type topTerms struct {
	app.Compo

	IResult  *compute.Result
	ILang    lang
	ISummary *termSummary // IResult's, made in a task of its own for a large result; nil: made here

	own *termSummary // made here, kept while the terms are the same
}

// termSummary is the ranking and the histogram of a result's terms: a pass
// over every term (85 ms at 4 M terms), made once per set of terms, not on
// each render nor for another reduction of the same terms (WithReduction
// keeps them).
type termSummary struct {
	key   termsKey
	stats termStats
	hist  termHist
}

// summarize is r's termSummary.
func summarize(r *compute.Result) *termSummary {
	return &termSummary{key: keyOf(r), stats: rankTerms(r.Terms.Values(), r.RowSums, topK), hist: histogram(r.Terms.Values())}
}

// summaryInTask is the number of terms from which a result's termSummary
// is made in a task of its own (completeResult), not in the render that
// draws it: at 2 × 1 024 000 terms it and the table's mounting took a
// 231 ms task.
const summaryInTask = 100_000

// of reports whether s is the summary of r's terms.
func (s *termSummary) of(r *compute.Result) bool { return s != nil && s.key == keyOf(r) }

// termsKey is the identity of a result's terms and row sums. Terms are
// never changed once made, so their first element's address and their
// number are their identity.
type termsKey struct {
	first, firstRow *float64
	n, rows         int
}

// keyOf is the identity of r's terms, and of its row sums (their
// ranking's input, recomputed with the terms).
func keyOf(r *compute.Result) termsKey {
	vals := r.Terms.Values()
	k := termsKey{n: len(vals), rows: len(r.RowSums)}
	if len(vals) > 0 {
		k.first = &vals[0]
	}
	if len(r.RowSums) > 0 {
		k.firstRow = &r.RowSums[0]
	}
	return k
}

func newTopTerms() *topTerms { return &topTerms{} }

func (v *topTerms) Lang(l lang) *topTerms              { v.ILang = l; return v }
func (v *topTerms) Result(r *compute.Result) *topTerms { v.IResult = r; return v }
func (v *topTerms) Summary(s *termSummary) *topTerms   { v.ISummary = s; return v }

func (v *topTerms) Render() (ui app.UI) {
	defer recoverRender(&ui)
	r := v.IResult
	if r == nil || r.Terms.Len() <= topK {
		return app.Elem("div").Class("slot")
	}
	t := texts(v.ILang)
	sum := v.ISummary
	if !sum.of(r) {
		if !v.own.of(r) {
			v.own = summarize(r)
		}
		sum = v.own
	}
	s, hist := sum.stats, sum.hist
	share := func(x float64) string {
		if s.AbsSum == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			return "—"
		}
		return fmt.Sprintf("%.1f%%", 100*x/s.AbsSum)
	}
	return app.Elem("section").ID("top-terms").Class("top-terms").Aria("labelledby", "top-heading").Body(
		app.Elem("h3").ID("top-heading").Text(fmt.Sprintf(t.TopHeading, len(s.Top), r.Terms.Len())),
		app.P().ID("top-summary").Class("note").Text(fmt.Sprintf(t.TopSummary,
			show(s.PosSum), s.PosCount, show(s.NegSum), s.NegCnt, share(s.TopAbs))),
		optional(len(hist.Bins) > 1, func() app.UI {
			return app.Elem("figure").ID("term-histogram").Class("term-histogram").Body(
				histSVG(v.ILang, hist),
				app.Elem("figcaption").Class("note").Text(fmt.Sprintf(t.HistTitle, hist.Zero, hist.NonFinite)),
			)
		}),
		tableWrap(v.ILang, t.TopHeadingShort, app.Elem("table").Class("terms").ID("top-table").Body(
			app.Elem("thead").Body(app.Elem("tr").Body(
				app.Elem("th").Text("#"), app.Elem("th").Text(t.ColRow), app.Elem("th").Text(t.ColClass),
				app.Elem("th").Text(t.ColTerm), app.Elem("th").Text(t.ColShare), app.Elem("th").Text("p"), app.Elem("th").Text("q"),
			)),
			app.Elem("tbody").Body(app.Range(s.Top).Slice(func(i int) app.UI {
				tm := r.Terms.At(s.Top[i])
				sign := "pos"
				if tm.Value < 0 {
					sign = "neg"
				}
				return app.Elem("tr").Class(specialClass(tm.Value)).DataSet("sign", sign).Body(
					app.Elem("td").Text(i+1), app.Elem("td").Text(rowName(r.Shape, tm.Row)), app.Elem("td").Text(tm.Col+1),
					app.Elem("td").Class("term "+specialClass(tm.Value)).DataSet("value", compute.FormatFloat(tm.Value)).Text(show(tm.Value)),
					app.Elem("td").Text(share(math.Abs(tm.Value))),
					app.Elem("td").Text(show(tm.P)), app.Elem("td").Text(show(tm.Q)),
				)
			})),
		)),
		app.If(len(s.Rows) > 0, app.P().Class("top-rows-title").Text(fmt.Sprintf(t.TopRows, len(s.Rows), len(r.RowSums)))),
		app.If(len(s.Rows) > 0, app.Elem("table").Class("rowsums").ID("top-rows").Body(
			app.Elem("tbody").Body(app.Range(s.Rows).Slice(func(i int) app.UI {
				row := s.Rows[i]
				return app.Elem("tr").Body(app.Elem("th").Attr("scope", "row").Text(fmt.Sprintf(t.RowNamed, rowName(r.Shape, row))),
					app.Elem("td").Class(specialClass(r.RowSums[row])).DataSet("value", compute.FormatFloat(r.RowSums[row])).Text(show(r.RowSums[row])))
			})),
		)),
	)
}
