package compute_test

import (
	"fmt"
	"math"

	"github.com/klcalc/klcalc/compute"
)

// The classic example: PyTorch prints tensor(0.0153), not the KL divergence
// 0.0458, because 'batchmean' on a 1-D tensor divides by the number of
// classes.
func ExampleCalculate() {
	p := compute.Side{Data: compute.Vector([]float64{0.1, 0.4, 0.5})}
	q := compute.Side{Data: compute.Vector([]float64{0.2, 0.3, 0.5})}
	r, err := compute.Calculate(p, q, compute.Options{Reduction: compute.ReductionBatchMean, DType: compute.DTypeFloat32})
	if err != nil {
		panic(err)
	}
	fmt.Println(compute.FormatTorch(r.Output, compute.DTypeFloat32))
	fmt.Printf("sum %.4f / divisor %g: %v\n", r.Sum, r.Divisor, r.Reason)
	fmt.Printf("KL(P‖Q) = %.4f nats\n", r.Related.Rows[0].KLPQ)
	// Output:
	// tensor(0.0153)
	// sum 0.0458 / divisor 3: DivisorBatch1D
	// KL(P‖Q) = 0.0458 nats
}

// The worked breakdown, term by term, with the special cases named.
func ExampleCalculate_breakdown() {
	p := compute.Side{Data: compute.Vector([]float64{0, 0.5, 0.5})}
	q := compute.Side{Data: compute.Vector([]float64{0.5, 0, 0.5})}
	r, _ := compute.Calculate(p, q, compute.Options{Reduction: compute.ReductionSum, DType: compute.DTypeFloat64})
	for _, t := range r.Terms.All() {
		fmt.Printf("p=%g q=%g log q=%g term=%g", t.P, t.Q, t.LogQ, t.Value)
		if t.Special != compute.SpecialNone {
			fmt.Print("  ", t.Special)
		}
		fmt.Println()
	}
	fmt.Println("sum:", r.Value)
	for _, w := range r.Warnings {
		fmt.Println("warning:", w.Code, "at", w.Positions)
	}
	// Output:
	// p=0 q=0.5 log q=-0.6931471805599453 term=0  SpecialTargetZero
	// p=0.5 q=0 log q=-Inf term=+Inf  SpecialQZero
	// p=0.5 q=0.5 log q=-0.6931471805599453 term=0
	// sum: +Inf
	// warning: WarnQZeroWherePPositive at [[0 1]]
	// warning: WarnInfResult at [[0 1]]
}

// KLDiv mirrors torch.nn.functional.kl_div(input, target, reduction, log_target).
func ExampleKLDiv() {
	input := compute.Vector([]float64{math.Log(0.25), math.Log(0.75)})
	target := compute.Vector([]float64{0.5, 0.5})
	for _, red := range compute.Reductions() {
		out, _ := compute.KLDiv(input, target, red, false, compute.DTypeFloat32)
		fmt.Printf("%-9s %s\n", red, compute.FormatTorch(out, compute.DTypeFloat32))
	}
	// Output:
	// none      tensor([ 0.3466, -0.2027])
	// sum       tensor(0.1438)
	// mean      tensor(0.0719)
	// batchmean tensor(0.0719)
}

// ParseReduction accepts PyTorch's names; unknown names are errors that
// list the valid ones.
func ExampleParseReduction() {
	r, _ := compute.ParseReduction("batchmean")
	fmt.Println(r)
	_, err := compute.ParseReduction("avg")
	fmt.Println(err)
	// Output:
	// batchmean
	// compute: "avg" is not a valid reduction (want one of batchmean, sum, mean, none)
}

// LogSoftmax subtracts the row maximum, so large logits do not overflow.
func ExampleLogSoftmax() {
	fmt.Println(compute.LogSoftmax([]float64{1000, 0, -1000}, 1))
	// Output:
	// [0 -1000 -2000]
}
