//go:build !js

package main

// Tests of the server's edges (edges.go and runServe): Range per RFC 9110,
// OPTIONS, net/http's own error responses, a symlinked -dir, the
// connection limit and the graceful shutdown.

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestServeRangeEdges: each row's expectation is from RFC 9110 §14 (the
// section is in the row); "whole" is a 200 with the whole file.
func TestServeRangeEdges(t *testing.T) {
	s := newFakeSite(t)
	h := s.handler(t, "/")
	data := s.files["index.html"]
	n := len(data)
	etag := etagOf(data)
	for _, tc := range []struct {
		rng, ifRange string
		status       int
		contentRange string // for 206 and 416
		body         []byte // for 206 and 200
		why          string
	}{
		{"bytes=0-4", "", 206, fmt.Sprintf("bytes 0-4/%d", n), data[:5], "§14.1.2 first five"},
		{"bytes=-5", "", 206, fmt.Sprintf("bytes %d-%d/%d", n-5, n-1, n), data[n-5:], "§14.1.1 suffix"},
		{"Bytes=0-4", "", 206, fmt.Sprintf("bytes 0-4/%d", n), data[:5], "§14.1: the unit is case-insensitive"},
		{"bytes=-0", "", 416, fmt.Sprintf("bytes */%d", n), nil, "§14.1.1: a zero-length suffix is unsatisfiable; §15.5.17 Content-Range */length"},
		{"bytes=-0,-0", "", 416, fmt.Sprintf("bytes */%d", n), nil, "§14.1.1: every spec unsatisfiable"},
		{"bytes=-0, 0-4", "", 206, fmt.Sprintf("bytes 0-4/%d", n), data[:5], "§14.1.1: the satisfiable spec is served"},
		{"bytes=" + strconv.Itoa(n) + "-", "", 416, fmt.Sprintf("bytes */%d", n), nil, "§14.1.1: a first position past the end"},
		{"items=0-5", "", 200, "", data, "§14.2: a server MUST ignore a range unit it does not understand"},
		{"none", "", 200, "", data, "§14.3: 'none' is no unit for ranges"},
		{"bytes=-0", `"other"`, 200, "", data, "§13.1.5: a failed If-Range ignores Range"},
		{"bytes=-0", etag, 416, fmt.Sprintf("bytes */%d", n), nil, "§13.1.5: a matching If-Range keeps Range"},
		{"bytes=0-4", etag, 206, fmt.Sprintf("bytes 0-4/%d", n), data[:5], "§13.1.5: a matching If-Range"},
	} {
		hdr := []string{"Range: " + tc.rng}
		if tc.ifRange != "" {
			hdr = append(hdr, "If-Range: "+tc.ifRange)
		}
		w := do(h, http.MethodGet, "/index.html", hdr...)
		what := fmt.Sprintf("Range %q If-Range %q (%s)", tc.rng, tc.ifRange, tc.why)
		if w.Code != tc.status {
			t.Errorf("%s: status %d, want %d", what, w.Code, tc.status)
			continue
		}
		if cr := w.Result().Header.Get("Content-Range"); cr != tc.contentRange {
			t.Errorf("%s: Content-Range %q, want %q", what, cr, tc.contentRange)
		}
		if tc.body != nil && !bytes.Equal(w.Body.Bytes(), tc.body) {
			t.Errorf("%s: body %d bytes, want %d", what, w.Body.Len(), len(tc.body))
		}
		checkSecurityHeaders(t, what, w.Result().Header)
	}
}

// TestServeOptions: OPTIONS * (about the server) and OPTIONS on a file
// get 204 with Allow and the security headers (RFC 9110 §9.3.7); on a
// missing file, 404.
func TestServeOptions(t *testing.T) {
	s := newFakeSite(t)
	addr := startServe(t, s.dir)
	for _, tc := range []struct {
		target string
		status int
	}{
		{"*", http.StatusNoContent},
		{"/", http.StatusNoContent},
		{s.wasmPath, http.StatusNoContent},
		{"/nope", http.StatusNotFound},
	} {
		res, body := rawRequest(t, addr, "OPTIONS "+tc.target+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		what := "OPTIONS " + tc.target
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", what, res.StatusCode, tc.status)
		}
		if tc.status == http.StatusNoContent {
			if a := res.Header.Get("Allow"); a != allowed {
				t.Errorf("%s: Allow %q", what, a)
			}
			if len(body) != 0 {
				t.Errorf("%s: a body: %q", what, body)
			}
		}
		checkSecurityHeaders(t, what, res.Header)
	}
}

