//go:build !js

package main

// A bounded load test of "klcalc serve" from a second process (wrk) on
// loopback. It runs only with KLCALC_LOAD=1, needs wrk (Debian: apt-get
// install wrk) and a built site (KLCALC_E2E_SITE, or build/site):
//
//	make site && KLCALC_LOAD=1 go test -run '^TestLoad$' -v -timeout 10m ./cmd/klcalc
//
// For /, the hashed wasm (brotli) and a missing path, it runs wrk with 64
// connections for 20 s (KLCALC_LOAD_DURATION to change), checks that there
// were no socket errors and no error statuses except the expected 404s,
// and that the server's resident memory stays under twice its size at
// start, and prints the figures.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// wrkResult is what wrk printed for one run.
type wrkResult struct {
	requests           int
	seconds            float64
	rps                float64
	p50, p90, p99      time.Duration
	socketErrors       [4]int // connect, read, write, timeout
	non2xx3xx          int
	transferPerSecText string
}

var (
	wrkTotal    = regexp.MustCompile(`(\d+) requests in ([\d.]+)(m?s)`)
	wrkRPS      = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	wrkPct      = regexp.MustCompile(`(?m)^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$`)
	wrkSocket   = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx   = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkTransfer = regexp.MustCompile(`Transfer/sec:\s+(\S+)`)
)

func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	m := wrkTotal.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("no request count in wrk's output")
	}
	r.requests, _ = strconv.Atoi(m[1])
	r.seconds, _ = strconv.ParseFloat(m[2], 64)
	if m[3] == "ms" {
		r.seconds /= 1000
	}
	if m := wrkRPS.FindStringSubmatch(out); m != nil {
		r.rps, _ = strconv.ParseFloat(m[1], 64)
	}
	for _, m := range wrkPct.FindAllStringSubmatch(out, -1) {
		d, err := time.ParseDuration(m[2] + m[3])
		if err != nil {
			return r, err
		}
		switch m[1] {
		case "50":
			r.p50 = d
		case "90":
			r.p90 = d
		case "99":
			r.p99 = d
		}
	}
	if m := wrkSocket.FindStringSubmatch(out); m != nil {
		for i := range r.socketErrors {
			r.socketErrors[i], _ = strconv.Atoi(m[i+1])
		}
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		r.non2xx3xx, _ = strconv.Atoi(m[1])
	}
	if m := wrkTransfer.FindStringSubmatch(out); m != nil {
		r.transferPerSecText = m[1]
	}
	return r, nil
}

func TestParseWrk(t *testing.T) {
	out := `Running 20s test @ http://127.0.0.1:1/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.59ms    1.02ms  31.62ms   79.44%
    Req/Sec    20.97k     2.13k   27.10k    70.25%
  Latency Distribution
     50%    1.40ms
     75%    2.01ms
     90%  812.00us
     99%    1.02s
  835016 requests in 20.00s, 3.05GB read
  Socket errors: connect 0, read 3, write 0, timeout 7
  Non-2xx or 3xx responses: 835016
Requests/sec:  41745.57
Transfer/sec:    156.21MB
`
	r, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	want := wrkResult{requests: 835016, seconds: 20, rps: 41745.57, p50: 1400 * time.Microsecond, p90: 812 * time.Microsecond,
		p99: 1020 * time.Millisecond, socketErrors: [4]int{0, 3, 0, 7}, non2xx3xx: 835016, transferPerSecText: "156.21MB"}
	if r != want {
		t.Errorf("parseWrk = %+v, want %+v", r, want)
	}
}

