//go:build !js

package e2e

// The site and the server the end-to-end tests run against: the folder
// that "klcalc site" built (KLCALC_E2E_SITE) and the klcalc binary
// (KLCALC_BIN), run as "klcalc serve" in a process of its own, as a user
// runs it. make test-e2e sets both after make site.

import (
	"bufio"
	"bytes"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// SiteDir returns the folder of the built site, $KLCALC_E2E_SITE, or skips
// the test when it is not set, so that a plain go test ./... stays fast and
// needs no browser.
func SiteDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("KLCALC_E2E_SITE")
	if dir == "" {
		t.Skip("KLCALC_E2E_SITE is not set (make test sets it after building the site)")
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		t.Fatalf("KLCALC_E2E_SITE=%s: %v", dir, err)
	}
	return dir
}

// Binary returns the klcalc binary, $KLCALC_BIN. It fails the test when
// that is not set: a test that needs it runs only when asked for (see
// [SiteDir]), and must then run the real server.
func Binary(t testing.TB) string {
	t.Helper()
	bin := os.Getenv("KLCALC_BIN")
	if bin == "" {
		t.Fatal("KLCALC_BIN is not set: name the klcalc binary that built the site (make test-e2e sets KLCALC_BIN=build/klcalc)")
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("KLCALC_BIN=%s: %v", bin, err)
	}
	return abs
}

// Server is a "klcalc serve" process on a free port of 127.0.0.1.
type Server struct {
	URL string // the origin, "http://127.0.0.1:port", as httptest.Server's URL

	cmd      *exec.Cmd
	stderr   syncBuffer
	done     chan struct{}
	stopOnce sync.Once
}

// Serve runs the real server, "$KLCALC_BIN serve -addr 127.0.0.1:0 -dir
// dir -base base", with [Start], and stops it in t.Cleanup.
func Serve(t testing.TB, dir, base string) *Server {
	t.Helper()
	s, err := Start(Binary(t), dir, base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Stop()
		if e := strings.TrimSpace(s.stderr.String()); t.Failed() && e != "" {
			t.Logf("klcalc serve -dir %s wrote on stderr:\n%s", dir, e)
		}
	})
	t.Logf("klcalc serve -dir %s -base %s: %s (pid %d)", dir, base, s.URL, s.cmd.Process.Pid)
	return s
}

// Start runs "bin serve -addr 127.0.0.1:0 -dir dir -base base" and waits
// for the URL it prints. The caller stops the server.
func Start(bin, dir, base string) (*Server, error) {
	s := &Server{done: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-dir", dir, "-base", base)
	s.cmd.Stderr = &s.stderr
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "serving "); ok {
				select {
				case lines <- strings.TrimSpace(u):
				default: // read the rest, so that the server never blocks on stdout
				}
			}
		}
	}()
	select {
	case line := <-lines:
		u, err := url.Parse(line)
		if err != nil || u.Host == "" {
			s.Stop()
			return nil, fmt.Errorf("%s serve printed %q, not a URL", bin, line)
		}
		s.URL = u.Scheme + "://" + u.Host
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("%s serve -dir %s -base %s exited (%v): %s", bin, dir, base, s.cmd.ProcessState, strings.TrimSpace(s.stderr.String()))
	case <-time.After(30 * time.Second):
		s.Stop()
		return nil, fmt.Errorf("%s serve -dir %s printed no URL in 30 s", bin, dir)
	}
}

// Stop ends the server as Ctrl-C or a service manager does (SIGTERM: it
// shuts down gracefully), kills it after 15 s, and waits until it has
// exited. It can be called more than once.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			s.cmd.Process.Kill()
		}
		select {
		case <-s.done:
		case <-time.After(15 * time.Second):
			s.cmd.Process.Kill()
			<-s.done
		}
	})
}

// syncBuffer is a bytes.Buffer that the process and the test may use at
// once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// BuildSite builds another site with "$KLCALC_BIN site" from the same
// wasm, wasm_exec.js and web assets as the built site dir, for another
// base and service-worker version ("" for the content hash), with brotli
// at quality (tests about paths need no small files), into a temporary
// folder that it returns.
func BuildSite(t testing.TB, dir, base, version string, quality int) string {
	t.Helper()
	wasm, err := filepath.Glob(filepath.Join(dir, "web", "app.*.wasm"))
	if err != nil || len(wasm) != 1 {
		t.Fatalf("hashed wasm in %s/web: %v %v", dir, wasm, err)
	}
	out := filepath.Join(t.TempDir(), "site")
	args := []string{"site", "-wasm", wasm[0], "-web", filepath.Join(dir, "web"), "-out", out, "-base", base,
		"-wasm-exec", filepath.Join(dir, "wasm_exec.js"), "-brotli-quality", strconv.Itoa(quality)}
	if version != "" {
		args = append(args, "-version", version)
	}
	bin := Binary(t)
	if msg, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, msg)
	}
	return out
}
