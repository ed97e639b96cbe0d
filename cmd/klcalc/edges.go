//go:build !js

package main

import (
	"bytes"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// fixRange rewrites r's Range header where http.ServeContent would answer
// against RFC 9110 §14:
//
//   - a unit other than bytes is ignored (§14.2: a server MAY ignore a
//     Range it does not understand), so the whole representation is sent;
//   - a suffix range of zero length ("bytes=-0") selects nothing and is
//     unsatisfiable (§14.1.1, §15.5.17): ServeContent would answer 206 with
//     "bytes 8792-8791/8792", so such specs are dropped, and a set left
//     empty becomes a range that starts past the end, which ServeContent
//     answers 416 with "bytes */size" (after If-Range, which it checks).
func fixRange(r *http.Request, size int) {
	v := r.Header.Get("Range")
	if v == "" {
		return
	}
	unit, set, ok := strings.Cut(v, "=")
	if !ok || !strings.EqualFold(strings.TrimSpace(unit), "bytes") {
		r.Header.Del("Range")
		return
	}
	specs := strings.Split(set, ",")
	kept := specs[:0]
	for _, s := range specs {
		s = strings.TrimSpace(s)
		if suffix, ok := strings.CutPrefix(s, "-"); ok {
			if n, err := strconv.ParseInt(strings.TrimSpace(suffix), 10, 64); err == nil && n == 0 {
				continue
			}
		}
		kept = append(kept, s)
	}
	if len(kept) == 0 {
		r.Header.Set("Range", "bytes="+strconv.Itoa(size)+"-")
		return
	}
	r.Header.Set("Range", "bytes="+strings.Join(kept, ","))
}

// limitListener accepts at most max connections at a time. When it is
// full it closes the connection that has been idle (kept alive between
// requests) the longest, so that idle keep-alive connections can never
// lock a new visitor out; with none idle, a new connection waits in the
// kernel's accept queue until one closes.
type limitListener struct {
	net.Listener
	sem chan struct{}

	mu   sync.Mutex
	idle map[net.Conn]time.Time // by the time they became idle
}

func newLimitListener(l net.Listener, max int) *limitListener {
	return &limitListener{Listener: l, sem: make(chan struct{}, max), idle: map[net.Conn]time.Time{}}
}

func (l *limitListener) Accept() (net.Conn, error) {
	// Full: close the longest idle connection, or, with none idle, wait
	// for a slot while watching for one to become idle.
	for acquired := false; !acquired; {
		select {
		case l.sem <- struct{}{}:
			acquired = true
			continue
		default:
		}
		if l.closeOldestIdle() {
			l.sem <- struct{}{} // its Close gives the slot back
			break
		}
		select {
		case l.sem <- struct{}{}:
			acquired = true
		case <-time.After(20 * time.Millisecond):
		}
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &serverConn{Conn: c, release: func() { <-l.sem }}, nil
}

// closeOldestIdle closes the connection idle the longest, if any.
func (l *limitListener) closeOldestIdle() bool {
	l.mu.Lock()
	var oldest net.Conn
	var at time.Time
	for c, t := range l.idle {
		if oldest == nil || t.Before(at) {
			oldest, at = c, t
		}
	}
	delete(l.idle, oldest)
	l.mu.Unlock()
	if oldest == nil {
		return false
	}
	oldest.Close()
	return true
}

// connState is the http.Server's ConnState hook: it keeps the idle set.
func (l *limitListener) connState(c net.Conn, s http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s == http.StateIdle {
		l.idle[c] = time.Now()
	} else {
		delete(l.idle, c)
	}
}

// serverConn is a connection the listener handed out. It gives its slot
// back once, when closed, and it mends the few responses net/http writes
// by itself, without the handler, when it cannot read a request (400,
// 431, 501): they get the security headers, and a 431 caused by a request
// line longer than the header limit becomes the 400 that RFC 9112 §3
// asks for (Go cannot tell a long request line from long headers).
type serverConn struct {
	net.Conn
	once    sync.Once
	release func()

	mu     sync.Mutex
	sawEOL bool // a '\n' was read since the last response was written
}

func (c *serverConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

func (c *serverConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && bytes.IndexByte(p[:n], '\n') >= 0 {
		c.mu.Lock()
		c.sawEOL = true
		c.mu.Unlock()
	}
	return n, err
}

func (c *serverConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	lineTooLong := !c.sawEOL
	c.sawEOL = false
	c.mu.Unlock()
	if q, ok := mendGoError(p, lineTooLong); ok {
		if _, err := c.Conn.Write(q); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// goErrorHeaders is what net/http writes after the status line of the
// responses it makes itself; the handler's responses always carry a
// Content-Security-Policy, and sorted header order never puts Connection
// right after Content-Type, so they cannot match.
const goErrorHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

// mendGoError rewrites p if it is one of net/http's own error responses.
func mendGoError(p []byte, lineTooLong bool) ([]byte, bool) {
	const proto = "HTTP/1.1 "
	status, rest, ok := bytes.Cut(p, []byte(goErrorHeaders))
	if !ok || !bytes.HasPrefix(status, []byte(proto)) || bytes.Contains(p, []byte("Content-Security-Policy")) {
		return nil, false
	}
	if bytes.HasPrefix(status[len(proto):], []byte("431 ")) && lineTooLong {
		status, rest = []byte(proto+"400 Bad Request"), []byte("400 Bad Request: request line too long")
	}
	var b bytes.Buffer
	b.Write(status)
	for _, k := range slices.Sorted(maps.Keys(securityHeaders)) {
		b.WriteString("\r\n" + k + ": " + securityHeaders[k])
	}
	b.WriteString(goErrorHeaders)
	b.Write(rest)
	return b.Bytes(), true
}
