//go:build !js

package main

// More server tests, beyond serve_test.go: raw request targets that a
// client library would clean, every other method, weak and listed
// If-None-Match, Range on the compressed representations, and the limits
// of the real server that runServe configures.

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// rawRequest sends request (a full HTTP/1.x request head and body) on a new
// connection to addr and returns the response and its body.
func rawRequest(t *testing.T, addr, request string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%.60q: reading the response: %v", request, err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, body
}

// TestServeRawTargets sends request targets exactly as written (as curl
// --path-as-is would), over a real connection: nothing may clean them
// before the handler, and nothing outside the site may leak.
func TestServeRawTargets(t *testing.T) {
	s := newFakeSite(t)
	srv := httptest.NewServer(s.handler(t, "/"))
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	long := func(n int) string { return "/" + strings.Repeat("a", n-1) }
	for _, tc := range []struct {
		target string
		want   []int // acceptable statuses
	}{
		{"/%2e%2e/", []int{400}},
		{"/%2e%2e/secret.txt", []int{400}},
		{"/%2E%2e%2Fsecret.txt", []int{400}},
		{"/..%2f", []int{400}},
		{"/..%2F..%2Fsecret.txt", []int{400}},
		{"/.%2e/secret.txt", []int{400}},
		{"/%2e./secret.txt", []int{400}},
		{"/..%5csecret.txt", []int{400}},
		{"/%5c..%5csecret.txt", []int{400}},
		{"/web\\..\\..\\secret.txt", []int{400}},
		{"//", []int{400}},
		{"///", []int{400}},
		{"//secret.txt", []int{400}},
		{"/%00", []int{400}},
		{"/index.html%00.js", []int{400}},
		{"/web/../index.html", []int{400}},
		{"/web/./calc.css", []int{400}},
		{"/index.html/.", []int{400}},
		{"/index.html/..", []int{400}},
		// Overlong UTF-8 for ".." is not "..": nothing by that name.
		{"/%c0%ae%c0%ae/secret.txt", []int{400, 404}},
		{"/%ff%fe", []int{400, 404}},
		{"/index.html/", []int{404}},
		{"/about/", []int{404}},
		{"/web/calc.css/", []int{404}},
		{"/index.html#fragment", []int{400, 404}},
		{"*", []int{400}},
		{long(5 << 10), []int{400}},
		{"/?q=" + strings.Repeat("x", 5<<10), []int{400}},
		{long(maxURILength), []int{404}},
		{long(maxURILength + 1), []int{400}},
		{"http://x/../secret.txt", []int{400}},
		{"http://x/index.html", []int{200}},
		{"/index.html?../../secret.txt", []int{200}},
		{"/%69ndex.html", []int{200}}, // an escaped letter is the same path
	} {
		res, body := rawRequest(t, addr, "GET "+tc.target+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		short := tc.target[:min(len(tc.target), 50)]
		ok := false
		for _, w := range tc.want {
			ok = ok || res.StatusCode == w
		}
		if !ok {
			t.Errorf("GET %s: status %d, want one of %v", short, res.StatusCode, tc.want)
		}
		if bytes.Contains(body, []byte("secret")) {
			t.Errorf("GET %s: leaked a file outside the site", short)
		}
		if res.StatusCode == 404 && !bytes.Equal(body, s.files["404.html"]) {
			t.Errorf("GET %s: 404 body is not 404.html", short)
		}
		checkSecurityHeaders(t, "GET "+short, res.Header)
	}
}

// TestServeMethods: only GET and HEAD; everything else is a 405 with
// Allow and the security headers, and no file content.
func TestServeMethods(t *testing.T) {
	s := newFakeSite(t)
	h := s.handler(t, "/")
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "PROPFIND", "BREW", "get", "head"} {
		for _, target := range []string{"/", "/index.html", s.wasmPath, "/nope", "/../secret.txt"} {
			w := do(h, m, target)
			what := m + " " + target
			if w.Code != http.StatusMethodNotAllowed {
				t.Errorf("%s: status %d, want 405", what, w.Code)
			}
			if a := w.Result().Header.Get("Allow"); a != allowed {
				t.Errorf("%s: Allow %q", what, a)
			}
			if bytes.Contains(w.Body.Bytes(), []byte("calculator")) || bytes.Contains(w.Body.Bytes(), []byte("asm")) {
				t.Errorf("%s: served the file", what)
			}
			checkSecurityHeaders(t, what, w.Result().Header)
		}
	}
	// Over a real connection too, with a body: the server must not hang
	// reading it or serve the file.
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, body := rawRequest(t, srv.Listener.Addr().String(), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
	if res.StatusCode != http.StatusMethodNotAllowed || bytes.Contains(body, []byte("calculator")) {
		t.Errorf("raw POST: status %d, body %q", res.StatusCode, body)
	}
}

// TestServeConditionalMore: If-None-Match is a weak comparison (W/ matches),
// takes lists and *, and is per representation; If-Match fails with 412;
// If-Modified-Since alone changes nothing (there is no Last-Modified).
func TestServeConditionalMore(t *testing.T) {
	s := newFakeSite(t)
	h := s.handler(t, "/")
	index := s.read(t, "index.html")
	indexBr := s.read(t, "index.html.br")
	wasmGz := s.read(t, s.wasmPath[1:]+".gz")
	for _, tc := range []struct {
		target string
		header []string
		want   int
	}{
		{"/", []string{"If-None-Match: W/" + etagOf(index)}, 304},
		{"/", []string{`If-None-Match: "a", W/"b", W/` + etagOf(index)}, 304},
		{"/", []string{`If-None-Match: "a",` + etagOf(index) + `,"c"`}, 304},
		{"/", []string{"If-None-Match: *"}, 304},
		{"/", []string{"If-None-Match: W/" + etagOf(index), "Accept-Encoding: br"}, 200},
		{"/", []string{"If-None-Match: W/" + etagOf(indexBr), "Accept-Encoding: br"}, 304},
		{"/", []string{"If-None-Match: " + strings.Trim(etagOf(index), `"`)}, 200}, // unquoted: not an ETag
		{"/", []string{`If-None-Match: ` + etagOf(index)[:10]}, 200},               // truncated, unterminated
		{"/", []string{"If-None-Match: " + strings.Repeat(`"x",`, 2000) + etagOf(index)}, 304},
		{s.wasmPath, []string{"If-None-Match: " + etagOf(wasmGz), "Accept-Encoding: gzip"}, 304},
		{"/nope", []string{"If-None-Match: *"}, 404},
		{"/", []string{`If-Match: "nope"`}, 412},
		{"/", []string{"If-Match: " + etagOf(index)}, 200},
		{"/", []string{"If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT"}, 200},
		{"/", []string{"If-Modified-Since: Mon, 01 Jan 2101 00:00:00 GMT"}, 200},
	} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			w := do(h, method, tc.target, tc.header...)
			what := method + " " + tc.target + " " + strings.Join(tc.header, "; ")
			what = what[:min(len(what), 120)]
			if w.Code != tc.want {
				t.Errorf("%s: status %d, want %d", what, w.Code, tc.want)
			}
			hdr := w.Result().Header
			if w.Code == 304 {
				if w.Body.Len() != 0 || hdr.Get("Content-Encoding") != "" || hdr.Get("Content-Length") != "" {
					t.Errorf("%s: 304 with %d bytes, Content-Encoding %q, Content-Length %q", what, w.Body.Len(), hdr.Get("Content-Encoding"), hdr.Get("Content-Length"))
				}
				if hdr.Get("ETag") == "" || hdr.Get("Vary") != "Accept-Encoding" {
					t.Errorf("%s: 304 without ETag or Vary: %v", what, hdr)
				}
			}
			if w.Code >= 400 && hdr.Get("Content-Encoding") != "" {
				t.Errorf("%s: error %d claims Content-Encoding %q", what, w.Code, hdr.Get("Content-Encoding"))
			}
			checkSecurityHeaders(t, what, hdr)
		}
	}
}

