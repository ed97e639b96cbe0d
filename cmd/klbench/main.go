//go:build !js

// Command klbench measures the performance budgets of issue 5 and writes
// cmd/klbench/RESULTS.md. "make bench" runs it on the freshly built site:
//
//	go run ./cmd/klbench -klcalc build/klcalc -site build/site -web web \
//	    -wasm-exec "$(go env GOROOT)/lib/wasm/wasm_exec.js" [-quick] [-only 1,2,3,4,5,6,7]
//
// It needs Go, Node.js and Chromium ($CHROME, or chromium in $PATH). The
// machine it runs on is assumed shared and noisy, so every figure is either
// a ratio to a baseline measured in the same run, interleaved with it, or a
// median (or percentile) of repetitions:
//
//  1. Transfer size of a first visit: the body bytes of every response the
//     browser received (the page and its service worker's precache), as sent
//     (brotli where the site has a .br), counted by a reverse proxy in front
//     of "klcalc serve"; CDP's encodedDataLength of the page's own requests
//     is shown next to it. The baseline is go-app's hello world
//     (cmd/klbench/hello), built with the same flags and toolchain and made
//     into a site by the same "klcalc site" pipeline.
//  2. Cold load: a fresh Chromium profile per load (no cache, no service
//     worker), navigation start to #result having a data-value, read in the
//     page with performance.now() by a MutationObserver; interleaved with
//     the hello world's time to its h1.
//  3. Edit to result: in the page, set a cell and dispatch "input", then a
//     MutationObserver sees #result's data-value change; p50 and p95 over
//     the edits; 3, 1 000, 10 000 and 100 000 values as one row and as 100
//     rows, loaded from the readable share link of the app's own format.
//     The longest main-thread task during load and edits
//     (PerformanceObserver "longtask") and the longest gap between
//     animation frames are recorded too.
//  4. Compute throughput: compute.KLDiv on 10⁶ float64 in Go wasm
//     (cmd/klbench/wasmbench), run by Node.js, alternately with a plain
//     JavaScript implementation of the same formula and summation
//     (cmd/klbench/js/kldiv.cjs) in the same process.
//  5. Large shares: navigation to #result for 100 000-value links, readable
//     and as app.State.Encode writes them, the decode time of
//     app.DecodeState natively and in wasm, and the round trip of the state
//     through the URL the app writes.
//  6. Lighthouse (npm, cmd/klbench/npm) on the default page with the
//     desktop preset: accessibility, best practices and SEO, total
//     blocking time, and whether the largest contentful paint is #result.
//
// Chromium and "klcalc serve" are started by cmd/internal/e2e, as for the
// end-to-end tests (e2e.AllocatorOptions, e2e.Start), the links are the
// app's own (app.State.Encode), and the wasm programs (wasmbench, hello)
// are built with the Makefile's flags for web/app.wasm.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/klcalc/klcalc/cmd/internal/e2e"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stderr)
	stop()
	switch {
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "klbench:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage error")

// config is the command line.
type config struct {
	Klcalc, Site, Web, WasmExec string
	Go, Node, Chrome, Out       string
	Lighthouse                  string // the lighthouse command
	Quick, Strict, Verbose      bool
	Only                        map[string]bool // rows to run; empty means all
	Sizes                       map[int]bool    // row 3's sizes to run; empty means all
	Seed                        uint64
}

// counts are the repetitions of a run.
type counts struct {
	Transfer    int // first visits per site
	ColdPairs   int // cold loads per site
	Edits       int // timed edits per size
	EditWarmup  int // edits before the timed ones
	NodeReps    int // timed runs of each compute case, per implementation
	NodeWarmup  int
	DecodeReps  int
	LargeLoads  int // browser loads of each 100 000-value link
	EditCostRep int
	ComputeN    int // elements of the kernels of row 4
	Lighthouse  int // Lighthouse runs
	Drops       int // browsers each dropping the tensor file of row 7
}

