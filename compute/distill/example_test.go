package distill_test

import (
	"fmt"
	"strings"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/distill"
)

// The same logits give seven different "KL" losses. The teacher and
// student are the classic pair at T = 4, as one token.
func ExampleCompute() {
	in := distill.Input{
		Teacher: compute.Vector([]float64{3.2, -1, 0.5, 7.7}),
		Student: compute.Vector([]float64{2.9, -0.4, 0.1, 6.0}),
		Beta:    0.5,
		T:       4,
	}
	values, err := distill.Compute(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range values {
		line := fmt.Sprintf("%-14s %.6f  /%g  %s", v.Flavor, v.Value, v.Divisor, v.Note)
		fmt.Println(strings.TrimRight(line, " "))
	}
	fmt.Printf("torchtune-fkl − H(p_t) = %.6f\n", values[distill.TorchtuneFKL].Value-values[distill.TorchtuneFKL].Entropy)
	// Output:
	// kl_div         0.004995  /4  divides-by-classes
	// hinton         0.079925  /4  divides-by-classes
	// torchtune-fkl  1.059613  /1  omits-entropy
	// torchtune-rkl  0.020863  /1
	// gkd            0.005089  /1
	// masked-fkl     0.019981  /1
	// masked-rkl     0.020863  /1
	// torchtune-fkl − H(p_t) = 0.019981
}
