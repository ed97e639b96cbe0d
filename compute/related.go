package compute

import "math"

// Related holds the information-theoretic quantities of P and Q, per row of
// the broadcast batch and in total. They are the mathematical quantities,
// always computed in float64 from the probabilities (counts divided by
// their row sums), independent of the PyTorch reduction and dtype.
type Related struct {
	Unit  Unit
	Rows  []RelatedRow
	Total RelatedRow // Σ over the rows (JSDistance is √ of the total JSD)
	Mean  RelatedRow // Total / number of rows: what 'batchmean' estimates
}

// RelatedRow holds the quantities of one pair of distributions.
//
//	H(P)      = −Σ p log p                    entropy
//	H(P, Q)   = −Σ p log q                    cross-entropy, = H(P) + KL(P‖Q)
//	KL(P‖Q)   =  Σ p (log p − log q)          what kl_div computes
//	KL(Q‖P)   =  Σ q (log q − log p)          the reverse direction
//	JSD(P, Q) = ½ KL(P‖M) + ½ KL(Q‖M),  M = ½(P + Q),  0 ≤ JSD ≤ ln 2
//	JS distance = √JSD (a metric)
//
// Special cases are, for each element:
//
//	p = 0 contributes 0 to H, H(P,Q) and KL(P‖Q) (0·log 0 = 0, whatever q is)
//	q = 0 where p > 0 makes H(P,Q) and KL(P‖Q) +Inf
//	p < 0, q < 0 or NaN make every quantity that uses them NaN
type RelatedRow struct {
	Entropy      float64 // H(P)
	CrossEntropy float64 // H(P, Q)
	KLPQ         float64 // KL(P‖Q)
	KLQP         float64 // KL(Q‖P)
	JSD          float64 // Jensen–Shannon divergence
	JSDistance   float64 // √JSD
}

// Entropy returns H(p) = −Σ p log p in nats (0·log 0 = 0).
func Entropy(p []float64) float64 {
	var a accumulator
	for _, v := range p {
		a.add(-xlogx(v, ln(v)))
	}
	return a.value()
}

// CrossEntropy returns H(p, q) = −Σ p log q in nats. Terms with p = 0 are 0.
func CrossEntropy(p, q []float64) float64 {
	mustSameLen(p, q)
	var a accumulator
	for i, v := range p {
		a.add(-xlogx(v, ln(q[i])))
	}
	return a.value()
}

// KL returns the Kullback–Leibler divergence KL(p‖q) = Σ p (log p − log q)
// in nats, the mathematical definition (no PyTorch reduction). It is not
// symmetric.
//
// Special cases are:
//
//	p_i = 0 contributes 0 (whatever q_i is, as in SciPy's rel_entr)
//	q_i = 0 where p_i > 0 gives +Inf
//	p_i < 0, q_i < 0 or NaN gives NaN
func KL(p, q []float64) float64 {
	mustSameLen(p, q)
	var a accumulator
	for i, v := range p {
		a.add(klTerm(v, ln(v), q[i], ln(q[i])))
	}
	return a.value()
}

// JSD returns the Jensen–Shannon divergence in nats,
// ½ KL(p‖m) + ½ KL(q‖m) with m = ½(p + q). It is symmetric, exactly: each
// element's contribution is computed in an order that does not depend on
// which argument comes first. For normalised p and q, 0 ≤ JSD ≤ ln 2.
func JSD(p, q []float64) float64 {
	mustSameLen(p, q)
	var a accumulator
	for i, v := range p {
		a.add(jsdTerm(v, ln(v), q[i], ln(q[i])))
	}
	return a.value()
}

func mustSameLen(p, q []float64) {
	if len(p) != len(q) {
		panic("compute: slice lengths do not match")
	}
}

// xlogx returns x·l where l = log of the same x or another value, with
// 0·anything = 0 unless l is NaN, and NaN for x < 0.
func xlogx(x, l float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsNaN(l) || x < 0:
		return math.NaN()
	case x == 0:
		return 0
	}
	return x * l
}

// klTerm is p (log p − log q) with the conventions of RelatedRow.
func klTerm(p, logp, q, logq float64) float64 {
	switch {
	case math.IsNaN(p) || math.IsNaN(q) || p < 0 || q < 0:
		return math.NaN()
	case p == 0:
		return 0
	}
	return p * (logp - logq)
}

