package compute

import (
	"fmt"
	"math"
	"testing"
	"time"
)

var benchSizes = []int{1_000, 100_000, 1_000_000}

func benchData(n int) (p, q []float64) {
	rng := newRand(11)
	return randomDist(rng, n, false), randomDist(rng, n, false)
}

// BenchmarkLogFloor is the floor: the two logarithms per element that any
// kl_div of probabilities must compute, summed so they are not optimised away.
func BenchmarkLogFloor(b *testing.B) {
	for _, n := range benchSizes {
		p, q := benchData(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var s float64
			for b.Loop() {
				for i := range p {
					s += math.Log(p[i]) + math.Log(q[i])
				}
			}
			sink = s
		})
	}
}

var sink float64

// BenchmarkKLDiv is the kernel and reduction alone (input already log q).
func BenchmarkKLDiv(b *testing.B) {
	for _, n := range benchSizes {
		p, q := benchData(n)
		in := Vector(logs(q))
		tg := Vector(p)
		for _, dt := range []DType{DTypeFloat64, DTypeFloat32} {
			b.Run(fmt.Sprintf("%v/%d", dt, n), func(b *testing.B) {
				for b.Loop() {
					out, _ := KLDiv(in, tg, ReductionSum, false, dt)
					sink = out.Data[0]
				}
			})
		}
	}
}

// BenchmarkCalculate is what the app runs on every edit: conversion of
// probabilities (one more log per element), the kernel, the breakdown,
// every reduction, the related quantities and the diagnostics.
func BenchmarkCalculate(b *testing.B) {
	for _, n := range benchSizes {
		p, q := benchData(n)
		for _, dt := range []DType{DTypeFloat64, DTypeFloat32} {
			b.Run(fmt.Sprintf("%v/%d", dt, n), func(b *testing.B) {
				for b.Loop() {
					r, _ := Calculate(Side{Data: Vector(p)}, Side{Data: Vector(q)}, Options{DType: dt})
					sink = r.Value
				}
			})
		}
	}
}

// BenchmarkRatioToFloor times the floor (two logarithms per element, the
// least any KL of probabilities needs) and the real computation in
// alternation within one run, and reports their ratio as x-floor, so that a
// noisy shared machine slows both alike.
func BenchmarkRatioToFloor(b *testing.B) {
	for _, n := range benchSizes {
		p, q := benchData(n)
		floor := func() {
			var s float64
			for i := range p {
				s += math.Log(p[i]) + math.Log(q[i])
			}
			sink = s
		}
		cases := []struct {
			name string
			run  func()
		}{
			{"kl_div-from-probs/float64", func() {
				out, _ := KLDiv(toInput(Side{Data: Vector(q)}, arithTorch64, nil), Vector(p), ReductionSum, false, DTypeFloat64)
				sink = out.Data[0]
			}},
			{"Calculate/float32", func() {
				r, _ := Calculate(Side{Data: Vector(p)}, Side{Data: Vector(q)}, Options{})
				sink = r.Value
			}},
		}
		for _, c := range cases {
			b.Run(fmt.Sprintf("%s/%d", c.name, n), func(b *testing.B) {
				var tf, tc time.Duration
				for b.Loop() {
					t0 := time.Now()
					floor()
					t1 := time.Now()
					c.run()
					tf += t1.Sub(t0)
					tc += time.Since(t1)
				}
				b.ReportMetric(float64(tc)/float64(tf), "x-floor")
			})
		}
	}
}

// BenchmarkLn compares the package's ln with math.Log on probabilities, in
// alternation within one run (see mathx.go for why ln exists).
func BenchmarkLn(b *testing.B) {
	p, _ := benchData(100_000)
	for _, c := range []struct {
		name string
		f    func(float64) float64
	}{{"ln", ln}, {"math.Log", math.Log}} {
		b.Run(c.name, func(b *testing.B) {
			var s float64
			for b.Loop() {
				for _, v := range p {
					s += c.f(v)
				}
			}
			sink = s
		})
	}
}
