//go:build !js

package torchcpu

import "math"

// FMA returns a·b + c rounded once, as math.FMA and the vfmadd instructions
// do: math.FMA, which is an instruction on amd64 and arm64.
func FMA(a, b, c float64) float64 { return math.FMA(a, b, c) }

// prodErr returns a·b − p exactly, for p = fl(a·b): FMA(a, b, −p).
func prodErr(a, b, p float64) float64 { return math.FMA(a, b, -p) }