// TestServeGoErrors: the responses net/http writes itself carry the
// security headers too, and a request line longer than the header limit
// gets 400 (RFC 9112 §3: "a server that receives a request-target longer
// than any URI it wishes to parse MUST respond with a 414", and a request
// line it cannot read is a 400), while long header fields keep 431
// (RFC 6585 §5).
func TestServeGoErrors(t *testing.T) {
	s := newFakeSite(t)
	addr := startServe(t, s.dir)
	for _, tc := range []struct {
		what, request string
		status        int
	}{
		{"a 70 KB request line", "GET /" + strings.Repeat("a", 70<<10) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400},
		{"a 1 MB request line", "GET /" + strings.Repeat("a", 1<<20) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400},
		{"a 100 KB header", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 100<<10) + "\r\nConnection: close\r\n\r\n", 431},
		{"no Host", "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 400},
		{"a malformed request line", "GET\r\n\r\n", 400},
		{"an unknown transfer coding", "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: zstd\r\n\r\n", 501},
	} {
		res, body := rawRequest(t, addr, tc.request)
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d (%q), want %d", tc.what, res.StatusCode, body, tc.status)
		}
		checkSecurityHeaders(t, tc.what, res.Header)
	}

	// The second request on a connection is judged by its own line.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	for i, tc := range []struct {
		request string
		status  int
	}{
		{"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 200},
		{"GET /" + strings.Repeat("b", 80<<10) + " HTTP/1.1\r\nHost: x\r\n\r\n", 400},
	} {
		io.WriteString(conn, tc.request)
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("request %d on one connection: %v", i+1, err)
		}
		io.Copy(io.Discard, res.Body)
		if res.StatusCode != tc.status {
			t.Errorf("request %d on one connection: status %d, want %d", i+1, res.StatusCode, tc.status)
		}
	}
}

// TestMendGoError: only net/http's own error responses are rewritten.
func TestMendGoError(t *testing.T) {
	ours := "HTTP/1.1 404 Not Found\r\nContent-Security-Policy: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nnot found"
	if _, ok := mendGoError([]byte(ours), true); ok {
		t.Error("rewrote the handler's response")
	}
	if _, ok := mendGoError([]byte("some body bytes"), true); ok {
		t.Error("rewrote body bytes")
	}
	long := "HTTP/1.1 431 Request Header Fields Too Large" + goErrorHeaders + "431 Request Header Fields Too Large"
	got, ok := mendGoError([]byte(long), false)
	if !ok || !bytes.HasPrefix(got, []byte("HTTP/1.1 431 ")) || !bytes.Contains(got, []byte("\r\nX-Frame-Options: DENY\r\n")) {
		t.Errorf("431 for long headers: %q", got)
	}
	got, _ = mendGoError([]byte(long), true)
	if !bytes.HasPrefix(got, []byte("HTTP/1.1 400 Bad Request\r\n")) || !bytes.HasSuffix(got, []byte("request line too long")) {
		t.Errorf("431 for a long request line: %q", got)
	}
	res, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(got)), nil)
	if err != nil {
		t.Fatalf("the mended response does not parse: %v", err)
	}
	checkSecurityHeaders(t, "mended", res.Header)
}

// TestServeSymlinkedDir: a -dir that is a symlink to a site (a "current"
// release link) is followed at start-up; links inside the site are not.
func TestServeSymlinkedDir(t *testing.T) {
	s := newFakeSite(t)
	link := filepath.Join(t.TempDir(), "current")
	if err := os.Symlink(s.dir, link); err != nil {
		t.Fatal(err)
	}
	h, err := newSiteHandler(link, "/")
	if err != nil {
		t.Fatalf("symlinked -dir: %v", err)
	}
	if w := do(h, http.MethodGet, "/"); w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), s.files["index.html"]) {
		t.Errorf("GET / through the link: status %d", w.Code)
	}
	if w := do(h, http.MethodGet, "/link.txt"); w.Code != http.StatusNotFound {
		t.Errorf("a link inside the site: status %d, want 404", w.Code)
	}
}

