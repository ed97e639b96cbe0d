package rl_test

import (
	"fmt"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/rl"
)

// verl's low_var_kl clamps the log ratio to ±20 and the estimate to ±10;
// a token whose reference log-probability is 30 nats above the policy's
// is reported as 10, with both clamps flagged.
func ExampleCompute() {
	in := rl.Input{
		LogP:   []float64{-1.0, -2.0, -1.0},
		LogRef: []float64{-1.2, -1.9, 29.0},
		DType:  compute.DTypeFloat32,
	}
	res, err := rl.Compute(in, rl.Verl)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Direction)
	k3 := res.Estimate(rl.K3)
	for i, v := range k3.Tokens {
		fmt.Printf("token %d: k3 = %.6g [%s]\n", i, v, k3.Clamps[i])
	}
	fmt.Printf("k1 < 0 on %d of %d tokens\n", res.NegativeK1, res.Counted)
	// Output:
	// KL(π‖π_ref), samples from π
	// token 0: k3 = 0.0187308 []
	// token 1: k3 = 0.00517094 []
	// token 2: k3 = 10 [log-ratio ±20+value ±10]
	// k1 < 0 on 2 of 3 tokens
}

// TRL legacy feeds its controller a per-sequence sum, verl a per-token
// mean: with the same code, the same "current" moves β differently.
func ExampleStep() {
	for _, c := range rl.Controllers()[:2] {
		fmt.Printf("%s: target %g %s, β %g → %.6g\n", c.Framework, c.Target, c.Unit, c.Init, c.Step(c.Init, 3.0, 256))
	}
	// Output:
	// trl-legacy: target 6 nats per sequence (sum), β 0.2 → 0.198976
	// verl: target 0.1 nats per token (mean), β 0.001 → 0.00100512
}
