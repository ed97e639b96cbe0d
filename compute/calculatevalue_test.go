package compute

import (
	"fmt"
	"math"
	"testing"
)

// TestCalculateValueDetails: CalculateValue then Details is Calculate,
// field by field, over random inputs with zeros, negatives, NaN and ±Inf in
// every form, reduction and dtype, broadcast included. CalculateValue
// leaves Terms and Related out and keeps every other field (the warnings
// included, which it finds without Terms); Details leaves its receiver
// as it was. The source is Calculate's definition: Calculate is
// CalculateValue plus Details.
func TestCalculateValueDetails(t *testing.T) {
	rng := newRand(11)
	specials := []float64{0, -0.5, math.NaN(), math.Inf(1), math.Inf(-1), 3}
	val := func() float64 {
		if rng.IntN(6) == 0 {
			return specials[rng.IntN(len(specials))]
		}
		return rng.Float64()
	}
	tensor := func(rows, cols int) Tensor {
		if rows == 0 {
			d := make([]float64, cols)
			for i := range d {
				d[i] = val()
			}
			return Vector(d)
		}
		m := make([][]float64, rows)
		for i := range m {
			m[i] = make([]float64, cols)
			for j := range m[i] {
				m[i][j] = val()
			}
		}
		x, _ := NewMatrix(m)
		return x
	}
	show := func(r *Result) string {
		c := *r
		c.src = nil
		return fmt.Sprintf("%+v", c)
	}
	compared, warned := 0, 0
	for n := range 400 {
		cols := 1 + rng.IntN(5)
		pr, qr := rng.IntN(4), rng.IntN(4)
		if pr > 1 && qr > 1 {
			qr = pr
		}
		p := Side{Data: tensor(pr, cols), Form: Form(rng.IntN(4)), Temperature: 1}
		q := Side{Data: tensor(qr, cols), Form: Form(rng.IntN(4)), Temperature: 1}
		opt := Options{Reduction: Reduction(rng.IntN(4)), DType: DType(rng.IntN(2)), Unit: Unit(rng.IntN(2))}
		full, err := Calculate(p, q, opt)
		v, err2 := CalculateValue(p, q, opt)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("case %d: Calculate error %v, CalculateValue error %v", n, err, err2)
		}
		if err != nil {
			continue
		}
		if v.Terms.Len() != 0 || v.Related.Rows != nil {
			t.Fatalf("case %d: CalculateValue filled Terms or Related", n)
		}
		before := show(v)
		d := v.Details()
		if got, want := show(d), show(full); got != want {
			t.Fatalf("case %d: CalculateValue + Details differs from Calculate:\n%s\n%s", n, got, want)
		}
		if show(v) != before {
			t.Fatalf("case %d: Details changed its receiver", n)
		}
		compared++
		if len(v.Warnings) > 0 {
			warned++
		}
		if d.Details() != d {
			t.Fatalf("case %d: Details of a detailed result is not itself", n)
		}
	}
	if compared < 200 || warned < 100 {
		t.Errorf("only %d cases computed, %d with warnings: the generator needs a look", compared, warned)
	}
}