// TestServeRangeCompressed: ranges of the negotiated representation are
// ranges of its compressed bytes, with the right Content-Length and
// Content-Range; errors drop Content-Encoding; many ranges are not
// amplified.
func TestServeRangeCompressed(t *testing.T) {
	s := newFakeSite(t)
	h := s.handler(t, "/")
	wasm := s.read(t, s.wasmPath[1:])
	wasmBr := s.read(t, s.wasmPath[1:]+".br")
	wasmGz := s.read(t, s.wasmPath[1:]+".gz")
	for _, tc := range []struct {
		accept, rng, ifRange string
		full                 []byte // the representation
		enc                  string
		from, to             int // want full[from:to] with 206, or to == 0 for 200 with all of full
	}{
		{"gzip", "bytes=0-9", "", wasmGz, "gzip", 0, 10},
		{"br", "bytes=0-9", "", wasmBr, "br", 0, 10},
		{"br", "bytes=-16", "", wasmBr, "br", len(wasmBr) - 16, len(wasmBr)},
		{"br", "bytes=10-", "", wasmBr, "br", 10, len(wasmBr)},
		{"br", "bytes=0-99999999", "", wasmBr, "br", 0, len(wasmBr)},
		{"", "bytes=5-9", "", wasm, "", 5, 10},
		{"br", "bytes=0-3", etagOf(wasmBr), wasmBr, "br", 0, 4},
		{"br", "bytes=0-3", etagOf(wasm), wasmBr, "br", 0, 0},                                          // identity's ETag: the whole br
		{"br", "bytes=0-3", "W/" + etagOf(wasmBr), wasmBr, "br", 0, 0},                                 // If-Range needs a strong match
		{"br", "bytes=" + strings.TrimSuffix(strings.Repeat("0-,", 500), ","), "", wasmBr, "br", 0, 0}, // not amplified
	} {
		hdr := []string{"Accept-Encoding: " + tc.accept, "Range: " + tc.rng}
		if tc.ifRange != "" {
			hdr = append(hdr, "If-Range: "+tc.ifRange)
		}
		w := do(h, http.MethodGet, s.wasmPath, hdr...)
		what := strings.Join(hdr, "; ")
		what = what[:min(len(what), 100)]
		res := w.Result()
		if got := res.Header.Get("Content-Encoding"); got != tc.enc {
			t.Errorf("%s: Content-Encoding %q, want %q", what, got, tc.enc)
		}
		if got := res.Header.Get(wasmLengthHeader); got != strconv.Itoa(len(wasm)) {
			t.Errorf("%s: %s %q", what, wasmLengthHeader, got)
		}
		want, code := tc.full, http.StatusOK
		if tc.to != 0 {
			want, code = tc.full[tc.from:tc.to], http.StatusPartialContent
			if cr := res.Header.Get("Content-Range"); cr != "bytes "+strconv.Itoa(tc.from)+"-"+strconv.Itoa(tc.to-1)+"/"+strconv.Itoa(len(tc.full)) {
				t.Errorf("%s: Content-Range %q", what, cr)
			}
		}
		if w.Code != code || !bytes.Equal(w.Body.Bytes(), want) {
			t.Errorf("%s: status %d with %d bytes, want %d with %d bytes", what, w.Code, w.Body.Len(), code, len(want))
		}
		if cl := res.Header.Get("Content-Length"); cl != strconv.Itoa(len(want)) {
			t.Errorf("%s: Content-Length %q for %d bytes", what, cl, len(want))
		}
	}

	// Unsatisfiable or malformed ranges: 416, without the Content-Encoding
	// of a body that is not compressed, nor the caching of the file.
	for _, rng := range []string{"bytes=99999999-", "bytes=abc", "bytes=5-1"} {
		w := do(h, http.MethodGet, s.wasmPath, "Accept-Encoding: br", "Range: "+rng)
		hdr := w.Result().Header
		if w.Code != http.StatusRequestedRangeNotSatisfiable {
			t.Errorf("Range %s: status %d, want 416", rng, w.Code)
		}
		if hdr.Get("Content-Encoding") != "" || hdr.Get("Cache-Control") == cacheImmutable {
			t.Errorf("Range %s: 416 with Content-Encoding %q, Cache-Control %q", rng, hdr.Get("Content-Encoding"), hdr.Get("Cache-Control"))
		}
		checkSecurityHeaders(t, "416 "+rng, hdr)
	}

	// net/http's own answers, noted rather than asserted: a suffix range
	// of 0 bytes ("bytes=-0", unsatisfiable by RFC 9110 §14.1.2) and a
	// unit other than bytes (which RFC 9110 §14.2 says to ignore).
	for _, rng := range []string{"bytes=-0", "items=0-3"} {
		w := do(h, http.MethodGet, s.wasmPath, "Accept-Encoding: br", "Range: "+rng)
		t.Logf("Range %s: status %d, Content-Range %q, %d bytes", rng, w.Code, w.Result().Header.Get("Content-Range"), w.Body.Len())
	}

	// Two ranges of the br bytes: multipart/byteranges whose parts are
	// slices of the br representation.
	w := do(h, http.MethodGet, s.wasmPath, "Accept-Encoding: br", "Range: bytes=0-1,10-14")
	if w.Code != http.StatusPartialContent {
		t.Fatalf("two ranges: status %d", w.Code)
	}
	mt, params, err := mime.ParseMediaType(w.Result().Header.Get("Content-Type"))
	if err != nil || mt != "multipart/byteranges" {
		t.Fatalf("two ranges: Content-Type %q", w.Result().Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(w.Body, params["boundary"])
	for _, want := range [][]byte{wasmBr[0:2], wasmBr[10:15]} {
		part, err := mr.NextPart()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(part)
		if !bytes.Equal(got, want) || part.Header.Get("Content-Type") != "application/wasm" {
			t.Errorf("part %q (%s), want %q", got, part.Header.Get("Content-Type"), want)
		}
	}
	// The multipart body itself is not brotli, but the response still says
	// Content-Encoding: br (the representation's coding, RFC 9110 §14.6
	// leaves this murky); no browser asks a wasm for several ranges.
	t.Logf("multipart/byteranges of br: Content-Encoding %q", w.Result().Header.Get("Content-Encoding"))
}

// startServe runs the real server (runServe, with its timeouts and header
// limit) on a free port and returns its address.
func startServe(t *testing.T, dir string, flags ...string) string {
	t.Helper()
	addr, stop := launchServe(t, dir, io.Discard, flags...)
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return addr
}

// launchServe starts runServe on a free port and returns its address and a
// stop function that delivers the shutdown signal and returns runServe's
// result. stderr is written only before stop returns.
func launchServe(t *testing.T, dir string, stderr io.Writer, flags ...string) (addr string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, append([]string{"-addr", "127.0.0.1:0", "-dir", dir}, flags...), pw, stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	addr = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), "serving http://"), "/")
	var once sync.Once
	var result error
	return addr, func() error {
		once.Do(func() {
			cancel()
			result = <-done
		})
		return result
	}
}