func jsdTerm(p, logp, q, logq float64) float64 {
	if math.IsNaN(p) || math.IsNaN(q) || p < 0 || q < 0 {
		return math.NaN()
	}
	m := 0.5*p + 0.5*q
	lm := ln(m)
	return 0.5*klTerm(p, logp, m, lm) + 0.5*klTerm(q, logq, m, lm)
}

// probsAndLogs returns the probabilities and their logarithms of a side,
// in float64, keeping the given numbers where they are exact (log of a
// typed probability, exp of a typed log-probability). Counts are first
// divided by their row sums (FormCounts), then treated as probabilities.
func probsAndLogs(s Side, pc *pacer) (p, logp Tensor) {
	switch s.Form {
	case FormProb, FormCounts:
		p = s.Data
		if s.Form == FormCounts {
			p = normaliseCounts(s.Data, arithExact)
		}
		logp = Tensor{Shape: s.Data.Shape, Data: make([]float64, len(s.Data.Data))}
		for i, v := range p.Data {
			logp.Data[i] = ln(v)
			if i%paceChunk == paceChunk-1 {
				pc.tick(paceChunk)
			}
		}
		return p, logp
	case FormLogits:
		logp = logSoftmaxTensor(s.Data, s.Temperature, arithExact, pc)
	default:
		logp = s.Data
	}
	p = Tensor{Shape: logp.Shape, Data: make([]float64, len(logp.Data))}
	for i, v := range logp.Data {
		p.Data[i] = exp(v)
		if i%paceChunk == paceChunk-1 {
			pc.tick(paceChunk)
		}
	}
	return p, logp
}

// relatedFromSides computes Related over the rows of the broadcast pair.
func relatedFromSides(ps, qs Side, unit Unit, pc *pacer) Related {
	p, lp := probsAndLogs(ps, pc)
	q, lq := probsAndLogs(qs, pc)
	rel := Related{Unit: unit}
	shape, ok := BroadcastShapes(q.Shape, p.Shape)
	if !ok {
		return rel
	}
	rows, cols := Tensor{Shape: shape}.rowsCols()
	pi, qi := indexer(p, shape), indexer(q, shape)
	var tot [5]accumulator
	for i := 0; i < rows; i++ {
		var h, ce, kpq, kqp, js accumulator
		for j := 0; j < cols; j++ {
			a, b := pi.at(i, j), qi.at(i, j)
			pv, lpv, qv, lqv := p.Data[a], lp.Data[a], q.Data[b], lq.Data[b]
			h.add(-xlogx(pv, lpv))
			ce.add(-xlogx(pv, lqv))
			kpq.add(klTerm(pv, lpv, qv, lqv))
			kqp.add(klTerm(qv, lqv, pv, lpv))
			js.add(jsdTerm(pv, lpv, qv, lqv))
			if j%paceChunk == paceChunk-1 {
				pc.tick(paceChunk)
			}
		}
		pc.tick(cols % paceChunk)
		row := RelatedRow{
			Entropy:      inUnit(h.value(), unit),
			CrossEntropy: inUnit(ce.value(), unit),
			KLPQ:         inUnit(kpq.value(), unit),
			KLQP:         inUnit(kqp.value(), unit),
			JSD:          inUnit(js.value(), unit),
		}
		row.JSDistance = math.Sqrt(row.JSD)
		rel.Rows = append(rel.Rows, row)
		for k, v := range []float64{row.Entropy, row.CrossEntropy, row.KLPQ, row.KLQP, row.JSD} {
			tot[k].add(v)
		}
	}
	rel.Total = RelatedRow{tot[0].value(), tot[1].value(), tot[2].value(), tot[3].value(), tot[4].value(), 0}
	rel.Total.JSDistance = math.Sqrt(rel.Total.JSD)
	n := float64(rows)
	rel.Mean = RelatedRow{rel.Total.Entropy / n, rel.Total.CrossEntropy / n, rel.Total.KLPQ / n, rel.Total.KLQP / n, rel.Total.JSD / n, 0}
	rel.Mean.JSDistance = math.Sqrt(rel.Mean.JSD)
	return rel
}

// inUnit converts a value in nats to the unit (one division, one rounding).
func inUnit(nats float64, u Unit) float64 {
	switch u {
	case Bits:
		return nats / math.Ln2
	case Hartleys:
		return nats / math.Ln10
	}
	return nats
}
