package compute_test

import (
	"fmt"

	"github.com/klcalc/klcalc/compute"
)

// The same P and Q in six libraries. P is 0 where Q is 0: PyTorch's kl_div
// gives NaN there (0·log 0 of its input), the others 0, and Keras's clip to
// [1e-7, 1] leaves a tiny negative term where P is 0 and Q is not.
func ExampleCompareFrameworks() {
	p := compute.Vector([]float64{0.5, 0.5, 0, 0})
	q := compute.Vector([]float64{0.25, 0.5, 0.25, 0})
	r, err := compute.Calculate(compute.Side{Data: p}, compute.Side{Data: q},
		compute.Options{Reduction: compute.ReductionSum, DType: compute.DTypeFloat64})
	if err != nil {
		panic(err)
	}
	vals := compute.CompareFrameworks(p, q, r)
	for _, v := range vals {
		fmt.Printf("%-34s %.6g\n", v.Framework, v.Value)
	}
	n := vals[2].Notes[0] // rel_entr's first clause
	fmt.Println(n.Kind == compute.NoteMismatch, n.Pos, n.X, n.Y, n.Term, n.Torch, n.Special)
	// Output:
	// torch.nn.functional.kl_div         NaN
	// scipy.stats.entropy                0.346574
	// scipy.special.rel_entr             0.346574
	// scipy.special.kl_div               0.346574
	// keras.losses.KLDivergence          0.346572
	// torch.distributions.kl_divergence  0.346574
	// true [0 3] 0 0 0 NaN SpecialZeroTimesInf
}
