//go:build !js

package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fakeSite is a small site folder in a temp dir, with files around it that
// must never be served.
type fakeSite struct {
	dir      string
	wasmPath string // URL path of the hashed wasm, e.g. "/web/app.0123456789ab.wasm"
	files    map[string][]byte
}

func newFakeSite(t *testing.T) *fakeSite {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	wasm := append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("klcalc wasm "), 4000)...)
	sum := sha256.Sum256(wasm)
	wasmName := "web/app." + hex.EncodeToString(sum[:])[:12] + ".wasm"
	s := &fakeSite{dir: dir, wasmPath: "/" + wasmName, files: map[string][]byte{
		"index.html":                []byte("<!DOCTYPE html><html lang=\"en\"><title>index</title>" + strings.Repeat("<p>calculator</p>", 50) + "</html>\n"),
		"404.html":                  []byte("<!DOCTYPE html><title>not found</title>\n"),
		"about.html":                []byte("<!DOCTYPE html><title>about</title>\n"),
		"app.js":                    []byte(strings.Repeat("console.log('app');\n", 100)),
		"app-worker.js":             []byte("const cacheName = \"app-1\";\n"),
		"manifest.webmanifest":      []byte(`{"name": "KL"}`),
		wasmName:                    wasm,
		"web/app.000000000000.wasm": wasm, // looks hashed, but is not the hash
		"web/calc.css":              []byte("body { margin: 0 }\n"),
		"web/icon.svg":              []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`),
		"web/icon-192.png":          []byte("\x89PNG fake"),
		"web/data.bin":              []byte{1, 2, 3},
	}}
	for rel, data := range s.files {
		writeFile(t, filepath.Join(dir, rel), data)
	}
	for _, rel := range []string{"index.html", "app.js", wasmName} {
		for _, enc := range []string{"br", "gz"} {
			if ok, err := compressFile(filepath.Join(dir, rel), enc, 11); err != nil || !ok {
				t.Fatalf("compressing %s: %v %v", rel, ok, err)
			}
		}
	}
	// Things that must not be served.
	writeFile(t, filepath.Join(root, "secret.txt"), []byte("secret"))
	writeFile(t, filepath.Join(dir, ".hidden"), []byte("secret"))
	writeFile(t, filepath.Join(dir, ".git", "config"), []byte("secret"))
	writeFile(t, filepath.Join(dir, "orphan.js.br"), []byte("not a sibling"))
	if err := os.Symlink(filepath.Join(root, "secret.txt"), filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	return s
}

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func (s *fakeSite) read(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func (s *fakeSite) handler(t *testing.T, base string) http.Handler {
	t.Helper()
	h, err := newSiteHandler(s.dir, base)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// do sends one request to h. header is "Name: value" lines.
func do(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for _, kv := range header {
		k, v, _ := strings.Cut(kv, ":")
		r.Header.Add(k, strings.TrimSpace(v))
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func etagOf(data []byte) string {
	sum := sha256.Sum256(data)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for k, v := range securityHeaders {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
}

func TestServeFiles(t *testing.T) {
	s := newFakeSite(t)
	h := s.handler(t, "/")
	for _, tc := range []struct {
		target, accept string
		wantType       string
		wantFile       string // file whose bytes are the body
		wantEncoding   string
		wantCache      string
	}{
		{"/", "", "text/html; charset=utf-8", "index.html", "", cacheRevalidate},
		{"/", "gzip, deflate, br", "text/html; charset=utf-8", "index.html.br", "br", cacheRevalidate},
		{"/index.html", "gzip", "text/html; charset=utf-8", "index.html.gz", "gzip", cacheRevalidate},
		{"/?p=0.5,0.5", "", "text/html; charset=utf-8", "index.html", "", cacheRevalidate},
		{"/about", "", "text/html; charset=utf-8", "about.html", "", cacheRevalidate},
		{"/app.js", "br", "text/javascript; charset=utf-8", "app.js.br", "br", cacheRevalidate},
		{"/app-worker.js", "br, gzip", "text/javascript; charset=utf-8", "app-worker.js", "", cacheRevalidate},
		{"/manifest.webmanifest", "", "application/manifest+json", "manifest.webmanifest", "", cacheRevalidate},
		{s.wasmPath, "", "application/wasm", s.wasmPath[1:], "", cacheImmutable},
		{s.wasmPath, "gzip, br", "application/wasm", s.wasmPath[1:] + ".br", "br", cacheImmutable},
		{s.wasmPath, "gzip", "application/wasm", s.wasmPath[1:] + ".gz", "gzip", cacheImmutable},
		{"/web/app.000000000000.wasm", "", "application/wasm", "web/app.000000000000.wasm", "", cacheRevalidate},
		{"/web/calc.css", "br", "text/css; charset=utf-8", "web/calc.css", "", cacheRevalidate},
		{"/web/icon.svg", "", "image/svg+xml", "web/icon.svg", "", cacheRevalidate},
		{"/web/icon-192.png", "", "image/png", "web/icon-192.png", "", cacheRevalidate},
		{"/web/data.bin", "", "application/octet-stream", "web/data.bin", "", cacheRevalidate},
	} {
		w := do(h, http.MethodGet, tc.target, "Accept-Encoding: "+tc.accept)
		what := tc.target + " (Accept-Encoding: " + tc.accept + ")"
		if w.Code != http.StatusOK {
			t.Errorf("%s: status %d", what, w.Code)
			continue
		}
		want := s.read(t, tc.wantFile)
		hdr := w.Result().Header
		if !bytes.Equal(w.Body.Bytes(), want) {
			t.Errorf("%s: body is not %s", what, tc.wantFile)
		}
		for k, v := range map[string]string{
			"Content-Type":     tc.wantType,
			"Content-Encoding": tc.wantEncoding,
			"Content-Length":   strconv.Itoa(len(want)),
			"Cache-Control":    tc.wantCache,
			"Vary":             "Accept-Encoding",
			"ETag":             etagOf(want),
		} {
			if got := hdr.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", what, k, got, v)
			}
		}
		wantLen := ""
		if strings.HasSuffix(tc.target, ".wasm") {
			wantLen = strconv.Itoa(len(s.read(t, tc.target[1:])))
		}
		if got := hdr.Get(wasmLengthHeader); got != wantLen {
			t.Errorf("%s: %s = %q, want %q", what, wasmLengthHeader, got, wantLen)
		}
		checkSecurityHeaders(t, what, hdr)
	}
}

func TestServeRejects(t *testing.T) {
	s := newFakeSite(t)
	h := s.handler(t, "/")
	notFound := s.read(t, "404.html")
	for _, tc := range []struct {
		target string
		want   int
	}{
		{"/../secret.txt", http.StatusBadRequest},
		{"/../go.mod", http.StatusBadRequest},
		{"/web/../index.html", http.StatusBadRequest},
		{"/%2e%2e/secret.txt", http.StatusBadRequest},
		{"/%2E%2E/%2e%2e/secret.txt", http.StatusBadRequest},
		{"/./index.html", http.StatusBadRequest},
		{"//etc/passwd", http.StatusBadRequest},
		{"/web//calc.css", http.StatusBadRequest},
		{"/web%2fcalc.css", http.StatusBadRequest},
		{"/index.html%00", http.StatusBadRequest},
		{"/web\\calc.css", http.StatusBadRequest},
		{"/" + strings.Repeat("a", 5<<10), http.StatusBadRequest},
		{"/web/", http.StatusNotFound},
		{"/web", http.StatusNotFound},
		{"/nope", http.StatusNotFound},
		{"/nope.js", http.StatusNotFound},
		{"/secret.txt", http.StatusNotFound},
		{"/link.txt", http.StatusNotFound}, // symlink out of the site
		{"/.hidden", http.StatusNotFound},
		{"/.git/config", http.StatusNotFound},
		{"/index.html.br", http.StatusNotFound}, // siblings are only representations
		{"/orphan.js.br", http.StatusNotFound},
		{"/web/app.wasm", http.StatusNotFound}, // only the hashed name exists
	} {
		w := do(h, http.MethodGet, tc.target)
		short := tc.target[:min(len(tc.target), 40)]
		if w.Code != tc.want {
			t.Errorf("%s: status %d, want %d", short, w.Code, tc.want)
		}
		if bytes.Contains(w.Body.Bytes(), []byte("secret")) {
			t.Errorf("%s: leaked a file outside the site", short)
		}
		if tc.want == http.StatusNotFound && !bytes.Equal(w.Body.Bytes(), notFound) {
			t.Errorf("%s: body is not 404.html: %q", short, w.Body.String())
		}
		if cc := w.Result().Header.Get("Cache-Control"); tc.want == http.StatusNotFound && cc != cacheRevalidate {
			t.Errorf("%s: Cache-Control %q", short, cc)
		}
		checkSecurityHeaders(t, short, w.Result().Header)
	}

	w := do(h, http.MethodPost, "/")
	if w.Code != http.StatusMethodNotAllowed || w.Result().Header.Get("Allow") != allowed {
		t.Errorf("POST: status %d, Allow %q", w.Code, w.Result().Header.Get("Allow"))
	}
	checkSecurityHeaders(t, "POST", w.Result().Header)
}

// TestServeRawTraversal sends traversal paths over a real connection, as
// curl --path-as-is would, to make sure nothing cleans them before the
// handler and that the answer does not leak.
func TestServeRawTraversal(t *testing.T) {
	s := newFakeSite(t)
	srv := httptest.NewServer(s.handler(t, "/"))
	defer srv.Close()
	for _, target := range []string{"/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "//secret.txt", "/web/../../secret.txt"} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(conn, "GET "+target+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		conn.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", target, res.StatusCode)
		}
		if bytes.Contains(body, []byte("secret")) {
			t.Errorf("%s: leaked", target)
		}
	}
}

func TestServeConditionalAndRange(t *testing.T) {
	s := newFakeSite(t)
	h := s.handler(t, "/")
	index := s.read(t, "index.html")
	indexBr := s.read(t, "index.html.br")

	// If-None-Match with the current ETag: 304 with the validators and
	// the security headers, no body.
	w := do(h, http.MethodGet, "/", "If-None-Match: "+etagOf(index))
	if w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("If-None-Match: status %d, %d bytes", w.Code, w.Body.Len())
	}
	if got := w.Result().Header.Get("ETag"); got != etagOf(index) {
		t.Errorf("304 ETag %q", got)
	}
	if got := w.Result().Header.Get("Vary"); got != "Accept-Encoding" {
		t.Errorf("304 Vary %q", got)
	}
	checkSecurityHeaders(t, "304", w.Result().Header)

	// The identity ETag does not validate the br representation.
	w = do(h, http.MethodGet, "/", "If-None-Match: "+etagOf(index), "Accept-Encoding: br")
	if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), indexBr) {
		t.Errorf("identity ETag, br accepted: status %d", w.Code)
	}
	w = do(h, http.MethodGet, "/", "If-None-Match: \"other\", "+etagOf(indexBr), "Accept-Encoding: br")
	if w.Code != http.StatusNotModified {
		t.Errorf("br ETag in a list: status %d", w.Code)
	}
	w = do(h, http.MethodGet, "/", `If-None-Match: "stale"`)
	if w.Code != http.StatusOK {
		t.Errorf("stale ETag: status %d", w.Code)
	}

	// HEAD: headers of the GET, no body.
	w = do(h, http.MethodHead, s.wasmPath, "Accept-Encoding: br")
	wasmBr := s.read(t, s.wasmPath[1:]+".br")
	if w.Code != http.StatusOK || w.Body.Len() != 0 || w.Result().Header.Get("Content-Length") != strconv.Itoa(len(wasmBr)) ||
		w.Result().Header.Get("Content-Encoding") != "br" {
		t.Errorf("HEAD: status %d, %d bytes, headers %v", w.Code, w.Body.Len(), w.Result().Header)
	}
	w = do(h, http.MethodHead, "/nope")
	if w.Code != http.StatusNotFound || w.Body.Len() != 0 {
		t.Errorf("HEAD 404: status %d, %d bytes", w.Code, w.Body.Len())
	}

	// Range on the identity representation.
	w = do(h, http.MethodGet, "/", "Range: bytes=2-10")
	if w.Code != http.StatusPartialContent || !bytes.Equal(w.Body.Bytes(), index[2:11]) ||
		w.Result().Header.Get("Content-Range") != "bytes 2-10/"+strconv.Itoa(len(index)) ||
		w.Result().Header.Get("Content-Length") != "9" {
		t.Errorf("Range: status %d, body %q, headers %v", w.Code, w.Body.String(), w.Result().Header)
	}
	// Range on a compressed representation: byte ranges of the br bytes.
	w = do(h, http.MethodGet, "/", "Range: bytes=0-3", "Accept-Encoding: br")
	if w.Code != http.StatusPartialContent || !bytes.Equal(w.Body.Bytes(), indexBr[:4]) || w.Result().Header.Get("Content-Encoding") != "br" {
		t.Errorf("br Range: status %d, headers %v", w.Code, w.Result().Header)
	}
	// If-Range with an old ETag: the whole file.
	w = do(h, http.MethodGet, "/", "Range: bytes=0-3", `If-Range: "old"`)
	if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), index) {
		t.Errorf("If-Range old: status %d", w.Code)
	}
	w = do(h, http.MethodGet, "/", "Range: bytes=100000-")
	if w.Code != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("unsatisfiable Range: status %d", w.Code)
	}
	checkSecurityHeaders(t, "416", w.Result().Header)
}

func TestServeBase(t *testing.T) {
	s := newFakeSite(t)
	h := s.handler(t, "kl") // normalized to /kl/
	index := s.read(t, "index.html")
	for _, tc := range []struct {
		target   string
		want     int
		location string
		body     []byte
	}{
		{"/kl/", http.StatusOK, "", index},
		{"/kl/?p=1", http.StatusOK, "", index},
		{"/kl/index.html", http.StatusOK, "", index},
		{"/kl/web/calc.css", http.StatusOK, "", s.files["web/calc.css"]},
		{"/kl", http.StatusMovedPermanently, "/kl/", nil},
		{"/kl?p=1", http.StatusMovedPermanently, "/kl/?p=1", nil},
		{"/", http.StatusFound, "/kl/", nil},
		{"/index.html", http.StatusNotFound, "", nil},
		{"/web/calc.css", http.StatusNotFound, "", nil},
		{"/klx/", http.StatusNotFound, "", nil},
		{"/kl/../kl/", http.StatusBadRequest, "", nil},
	} {
		w := do(h, http.MethodGet, tc.target)
		if w.Code != tc.want {
			t.Errorf("%s: status %d, want %d", tc.target, w.Code, tc.want)
		}
		if got := w.Result().Header.Get("Location"); got != tc.location {
			t.Errorf("%s: Location %q, want %q", tc.target, got, tc.location)
		}
		if tc.body != nil && !bytes.Equal(w.Body.Bytes(), tc.body) {
			t.Errorf("%s: wrong body", tc.target)
		}
		checkSecurityHeaders(t, tc.target, w.Result().Header)
	}
}

func TestNegotiateEncoding(t *testing.T) {
	for _, tc := range []struct {
		accept         string
		haveBr, haveGz bool
		want           string
	}{
		{"", true, true, ""},
		{"gzip, deflate, br, zstd", true, true, "br"},
		{"gzip, deflate, br", false, true, "gzip"},
		{"gzip, deflate, br", true, false, "br"},
		{"gzip, deflate, br", false, false, ""},
		{"BR", true, true, "br"},
		{"br;q=0, gzip", true, true, "gzip"},
		{"br;q=0, gzip;q=0", true, true, ""},
		{"br; q=0.0, gzip; q=0.000", true, true, ""},
		{"gzip;q=0.5, br;q=0.4", true, true, "gzip"},
		{"gzip;q=0.5, br;q=0.5", true, true, "br"},
		{"br;q=1.0", true, true, "br"},
		{"br;q=abc", true, true, ""},
		{"br;q=2", true, true, ""},
		{"*", true, true, "br"},
		{"*;q=0", true, true, ""},
		{"*;q=0, gzip", true, true, "gzip"},
		{"*, br;q=0", true, true, "gzip"},
		{"identity", true, true, ""},
		{"x-gzip", true, true, "gzip"},
		{"deflate", true, true, ""},
		{" , ;q=1", true, true, ""},
	} {
		if got := negotiateEncoding([]string{tc.accept}, tc.haveBr, tc.haveGz); got != tc.want {
			t.Errorf("negotiateEncoding(%q, br=%v, gz=%v) = %q, want %q", tc.accept, tc.haveBr, tc.haveGz, got, tc.want)
		}
	}
	if got := negotiateEncoding([]string{"gzip", "br"}, true, true); got != "br" {
		t.Errorf("two header lines: %q, want br", got)
	}
}

func TestNewSiteHandlerErrors(t *testing.T) {
	s := newFakeSite(t)
	if _, err := newSiteHandler(s.dir, "/../x/"); err == nil {
		t.Error("bad base accepted")
	}
	if _, err := newSiteHandler(t.TempDir(), "/"); err == nil || !strings.Contains(err.Error(), "index.html") {
		t.Errorf("empty folder: %v", err)
	}
	if _, err := newSiteHandler(filepath.Join(t.TempDir(), "missing"), "/"); err == nil {
		t.Error("missing folder accepted")
	}
	// A stale sibling would serve old content under the new ETag.
	writeFile(t, filepath.Join(s.dir, "app.js"), []byte("console.log('new');\n"))
	if _, err := newSiteHandler(s.dir, "/"); err == nil || !strings.Contains(err.Error(), "app.js.br") {
		t.Errorf("stale app.js.br: %v", err)
	}
}

func TestListenURL(t *testing.T) {
	for _, tc := range []struct{ addr, base, want string }{
		{"127.0.0.1:8000", "/", "http://127.0.0.1:8000/"},
		{"0.0.0.0:9000", "/kl/", "http://127.0.0.1:9000/kl/"},
		{"[::]:9000", "/", "http://127.0.0.1:9000/"},
		{"[::1]:9000", "/", "http://[::1]:9000/"},
	} {
		a, err := net.ResolveTCPAddr("tcp", tc.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := listenURL(a, tc.base); got != tc.want {
			t.Errorf("listenURL(%s) = %s, want %s", tc.addr, got, tc.want)
		}
	}
}
