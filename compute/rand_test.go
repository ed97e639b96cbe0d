package compute

import "math/rand/v2"

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x6b6c)) }

// randomDist returns a random probability vector of length n that sums to 1
// (up to rounding), with occasional exact zeros when zeros is true.
func randomDist(rng *rand.Rand, n int, zeros bool) []float64 {
	v := make([]float64, n)
	var s float64
	for i := range v {
		v[i] = rng.ExpFloat64()
		if zeros && rng.IntN(5) == 0 {
			v[i] = 0
		}
		s += v[i]
	}
	if s == 0 {
		v[0], s = 1, 1
	}
	for i := range v {
		v[i] /= s
	}
	return v
}

func randomBatch(rng *rand.Rand, rows, cols int) Tensor {
	d := make([]float64, 0, rows*cols)
	for i := 0; i < rows; i++ {
		d = append(d, randomDist(rng, cols, false)...)
	}
	return Tensor{Shape: []int{rows, cols}, Data: d}
}