func countsFor(quick bool) counts {
	if quick {
		return counts{Transfer: 1, ColdPairs: 3, Edits: 8, EditWarmup: 1, NodeReps: 3, NodeWarmup: 1, DecodeReps: 3, LargeLoads: 1, EditCostRep: 2, ComputeN: 1_000_000, Lighthouse: 1, Drops: 1}
	}
	return counts{Transfer: 3, ColdPairs: 7, Edits: 30, EditWarmup: 2, NodeReps: 11, NodeWarmup: 3, DecodeReps: 9, LargeLoads: 3, EditCostRep: 5, ComputeN: 1_000_000, Lighthouse: 3, Drops: 3}
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("klbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	var only string
	fs.StringVar(&c.Klcalc, "klcalc", "build/klcalc", "the klcalc `binary` (make build/klcalc)")
	fs.StringVar(&c.Site, "site", "build/site", "the calculator's built site `folder` (make site)")
	fs.StringVar(&c.Web, "web", "web", "web assets `folder`, for the hello-world site")
	fs.StringVar(&c.WasmExec, "wasm-exec", "", "`wasm_exec.js` of the toolchain (default $(go env GOROOT)/lib/wasm/wasm_exec.js)")
	fs.StringVar(&c.Go, "go", "go", "the go `command`")
	fs.StringVar(&c.Node, "node", "node", "the Node.js `command`")
	fs.StringVar(&c.Chrome, "chrome", "", "Chromium `binary` (default $CHROME, else chromium in $PATH)")
	fs.StringVar(&c.Lighthouse, "lighthouse", "cmd/klbench/npm/node_modules/.bin/lighthouse", "the lighthouse `command` (npm ci --prefix cmd/klbench/npm)")
	fs.StringVar(&c.Out, "out", "cmd/klbench/RESULTS.md", "results `file` to write")
	fs.BoolVar(&c.Quick, "quick", false, "few repetitions: a quick check of the harness, not a measurement")
	fs.BoolVar(&c.Strict, "strict", false, "exit with status 1 when a budget is missed")
	fs.BoolVar(&c.Verbose, "v", false, "log every sample")
	fs.StringVar(&only, "only", "", "comma-separated `rows` of the issue to run, e.g. 1,2 (default all: 1,2,3,4,5,6)")
	var sizes string
	fs.StringVar(&sizes, "sizes", "", "comma-separated `values` per side of row 3 to run, e.g. 100000 (default all: 3,1000,10000,100000); for work on one size, since the results file then lacks the others")
	fs.Uint64Var(&c.Seed, "seed", 5, "`seed` of the generated inputs")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, flag.ErrHelp
		}
		return c, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "klbench: unexpected arguments %q\n", fs.Args())
		return c, errUsage
	}
	c.Only = map[string]bool{}
	for _, r := range strings.Split(only, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		if len(r) != 1 || !strings.Contains("1234567", r) {
			fmt.Fprintf(stderr, "klbench: -only: unknown row %q (rows are 1 to 7)\n", r)
			return c, errUsage
		}
		c.Only[r] = true
	}
	c.Sizes = map[int]bool{}
	for _, f := range strings.Split(sizes, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || !slices.Contains(editSizes, n) {
			fmt.Fprintf(stderr, "klbench: -sizes: unknown size %q (sizes are %v)\n", f, editSizes)
			return c, errUsage
		}
		c.Sizes[n] = true
	}
	return c, nil
}

// bench is one run.
type bench struct {
	cfg  config
	n    counts
	ctx  context.Context
	work string // temporary folder
	log  io.Writer
	rep  *report

	app, hello *e2e.Server
	appCold    float64 // median cold load of the calculator (row 2), for row 5

	editFloor float64 // p50 of an edit at 3 values (row 3), for the larger sizes

	inputs   map[layout]benchInput
	forms    []largeForm
	node     *nodeResult
	nodeErr  string
	editCost map[string]editCostRun // medians by layout.String()
}

// runs reports whether any of the rows of the issue is to be run.
func (b *bench) runs(ids ...string) bool {
	if len(b.cfg.Only) == 0 {
		return true
	}
	for _, id := range ids {
		if b.cfg.Only[id] {
			return true
		}
	}
	return false
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "klbench: "+format+"\n", args...)
}

