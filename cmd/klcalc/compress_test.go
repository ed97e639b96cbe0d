//go:build !js

package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/andybalholm/brotli"
)

// TestCompressWithBrotliCmd checks that the C brotli tool's output is what
// the site serves: standard brotli that decodes to the file, and no larger
// than the Go encoder's at the same quality.
func TestCompressWithBrotliCmd(t *testing.T) {
	cmd, err := exec.LookPath("brotli")
	if err != nil {
		t.Skip("no brotli tool in PATH (apt-get install brotli)")
	}
	dir := t.TempDir()
	data := bytes.Repeat([]byte("kl_div(input, target, reduction='batchmean') "), 4000)
	name := filepath.Join(dir, "app.wasm")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, q := range []int{1, 11} {
		ok, err := compressFileWith(context.Background(), name, "br", siblingCodecs{Quality: q, Cmd: cmd})
		if err != nil || !ok {
			t.Fatalf("q%d: kept %v, err %v", q, ok, err)
		}
		c, err := os.ReadFile(name + ".br")
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(c)))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("q%d: the C tool's .br does not decode to the file (err %v)", q, err)
		}
		if ok, err := compressFile(name, "br", q); err != nil || !ok {
			t.Fatal(err)
		}
		g, _ := os.ReadFile(name + ".br")
		t.Logf("q%d: C brotli %d bytes, Go %d bytes", q, len(c), len(g))
	}
}

// TestCompressBrotliCmdFails names the tool when it cannot run.
func TestCompressBrotliCmdFails(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a.js")
	if err := os.WriteFile(name, bytes.Repeat([]byte("x"), 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := compressFileWith(context.Background(), name, "br", siblingCodecs{Quality: 11, Cmd: filepath.Join(dir, "no-such-brotli")})
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("no-such-brotli")) {
		t.Fatalf("err = %v, want one naming the tool", err)
	}
	if _, err := os.Stat(name + ".br"); !os.IsNotExist(err) {
		t.Fatalf("a failed compression left %s.br behind", name)
	}
}
