// The plain-JavaScript baseline of cmd/klbench (row 4 of issue 5): PyTorch's
// kl_div with reduction='sum' in float64, the same formula and the same
// compensated (Neumaier) summation as the Go package compute
// (compute.Pointwise, compute.Xlogy, compute's accumulator), written the
// way a JavaScript programmer would: one fused loop over typed arrays.
"use strict";

// xlogy is torch.xlogy: NaN if y is NaN, 0 if x is 0, else x·log(y).
function xlogy(x, y) {
  if (y !== y) return NaN;
  if (x === 0) return 0;
  return x * Math.log(y);
}

// klDivSum returns Σ xlogy(p, p) − p·logq, summed with Neumaier's
// compensation; ±Inf and NaN terms are summed apart, as in Go.
function klDivSum(logq, p) {
  const n = p.length;
  let sum = 0, c = 0, special = 0, nonFinite = false;
  for (let i = 0; i < n; i++) {
    const t = p[i];
    const v = xlogy(t, t) - t * logq[i];
    if (!Number.isFinite(v)) {
      special += v;
      nonFinite = true;
      continue;
    }
    const s = sum + v;
    if (Math.abs(sum) >= Math.abs(v)) c += (sum - s) + v;
    else c += (v - s) + sum;
    sum = s;
  }
  return nonFinite ? special + sum : sum + c;
}

// klDivFromProbs is the path of probabilities: input = log q, then klDivSum.
function klDivFromProbs(q, p) {
  const logq = new Float64Array(q.length);
  for (let i = 0; i < q.length; i++) logq[i] = Math.log(q[i]);
  return klDivSum(logq, p);
}

// logSum is Σ log x: a loop of logarithms only, a diagnostic of what
// Math.log costs against Go's math.Log in wasm.
function logSum(x) {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.log(x[i]);
  return s;
}

module.exports = { xlogy, klDivSum, klDivFromProbs, logSum };
