// Node.js harness of cmd/klbench (row 4 of issue 5, and the wasm part of
// row 5): runs the Go wasm (cmd/klbench/wasmbench) and the plain JavaScript
// baseline (kldiv.cjs) in this one process, alternately, and prints the
// timings as JSON.
//
// usage: node nodebench.cjs wasm_exec.js wasmbench.wasm config.json
"use strict";

const [wasmExecPath, wasmPath, configPath] = process.argv.slice(2);
if (!configPath) {
  console.error("usage: node nodebench.cjs wasm_exec.js wasmbench.wasm config.json");
  process.exit(2);
}

// What Go's wasm_exec_node.js sets up.
globalThis.require = require;
globalThis.fs = require("fs");
globalThis.path = require("path");
globalThis.TextEncoder = require("util").TextEncoder;
globalThis.TextDecoder = require("util").TextDecoder;
globalThis.performance ??= require("perf_hooks").performance;
globalThis.crypto ??= require("crypto");
require(path.resolve(wasmExecPath));

const { klDivSum, klDivFromProbs, logSum } = require("./kldiv.cjs");

// mulberry32: a small seeded generator, so that every run uses the same data.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// randomDist returns n positive probabilities that sum to 1.
function randomDist(n, seed) {
  const r = rng(seed), d = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) { d[i] = 0.5 + r(); s += d[i]; }
  for (let i = 0; i < n; i++) d[i] /= s;
  return d;
}

async function main() {
  const cfg = JSON.parse(fs.readFileSync(configPath, "utf8"));
  const go = new Go();
  go.argv = ["wasmbench"];
  go.env = { TMPDIR: require("os").tmpdir() };
  go.exit = (code) => { if (code !== 0) { console.error("wasmbench exited with " + code); process.exit(1); } };
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), go.importObject);
  go.run(instance); // main runs until it waits; klbench is then set
  for (let i = 0; i < 100 && !globalThis.klbench; i++) await new Promise((r) => setTimeout(r, 10));
  const kb = globalThis.klbench;
  if (!kb) throw new Error("wasmbench did not set globalThis.klbench");

  const out = { n: cfg.n, reps: cfg.reps, warmup: cfg.warmup, cases: {}, decode: {}, editCost: {} };
  const p = randomDist(cfg.n, 1), q = randomDist(cfg.n, 2);
  const logq = new Float64Array(cfg.n);
  for (let i = 0; i < cfg.n; i++) logq[i] = Math.log(q[i]);
  kb.load(p, q, logq);

  const cases = {
    klDiv: { wasm: () => kb.klDiv(), js: () => klDivSum(logq, p) },
    probLog: { wasm: () => kb.probLog(), js: () => klDivFromProbs(q, p) },
    fused: { wasm: () => kb.fused(), js: () => klDivSum(logq, p) },
    logSum: { wasm: () => kb.logSum(), js: () => logSum(q) },
  };
  for (const [name, c] of Object.entries(cases)) {
    for (let i = 0; i < cfg.warmup; i++) { c.wasm(); c.js(); }
    const res = { wasm: [], js: [], wasmValue: 0, jsValue: 0 };
    for (let r = 0; r < cfg.reps; r++) {
      const order = r % 2 === 0 ? ["wasm", "js"] : ["js", "wasm"];
      for (const k of order) {
        const t0 = performance.now();
        const v = c[k]();
        const dt = performance.now() - t0;
        if (typeof v !== "number") throw new Error(name + "/" + k + ": " + v);
        res[k].push(dt);
        res[k + "Value"] = v;
      }
    }
    out.cases[name] = res;
  }

  for (const f of cfg.decode || []) {
    const res = { ms: [], cells: 0, err: "" };
    for (let r = 0; r < cfg.decodeReps; r++) {
      const d = kb.decode(f.fragment);
      res.ms.push(d.ms);
      res.cells = d.cells;
      res.err = d.err;
    }
    out.decode[f.name] = res;
  }
  for (const f of cfg.editCost || []) {
    const runs = [];
    for (let r = 0; r < cfg.editCostReps; r++) runs.push(kb.editCost(f.fragment));
    out.editCost[f.name] = runs;
  }
  process.stdout.write(JSON.stringify(out) + "\n");
  process.exit(0);
}

main().catch((e) => { console.error(e && e.stack || String(e)); process.exit(1); });