// TestServeConnectionLimit: with -max-conns 8 and 8 idle keep-alive
// connections, a new visitor is still served (the oldest idle one is
// closed); with 8 connections busy sending a request, the 9th waits and
// is served when one of them finishes.
func TestServeConnectionLimit(t *testing.T) {
	s := newFakeSite(t)
	addr := startServe(t, s.dir, "-max-conns", "8")

	var idle []net.Conn
	for i := range 8 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(20 * time.Second))
		io.WriteString(c, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
		res, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: http.MethodHead})
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("keep-alive connection %d: %v", i+1, err)
		}
		idle = append(idle, c)
	}
	start := time.Now()
	res, _ := rawRequest(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if res.StatusCode != http.StatusOK || time.Since(start) > 2*time.Second {
		t.Errorf("with 8 idle connections: status %d after %v", res.StatusCode, time.Since(start))
	}
	// The first one was the oldest idle: the server closed it.
	idle[0].SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := idle[0].Read(make([]byte, 1)); err == nil {
		t.Errorf("the oldest idle connection is still open (read %d bytes)", n)
	}
	for _, c := range idle {
		c.Close()
	}

	// 8 connections in the middle of their request headers.
	busy := make([]net.Conn, 8)
	for i := range busy {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(20 * time.Second))
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n")
		busy[i] = c
	}
	time.Sleep(200 * time.Millisecond) // let the server accept them all
	served := make(chan time.Time, 1)
	go func() {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			served <- time.Time{}
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(15 * time.Second))
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		if res, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil && res.StatusCode == http.StatusOK {
			served <- time.Now()
			return
		}
		served <- time.Time{}
	}()
	select {
	case <-served:
		t.Fatal("a 9th connection was served while 8 were busy")
	case <-time.After(500 * time.Millisecond):
	}
	finished := time.Now()
	io.WriteString(busy[0], "Connection: close\r\n\r\n")
	if at := <-served; at.IsZero() {
		t.Error("the waiting connection was not served")
	} else {
		t.Logf("the waiting connection was served %v after a slot freed", at.Sub(finished))
	}
}

// TestServeShutdown: on the signal, a download in flight finishes within
// -shutdown-timeout and runServe returns nil; past the bound, what still
// runs is closed, it says so, and it still returns nil (exit code 0).
func TestServeShutdown(t *testing.T) {
	s := newFakeSite(t)
	big := make([]byte, 32<<20) // more than the socket buffers hold
	for i := range big {
		big[i] = byte(i * 7)
	}
	writeFile(t, filepath.Join(s.dir, "web", "big.bin"), big)

	for _, tc := range []struct {
		grace    string
		readRate time.Duration // per 1 MB
		complete bool
	}{
		{"20s", 20 * time.Millisecond, true}, // about 0.7 s of transfer
		{"1s", 500 * time.Millisecond, false},
	} {
		t.Run("grace "+tc.grace, func(t *testing.T) {
			var stderr bytes.Buffer // read only after stop returns
			addr, stop := launchServe(t, s.dir, &stderr, "-shutdown-timeout", tc.grace)
			defer stop()

			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(60 * time.Second))
			io.WriteString(c, "GET /web/big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
			br := bufio.NewReader(c)
			res, err := http.ReadResponse(br, nil)
			if err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("download: %v", err)
			}
			start := time.Now()
			stopped := make(chan error, 1)
			go func() { stopped <- stop() }() // the signal, mid-transfer
			var got int
			buf := make([]byte, 1<<20)
			for {
				n, err := io.ReadFull(res.Body, buf)
				got += n
				if err != nil {
					break
				}
				time.Sleep(tc.readRate)
			}
			err = <-stopped
			took := time.Since(start)
			t.Logf("grace %s: got %d of %d bytes; runServe returned %v after %v; stderr %q", tc.grace, got, len(big), err, took, stderr.String())
			if err != nil {
				t.Errorf("runServe: %v, want nil", err)
			}
			if complete := got == len(big); complete != tc.complete {
				t.Errorf("transfer complete %v, want %v", complete, tc.complete)
			}
			if !tc.complete && !strings.Contains(stderr.String(), "were closed") {
				t.Errorf("stderr does not say the transfer was cut: %q", stderr.String())
			}
		})
	}
}
