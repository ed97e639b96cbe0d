//go:build js && wasm

// Command wasmbench exposes the calculator's compute kernels and share-link
// decoder to JavaScript, for cmd/klbench's Node.js harness
// (cmd/klbench/js/nodebench.cjs), which times them against a plain
// JavaScript implementation in the same process.
//
// It sets globalThis.klbench to an object with:
//
//	load(p, q, logq)  copy three Float64Arrays into Go (not timed)
//	klDiv()           compute.KLDiv(input = log q, target = p, 'sum', float64)
//	probLog()         log q from q (through compute.Xlogy(1, q): glibc's log
//	                  as PyTorch's xlogy calls it, bit for bit), then the same
//	                  KLDiv: close to what Calculate does for probabilities
//	                  (which takes log q from torch.log, SLEEF's log), without
//	                  the explanations
//	fused()           the same sum as one plain Go loop (no intermediate
//	                  slice): tells the code generation from KLDiv's structure
//	logSum()          Σ log q, a loop of logarithms only: the cost of PyTorch's
//	                  log as compute reproduces it (compute.Xlogy(1, q): glibc's
//	                  log, whose fused multiply-adds WebAssembly emulates)
//	decode(fragment)  app.DecodeState, timed inside Go: {ms, cells, err}
//	editCost(fragment) the non-UI work of one edit in the calculator, timed
//	                  inside Go: parse the cells, Calculate and
//	                  CompareFrameworks (what the app recomputes; eager
//	                  tells whether it compares on an edit at this size),
//	                  and State.Encode (the URL it writes): {parse,
//	                  calculate, frameworks, eager, encode, err} in ms
//
// and then waits for calls.
package main

import (
	"encoding/binary"
	"math"
	"syscall/js"
	"time"

	"github.com/klcalc/klcalc/app"
	"github.com/klcalc/klcalc/compute"
)

func main() {
	var p, q, logq []float64
	api := js.Global().Get("Object").New()
	api.Set("load", js.FuncOf(func(this js.Value, args []js.Value) any {
		p, q, logq = floats(args[0]), floats(args[1]), floats(args[2])
		return len(p)
	}))
	api.Set("klDiv", js.FuncOf(func(this js.Value, args []js.Value) any {
		return klDivSum(logq, p)
	}))
	api.Set("probLog", js.FuncOf(func(this js.Value, args []js.Value) any {
		in := make([]float64, len(q))
		for i, v := range q {
			in[i] = compute.Xlogy(1, v) // glibc's log(v), bit for bit
		}
		return klDivSum(in, p)
	}))
	api.Set("fused", js.FuncOf(func(this js.Value, args []js.Value) any {
		return fusedKL(logq, p)
	}))
	api.Set("logSum", js.FuncOf(func(this js.Value, args []js.Value) any {
		var s float64
		for _, v := range q {
			s += compute.Xlogy(1, v)
		}
		return s
	}))
	api.Set("editCost", js.FuncOf(func(this js.Value, args []js.Value) any {
		return editCost(args[0].String())
	}))
	api.Set("decode", js.FuncOf(func(this js.Value, args []js.Value) any {
		frag := args[0].String()
		t0 := time.Now()
		st, err := app.DecodeState(frag)
		ms := float64(time.Since(t0).Nanoseconds()) / 1e6
		cells := 0
		for _, r := range append(st.P, st.Q...) {
			cells += len(r)
		}
		for _, r := range append(st.PVals, st.QVals...) { // a binary link's values stay numbers
			cells += len(r)
		}
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		return map[string]any{"ms": ms, "cells": cells, "err": msg}
	}))
	js.Global().Set("klbench", api)
	select {}
}

// floats copies a Float64Array into Go.
func floats(v js.Value) []float64 {
	n := v.Get("length").Int()
	b := make([]byte, 8*n)
	js.CopyBytesToGo(b, js.Global().Get("Uint8Array").New(v.Get("buffer"), v.Get("byteOffset"), 8*n))
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out
}

// klDivSum is compute.KLDiv(input, target, 'sum', float64), or its error.
func klDivSum(input, target []float64) any {
	out, err := compute.KLDiv(compute.Vector(input), compute.Vector(target), compute.ReductionSum, false, compute.DTypeFloat64)
	if err != nil {
		return err.Error()
	}
	return out.Data[0]
}

// fusedKL is Σ xlogy(p, p) − p·logq with Neumaier's summation in one loop,
// written as kldiv.cjs writes it in JavaScript, with compute's Xlogy.
func fusedKL(logq, p []float64) float64 {
	var sum, c, special float64
	nonFinite := false
	for i, t := range p {
		v := compute.Xlogy(t, t) - t*logq[i]
		if math.IsInf(v, 0) || v != v {
			special += v
			nonFinite = true
			continue
		}
		s := sum + v
		if math.Abs(sum) >= math.Abs(v) {
			c += (sum - s) + v
		} else {
			c += (v - s) + sum
		}
		sum = s
	}
	if nonFinite {
		return special + sum
	}
	return sum + c
}

// editCost times what the calculator computes on an edit, apart from
// rendering: app's recompute (parse every cell, compute.Calculate, and
// compute.CompareFrameworks, on an edit only up to app.CompareEagerly values)
// and writeURL (State.Encode), for the state of fragment.
func editCost(fragment string) any {
	fail := func(err error) any { return map[string]any{"err": err.Error()} }
	st, err := app.DecodeState(fragment)
	if err != nil {
		return fail(err)
	}
	t0 := time.Now()
	p, q, opt, err := st.Inputs()
	if err != nil {
		return fail(err)
	}
	t1 := time.Now()
	r, err := compute.Calculate(p, q, opt)
	if err != nil {
		return fail(err)
	}
	t2 := time.Now()
	compute.CompareFrameworks(p.Probabilities(), q.Probabilities(), r)
	t3 := time.Now()
	st.Encode()
	t4 := time.Now()
	ms := func(a, b time.Time) float64 { return float64(b.Sub(a).Nanoseconds()) / 1e6 }
	return map[string]any{
		"parse": ms(t0, t1), "calculate": ms(t1, t2), "frameworks": ms(t2, t3), "encode": ms(t3, t4),
		"eager": len(p.Data.Data)+len(q.Data.Data) <= app.CompareEagerly, "err": "",
	}
}
