// Package torchcpu reproduces, bit for bit, the floating-point arithmetic of
// PyTorch 1.13's CPU kernels as Debian builds them for x86-64 (the AVX2
// kernels, one thread): the SLEEF vector routines behind torch.log,
// torch.exp and log_softmax, the glibc scalar routines behind torch.xlogy,
// and the cascade summation of torch.sum.
//
// Everything here is pure Go with no assembly, and every product that must
// not be fused is written float64(a*b) (the Go spec lets a compiler fuse
// x*y + z otherwise), so the results are the same natively and in
// WebAssembly. Where the C code uses a fused multiply-add, so does this
// package: math.FMA for float64, and FMA32 for float32.
package torchcpu