func (b *bench) vlogf(format string, args ...any) {
	if b.cfg.Verbose {
		b.logf(format, args...)
	}
}

// problem records a harness error in the report and the log.
func (b *bench) problem(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	b.rep.Problems = append(b.rep.Problems, msg)
	b.logf("problem: %s", msg)
}

// rowTitles are the titles of the rows of issue 5.
var rowTitles = map[string]string{
	"1": "Transfer size of a first visit (br)",
	"2": "Cold load: navigation → #result",
	"3": "Edit → result in the DOM",
	"4": "Compute throughput, 10⁶ float64 in wasm (Node.js)",
	"5": "Large shares (100 000 values)",
	"6": "Lighthouse (desktop)",
	"7": "Tensor file dropped (2 × 8 × 128 000 float32 .safetensors)",
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	cfg, err := parseConfig(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	start := time.Now()
	b := &bench{cfg: cfg, n: countsFor(cfg.Quick), ctx: ctx, log: stderr, appCold: math.NaN(), editFloor: math.NaN()}
	b.rep = &report{Date: start, Quick: cfg.Quick, Command: commandLine(args)}
	load0 := loadAvg()
	defer func() {
		for _, s := range []*e2e.Server{b.app, b.hello} {
			if s != nil {
				s.Stop()
			}
		}
		if b.work != "" {
			os.RemoveAll(b.work)
		}
	}()
	if err := b.setup(); err != nil {
		return err
	}
	if b.runs("3", "4", "5") {
		b.runNode()
		if b.nodeErr != "" {
			b.problem("Node.js harness: %s", b.nodeErr)
		}
	}
	// In the order of the report: row 4 only reports the Node.js run, which
	// rows 3 and 5 also use, and which came first.
	for i, measure := range []func(){b.rowTransfer, b.rowColdLoad, b.rowEdits, b.rowCompute, b.rowLargeShares, b.rowLighthouse, b.rowTensorDrop} {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		id := fmt.Sprint(i + 1)
		if !b.runs(id) {
			b.rep.Rows = append(b.rep.Rows, summaryRow{ID: id, What: rowTitles[id], Verdict: verdictSkipped, Figure: "—", Baseline: "—", Ratio: "—", Budget: "—"})
			continue
		}
		measure()
	}
	if load1 := loadAvg(); load0 != "" {
		b.rep.Machine.Load = "at the start " + load0 + ", at the end " + load1
	}
	b.rep.Elapsed = time.Since(start)
	if err := os.WriteFile(cfg.Out, []byte(b.rep.markdown()), 0o644); err != nil {
		return err
	}
	b.logf("wrote %s in %v", cfg.Out, b.rep.Elapsed.Round(time.Second))
	failed := 0
	for _, r := range b.rep.Rows {
		fmt.Fprintf(stderr, "  #%-3s %-58s %-22s %-8s %s\n", r.ID, short(r.What, 58), short(r.Figure, 22), r.Ratio, strings.Trim(r.Verdict.String(), "*"))
		if r.Verdict == verdictFail {
			failed++
		}
	}
	if cfg.Strict && failed > 0 {
		return fmt.Errorf("%d budget(s) missed (see %s)", failed, cfg.Out)
	}
	return nil
}

func commandLine(args []string) string {
	parts := []string{"go run ./cmd/klbench"}
	for _, a := range args {
		if strings.ContainsAny(a, " \t'\"$") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// setup checks the inputs, describes the machine, builds the hello-world
// site and starts the servers.
func (b *bench) setup() error {
	c := &b.cfg
	if _, err := os.Stat(filepath.Join(c.Site, ".klcalc-site")); err != nil {
		return fmt.Errorf("%s is not a site built by klcalc site (run make site): %w", c.Site, err)
	}
	if _, err := os.Stat(c.Klcalc); err != nil {
		return fmt.Errorf("klcalc binary: %w (run make build/klcalc)", err)
	}
	if c.WasmExec == "" {
		root, err := output(b.ctx, c.Go, "env", "GOROOT")
		if err != nil {
			return err
		}
		c.WasmExec = filepath.Join(root, "lib", "wasm", "wasm_exec.js")
	}
	browser := b.runs("1", "2", "3", "5", "6", "7")
	if c.Chrome == "" && browser {
		ch, err := e2e.ChromePath()
		if err != nil {
			return err
		}
		c.Chrome = ch
	}
	work, err := os.MkdirTemp("", "klbench-*")
	if err != nil {
		return err
	}
	b.work = work

	m := &b.rep.Machine
	m.CPU, m.Cores, m.OS = cpuModel(), runtime.NumCPU(), osName()
	if v, err := output(b.ctx, c.Go, "version"); err == nil {
		m.Go = strings.TrimPrefix(v, "go version ")
	}
	if v, err := output(b.ctx, c.Node, "--version"); err == nil {
		m.Node = v
	} else if b.runs("4", "5") {
		return fmt.Errorf("node not found (%v): rows 4 and 5 need Node.js (sudo apt-get install nodejs)", err)
	}
	b.logf("machine: %s, %d cores; %s; node %s", m.CPU, m.Cores, m.Go, m.Node)

	if !browser {
		return nil
	}
	if b.app, err = e2e.Start(c.Klcalc, c.Site, "/"); err != nil {
		return err
	}
	b.logf("calculator: %s (%s)", b.app.URL, c.Site)
	br, err := newChrome(b.ctx, c.Chrome)
	if err != nil {
		return err
	}
	if v, err := br.version(); err == nil {
		m.Chromium = v
		if full, err := output(b.ctx, c.Chrome, "--version"); err == nil {
			m.Chromium = full + " (" + v + ")"
		}
	}
	br.close()
	if b.runs("1", "2") {
		site, err := b.buildHello()
		if err != nil {
			return fmt.Errorf("building the hello-world baseline: %w", err)
		}
		if b.hello, err = e2e.Start(c.Klcalc, site, "/"); err != nil {
			return err
		}
		b.logf("hello world: %s (%s)", b.hello.URL, site)
	}
	return nil
}

// wasmBuild builds a GOOS=js GOARCH=wasm binary with the flags of the
// Makefile's web/app.wasm.
func (b *bench) wasmBuild(out, pkg string, tags ...string) error {
	args := []string{"build", "-trimpath", "-ldflags=-s -w"}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	args = append(args, "-o", out, pkg)
	cmd := exec.CommandContext(b.ctx, b.cfg.Go, args...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=js", "GOARCH=wasm")
	if o, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", b.cfg.Go, strings.Join(args, " "), err, o)
	}
	return nil
}

// buildHello builds go-app's hello world with the calculator's flags and
// makes it a site with "klcalc site", as the Makefile does for the
// calculator.
func (b *bench) buildHello() (string, error) {
	wasm := filepath.Join(b.work, "hello.wasm")
	b.logf("building the hello-world baseline (cmd/klbench/hello)")
	if err := b.wasmBuild(wasm, "github.com/klcalc/klcalc/cmd/klbench/hello", "klbenchhello"); err != nil {
		return "", err
	}
	site := b.helloSite()
	cmd := exec.CommandContext(b.ctx, b.cfg.Klcalc, "site", "-wasm", wasm, "-web", b.cfg.Web, "-out", site, "-base", "/", "-wasm-exec", b.cfg.WasmExec)
	if o, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("klcalc site: %v\n%s", err, o)
	}
	return site, nil
}

func (b *bench) helloSite() string { return filepath.Join(b.work, "hello-site") }

// output runs a command and returns its trimmed standard output.
func output(ctx context.Context, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %v %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// cpuModel is the "model name" of /proc/cpuinfo.
func cpuModel() string {
	data, _ := os.ReadFile("/proc/cpuinfo")
	for _, l := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return runtime.GOARCH
}

// loadAvg is the first three fields of /proc/loadavg: how busy the machine
// is (1, 5 and 15 minutes).
func loadAvg() string {
	data, _ := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); len(f) >= 3 {
		return strings.Join(f[:3], ", ")
	}
	return ""
}

// osName is the kernel, e.g. "Linux 6.8.0".
func osName() string {
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		return "Linux " + strings.TrimSpace(string(data))
	}
	return runtime.GOOS
}
