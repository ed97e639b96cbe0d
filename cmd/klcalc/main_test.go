//go:build !js

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRunUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"serve", "-nope"}, {"site", "extra-arg"}} {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), args, &stdout, &stderr); !errors.Is(err, errUsage) {
			t.Errorf("run(%q) = %v, want errUsage", args, err)
		}
		if stderr.Len() == 0 {
			t.Errorf("run(%q): nothing on stderr", args)
		}
	}
	for _, args := range [][]string{{"help"}, {"serve", "-h"}, {"site", "-h"}} {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), args, &stdout, &stderr); err != nil {
			t.Errorf("run(%q) = %v", args, err)
		}
	}
}

// TestRunServe starts the server on a free port, reads the URL it prints,
// fetches a page, and stops it by cancelling the context, as SIGINT does.
func TestRunServe(t *testing.T) {
	s := newFakeSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-dir", s.dir, "-base", "/kl/"}, pw, &stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the URL: %v (stderr %q)", err, stderr.String())
	}
	u, ok := strings.CutPrefix(strings.TrimSpace(line), "serving ")
	if !ok || !strings.HasPrefix(u, "http://127.0.0.1:") || !strings.HasSuffix(u, "/kl/") || strings.HasSuffix(u, ":0/kl/") {
		t.Fatalf("first line %q", line)
	}
	go io.Copy(io.Discard, pr)

	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.Equal(body, s.read(t, "index.html")) {
		t.Errorf("GET %s: %d", u, res.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v after cancel", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not stop")
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Errorf("stderr %q", stderr.String())
	}
}

func TestRunServeErrors(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"serve", "-dir", filepath.Join(t.TempDir(), "none")}, &out, &out); err == nil {
		t.Error("missing folder: no error")
	}
	s := newFakeSite(t)
	if err := run(context.Background(), []string{"serve", "-dir", s.dir, "-addr", "256.0.0.1:0"}, &out, &out); err == nil {
		t.Error("bad address: no error")
	}
}

func TestRunSite(t *testing.T) {
	wasm, web := fakeInputs(t, "wasm one ")
	out := filepath.Join(t.TempDir(), "site")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"export", "-wasm", wasm, "-web", web, "-out", out, "-base", "/repo/", "-brotli-quality", "5"}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("%v; stderr %s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "base /repo/") || !strings.Contains(stdout.String(), ".wasm: ") {
		t.Errorf("summary: %s", stdout.String())
	}
}
