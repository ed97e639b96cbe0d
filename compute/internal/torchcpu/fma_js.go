//go:build js

package torchcpu

import "math"

// FMA returns a·b + c rounded once, as math.FMA and the vfmadd instructions
// do. WebAssembly has no fused multiply-add, so it is emulated.
func FMA(a, b, c float64) float64 { return emulatedFMA(a, b, c) }

// prodErr returns a·b − p exactly, for p = fl(a·b): what FMA(a, b, −p)
// gives, by Dekker's product, which is cheaper than a whole emulated FMA.
// Operands out of the range where Dekker's split is exact go to FMA.
func prodErr(a, b, p float64) float64 {
	ea := int(math.Float64bits(a)>>52&0x7ff) - 1023
	eb := int(math.Float64bits(b)>>52&0x7ff) - 1023
	if uint(ea+450) >= 900 || uint(eb+450) >= 900 {
		return emulatedFMA(a, b, -p)
	}
	return dekkerErr(a, b, p)
}
