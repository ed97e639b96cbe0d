//go:build !js

package main

// Tests of the real built site, without a browser: how the server sends
// its wasm, and the files the site builder wrote. They run only when
// KLCALC_E2E_SITE names a site folder built with -base / (make test sets it
// after make site), so that a plain go test ./... stays fast. The browser
// tests of the UI are in cmd/internal/e2e/uitest.

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/klcalc/klcalc/cmd/internal/e2e"
)

// rawTransport neither asks for gzip nor decodes it, so tests see the bytes
// and headers as sent.
var rawTransport = &http.Transport{DisableCompression: true}

func TestE2EWasmEncoding(t *testing.T) {
	dir := e2e.SiteDir(t)
	h, err := newSiteHandler(dir, "/")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	appJS, err := os.ReadFile(filepath.Join(dir, "app.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`"(/web/app\.[0-9a-f]{12}\.wasm)"`).FindSubmatch(appJS)
	if m == nil {
		t.Fatal("app.js does not load a hashed wasm")
	}
	wasmURL := srv.URL + string(m[1])
	raw, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(string(m[1]))))
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ accept, encoding string }{
		{"gzip, deflate, br, zstd", "br"},
		{"gzip", "gzip"},
		{"", ""},
	} {
		req, _ := http.NewRequest(http.MethodGet, wasmURL, nil)
		req.Header.Set("Accept-Encoding", tc.accept)
		res, err := rawTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Header.Get("Content-Encoding"); got != tc.encoding {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, got, tc.encoding)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/wasm" {
			t.Errorf("Content-Type %q", ct)
		}
		if n := res.Header.Get(wasmLengthHeader); n != strconv.Itoa(len(raw)) {
			t.Errorf("%s = %q, want %d", wasmLengthHeader, n, len(raw))
		}
		if cl := res.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) {
			t.Errorf("Content-Length %q for %d bytes", cl, len(body))
		}
		if cc := res.Header.Get("Cache-Control"); cc != cacheImmutable {
			t.Errorf("Cache-Control %q", cc)
		}
		if tc.encoding == "br" {
			dec, err := io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
			if err != nil || !bytes.Equal(dec, raw) {
				t.Errorf("br body does not decode to the wasm (err %v)", err)
			}
			t.Logf("wasm %d bytes, br %d bytes", len(raw), len(body))
		}
	}
}

// TestExportedSite checks the built site's files (the exporter's rules, on
// the real build).
func TestExportedSite(t *testing.T) {
	dir := e2e.SiteDir(t)
	files, err := listFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	external := regexp.MustCompile(`(?i)https?://[^\s"'<>)]*|raw\.githubusercontent`)
	for _, rel := range files {
		if !isText(rel) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range external.FindAll(data, -1) {
			switch {
			case strings.HasSuffix(rel, ".svg") && string(u) == "http://www.w3.org/2000/svg": // XML namespace name
			case rel == "wasm_exec.js" && string(u) == "https://github.com/golang/go/issues/28975": // comment in Go's file
			default:
				t.Errorf("%s: external URL %s", rel, u)
			}
		}
		if bytes.Contains(data, []byte("127.0.0.1")) {
			t.Errorf("%s mentions 127.0.0.1 (the export's test server)", rel)
		}
	}

	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(index, []byte("og:url")) {
		t.Error("index.html still has og:url")
	}
	if bytes.Contains(index, []byte("user-scalable")) || bytes.Contains(index, []byte("maximum-scale")) {
		t.Error("index.html viewport blocks zoom")
	}
	if !bytes.Contains(index, []byte(`<meta content="width=device-width, initial-scale=1" name="viewport">`)) {
		t.Error("index.html has no zoomable viewport")
	}

	worker, err := os.ReadFile(filepath.Join(dir, "app-worker.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`const resourcesToCache = (\[.*\]);`).FindSubmatch(worker)
	if m == nil {
		t.Fatal("no resourcesToCache in app-worker.js")
	}
	var list []string
	if err := json.Unmarshal(m[1], &list); err != nil {
		t.Fatal(err)
	}
	if len(list) < 8 {
		t.Errorf("precache list looks too short: %q", list)
	}
	for _, u := range list {
		rel := strings.TrimPrefix(u, "/")
		if rel == "" {
			rel = "index.html"
		}
		if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
			t.Errorf("precached %s does not exist: %v", u, err)
		}
	}
	if !bytes.Contains(worker, []byte(`const cacheName = "app-" + "`)) || bytes.Contains(worker, []byte(versionPlaceholder)) {
		t.Error("app-worker.js has no real version")
	}
}