// rssKB reads VmRSS of a process, in kB.
func rssKB(pid int) (int, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// rssSampler records a process's RSS every interval.
type rssSampler struct {
	mu      sync.Mutex
	samples []int
	stop    chan struct{}
	done    chan struct{}
}

func sampleRSS(pid int, every time.Duration) *rssSampler {
	s := &rssSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			if kb, err := rssKB(pid); err == nil {
				s.mu.Lock()
				s.samples = append(s.samples, kb)
				s.mu.Unlock()
			}
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

// take returns the samples so far and starts a new window.
func (s *rssSampler) take() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.samples
	s.samples = nil
	return out
}

func (s *rssSampler) close() { close(s.stop); <-s.done }

func maxOf(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

func TestLoad(t *testing.T) {
	if os.Getenv("KLCALC_LOAD") != "1" {
		t.Skip("KLCALC_LOAD=1 runs the load test (needs wrk and a built site)")
	}
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		t.Fatal("wrk not found: apt-get install wrk")
	}
	dir := os.Getenv("KLCALC_E2E_SITE")
	if dir == "" {
		dir = filepath.Join("..", "..", "build", "site")
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		t.Fatalf("no built site in %s (make site): %v", dir, err)
	}
	duration := 20 * time.Second
	if d := os.Getenv("KLCALC_LOAD_DURATION"); d != "" {
		if duration, err = time.ParseDuration(d); err != nil {
			t.Fatal(err)
		}
	}

	// The server: this package built as a binary, in its own process.
	bin := filepath.Join(t.TempDir(), "klcalc")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	srv := exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-dir", dir)
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	var exitErr error
	go func() { exitErr = srv.Wait(); close(exited) }()
	t.Cleanup(func() {
		srv.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			srv.Process.Kill()
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the server's URL: %v", err)
	}
	root := strings.TrimSpace(strings.TrimPrefix(line, "serving "))
	go io.Copy(io.Discard, stdout)

	appJS, err := os.ReadFile(filepath.Join(dir, "app.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`"/(web/app\.[0-9a-f]{12}\.wasm)"`).FindSubmatch(appJS)
	if m == nil {
		t.Fatal("no hashed wasm in app.js")
	}
	wasmURL := root + string(m[1])
	// The wasm must come as brotli with this header, so wrk measures the
	// representation browsers get.
	req, _ := http.NewRequest(http.MethodGet, wasmURL, nil)
	req.Header.Set("Accept-Encoding", "br")
	res, err := rawTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	brBytes, _ := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "br" {
		t.Fatalf("wasm: status %d, Content-Encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}

	pid := srv.Process.Pid
	time.Sleep(200 * time.Millisecond)
	start, err := rssKB(pid)
	if err != nil {
		t.Fatal(err)
	}
	rss := sampleRSS(pid, 250*time.Millisecond)
	defer rss.close()
	rss.take()

	type loadRow struct {
		name     string
		res      wrkResult
		rssMaxKB int
	}
	var rows []loadRow
	for _, tc := range []struct {
		name, url, accept string
		want404           bool
	}{
		{"/", root, "gzip, deflate, br, zstd", false},
		{"wasm (br)", wasmURL, "br", false},
		{"404", root + "no/such/page", "gzip, deflate, br, zstd", true},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), duration+time.Minute)
		cmd := exec.CommandContext(ctx, wrk, "-t2", "-c64", "-d"+strconv.Itoa(int(duration.Seconds()))+"s", "--latency",
			"-H", "Accept-Encoding: "+tc.accept, tc.url)
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("wrk %s: %v\n%s", tc.name, err, out)
		}
		r, err := parseWrk(string(out))
		if err != nil {
			t.Fatalf("wrk %s: %v\n%s", tc.name, err, out)
		}
		rows = append(rows, loadRow{tc.name, r, maxOf(rss.take())})
		if r.socketErrors != [4]int{} {
			t.Errorf("%s: socket errors (connect, read, write, timeout) %v", tc.name, r.socketErrors)
		}
		if tc.want404 && r.non2xx3xx != r.requests {
			t.Errorf("%s: %d error statuses for %d requests, want all 404", tc.name, r.non2xx3xx, r.requests)
		}
		if !tc.want404 && r.non2xx3xx != 0 {
			t.Errorf("%s: %d error statuses", tc.name, r.non2xx3xx)
		}
		if r.requests == 0 {
			t.Errorf("%s: no requests completed", tc.name)
		}
	}
	time.Sleep(2 * time.Second)
	after, err := rssKB(pid)
	if err != nil {
		t.Fatalf("the server is gone after the load: %v", err)
	}
	// Still serving after the load.
	res, err = http.Get(root)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("after the load: %v %v", res, err)
	}
	res.Body.Close()

	t.Logf("klcalc serve %s, wrk -t2 -c64 -d%v, %s; wasm %d bytes as br", dir, duration, root, brBytes)
	t.Logf("%-10s %10s %12s %10s %10s %10s %22s %8s %12s", "target", "requests", "req/s", "p50", "p90", "p99", "socket errors c/r/w/t", "non-2xx", "max RSS")
	for _, r := range rows {
		t.Logf("%-10s %10d %12.0f %10v %10v %10v %22s %8d %9.1f MB", r.name, r.res.requests, r.res.rps, r.res.p50, r.res.p90, r.res.p99,
			fmt.Sprintf("%d/%d/%d/%d", r.res.socketErrors[0], r.res.socketErrors[1], r.res.socketErrors[2], r.res.socketErrors[3]),
			r.res.non2xx3xx, float64(r.rssMaxKB)/1024)
	}
	peak := 0
	for _, r := range rows {
		peak = max(peak, r.rssMaxKB)
	}
	t.Logf("server RSS: %.1f MB at start, %.1f MB peak under load, %.1f MB 2 s after", float64(start)/1024, float64(peak)/1024, float64(after)/1024)
	if peak > 2*start || after > 2*start {
		t.Errorf("RSS grew from %d kB to %d kB (peak) and %d kB (after): more than twice", start, peak, after)
	}

	// SIGTERM stops it cleanly.
	srv.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
		if exitErr != nil {
			t.Errorf("server exit after SIGTERM: %v", exitErr)
		}
	case <-time.After(15 * time.Second):
		t.Error("server still running 15 s after SIGTERM")
	}
}
