//go:build js

package torchcpu

// FMA returns a·b + c rounded once, as math.FMA and the vfmadd instructions
// do. WebAssembly has no fused multiply-add, so it is emulated.
func FMA(a, b, c float64) float64 { return emulatedFMA(a, b, c) }