// TestServeRealServerLimits: headers over 64 KB get 431; an HTTP/1.0
// request without Host works; pipelined requests are all answered; a
// client that stops reading a big response does not block others.
func TestServeRealServerLimits(t *testing.T) {
	s := newFakeSite(t)
	addr := startServe(t, s.dir)

	res, _ := rawRequest(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("a", 100<<10)+"\r\nConnection: close\r\n\r\n")
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("100 KB header: status %d, want 431", res.StatusCode)
	}
	res, body := rawRequest(t, addr, "GET /index.html HTTP/1.0\r\n\r\n")
	if res.StatusCode != http.StatusOK || !bytes.Equal(body, s.files["index.html"]) {
		t.Errorf("HTTP/1.0: status %d", res.StatusCode)
	}
	res, _ = rawRequest(t, addr, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("HTTP/1.1 without Host: status %d, want 400", res.StatusCode)
	}
	res, _ = rawRequest(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: "+strings.Repeat("gzip;q=0.1, ", 4000)+"br\r\nConnection: close\r\n\r\n")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "br" {
		t.Errorf("long Accept-Encoding: status %d, encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}

	// Three pipelined requests on one connection.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\nHEAD /app.js HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	br := bufio.NewReader(conn)
	for i, want := range []int{200, 200, 404} {
		req := &http.Request{Method: http.MethodGet}
		if i == 1 {
			req.Method = http.MethodHead
		}
		res, err := http.ReadResponse(br, req)
		if err != nil {
			t.Fatalf("pipelined response %d: %v", i+1, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("pipelined response %d: status %d, want %d", i+1, res.StatusCode, want)
		}
	}

	// A client that asks for the wasm and never reads: another client is
	// still served at once.
	stuck, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	for range 20 {
		io.WriteString(stuck, "GET "+s.wasmPath+" HTTP/1.1\r\nHost: x\r\n\r\n")
	}
	start := time.Now()
	res, _ = rawRequest(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if res.StatusCode != http.StatusOK || time.Since(start) > 2*time.Second {
		t.Errorf("with a stuck client: status %d after %v", res.StatusCode, time.Since(start))
	}
}
