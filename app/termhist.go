package app

import (
	"fmt"
	"math"
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// histBin is the terms whose |term| lies in [10^Lo, 10^(Lo+histStep)),
// counted by sign.
type histBin struct {
	Lo       float64 // log10 of the bin's lower edge
	Pos, Neg int
}

// termHist is the terms' magnitudes by decade: most terms of a large
// vocabulary are tiny, so a linear scale would be one bar at 0.
type termHist struct {
	Bins      []histBin
	Zero      int // terms exactly 0
	NonFinite int // NaN and ±Inf
	Max       int // the largest count of one bin, by sign
}

// histStep is the bins' width in decades.
const histStep = 0.5

// histogram bins the terms by log10|term|, from the smallest to the
// largest finite nonzero magnitude, in steps of histStep decades (at most
// 40 bins: the smallest decades are merged into the first).
func histogram(terms []float64) termHist {
	var h termHist
	// The smallest and largest magnitudes first, and their logs only:
	// log10 is monotonic, and one log per term is the pass's cost.
	small, large := math.Inf(1), 0.0
	// Plain comparisons: math.IsNaN, IsInf and the builtin min, which
	// order NaN, cost several times as much per term in wasm.
	for _, v := range terms {
		a := math.Abs(v)
		switch {
		case a-a != 0: // NaN or ±Inf
			h.NonFinite++
		case a == 0:
			h.Zero++
		default:
			if a < small {
				small = a
			}
			if a > large {
				large = a
			}
		}
	}
	lo, hi := math.Log10(small), math.Log10(large)
	if large == 0 {
		lo, hi = math.Inf(1), math.Inf(-1)
	}
	if lo > hi {
		return h
	}
	first := math.Floor(lo/histStep) * histStep
	last := math.Floor(hi/histStep) * histStep
	const most = 40
	if n := (last-first)/histStep + 1; n > most {
		first = last - (most-1)*histStep
	}
	h.Bins = make([]histBin, int(math.Round((last-first)/histStep))+1)
	for i := range h.Bins {
		h.Bins[i].Lo = first + float64(i)*histStep
	}
	// A term's bin by its magnitude against the bins' edges, not by its
	// log: a log per term took 80 ms of wasm at 10⁶ terms.
	edges := make([]float64, len(h.Bins)-1) // the lower edges of bins 1, 2, …
	for i := range edges {
		edges[i] = math.Pow(10, h.Bins[i+1].Lo)
	}
	for _, v := range terms {
		a := math.Abs(v)
		if a == 0 || a-a != 0 {
			continue
		}
		// The bin is the number of edges ≤ a: guessed from a's binary
		// exponent and mantissa (log2 m ≈ m − 1 is within 0.09, a fifth of
		// a bin), then moved to the edges.
		bits := math.Float64bits(a)
		l2 := float64(int(bits>>52)-1023) + float64(bits&(1<<52-1))/(1<<52)
		i := min(max(int((l2*(math.Ln2/math.Ln10)-first)/histStep), 0), len(edges))
		for i < len(edges) && edges[i] <= a {
			i++
		}
		for i > 0 && edges[i-1] > a {
			i--
		}
		if v > 0 {
			h.Bins[i].Pos++
		} else {
			h.Bins[i].Neg++
		}
	}
	for _, b := range h.Bins {
		h.Max = max(h.Max, b.Pos, b.Neg)
	}
	return h
}

// histSVG draws the histogram: positive terms' counts up, negative ones'
// down, one bar pair per bin, decades labelled under the axis.
func histSVG(l lang, h termHist) app.UI {
	t := texts(l)
	const w, ht, left, top, plotH = 600.0, 190.0, 44.0, 12.0, 140.0
	k := chartSVG()
	n := len(h.Bins)
	slot := (w - left - 8) / float64(n)
	zero := top + plotH/2
	scale := plotH / 2 / float64(max(h.Max, 1))
	ui := []app.UI{
		k.line(left, zero, w-8, zero, "zero"),
		k.line(left, top, left, top+plotH, "axis"),
		k.text(left-6, top+8, "end", "tick", strconv.Itoa(h.Max)),
		k.text(left-6, top+plotH, "end", "tick", strconv.Itoa(h.Max)),
	}
	for i, b := range h.Bins {
		x := left + float64(i)*slot
		if b.Pos > 0 {
			hgt := float64(b.Pos) * scale
			ui = append(ui, k.el("g", "bar bar-pos").Body(
				k.el("rect", "fill").Attr("x", num(x+1)).Attr("y", num(zero-hgt)).Attr("width", num(slot-2)).Attr("height", num(hgt)),
				svgEl("title").Text(fmt.Sprintf(t.HistBin, b.Pos, t.HistPositive, histEdge(b.Lo), histEdge(b.Lo+histStep))),
			))
		}
		if b.Neg > 0 {
			hgt := float64(b.Neg) * scale
			ui = append(ui, k.el("g", "bar bar-neg").Body(
				k.el("rect", "fill").Attr("x", num(x+1)).Attr("y", num(zero)).Attr("width", num(slot-2)).Attr("height", num(hgt)),
				svgEl("title").Text(fmt.Sprintf(t.HistBin, b.Neg, t.HistNegative, histEdge(b.Lo), histEdge(b.Lo+histStep))),
			))
		}
		if math.Mod(b.Lo, 1) == 0 && (n <= 16 || int(b.Lo)%2 == 0) {
			ui = append(ui, k.text(x, top+plotH+16, "middle", "class", "1e"+strconv.Itoa(int(b.Lo))))
		}
	}
	ui = append(ui, k.text(w-8, ht-4, "end", "tick", t.HistAxis))
	label := fmt.Sprintf(t.HistLabel, len(h.Bins))
	return app.Elem("div").Class("charts chart-wrap term-hist").Body(svgRoot("term-hist", "img", label, w, ht, ui...))
}

// histEdge writes 10^e.
func histEdge(e float64) string { return show(math.Pow(10, e)) }
