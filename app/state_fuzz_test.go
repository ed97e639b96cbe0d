package app

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// decodeFuzzSeeds start the fuzzer from every key, every value of the
// enumerations, the Gaussian mode, and the hostile links of the browser
// tests. testdata/fuzz/FuzzDecodeState is for regressions only: inputs
// that once failed (the fuzzer writes them there); what it merely finds
// stays in the fuzz cache.
var decodeFuzzSeeds = []string{
	"",
	"#",
	readmeURL,
	"#" + readmeURL,
	"p=0.1,0.4,0.5;0.2,0.3,0.5&q=1,2,3&p_as=log&q_as=logits&q_temp=2.5&reduction=none&dtype=float64&dims=2&unit=bits&lang=ko",
	"p=1,0&q=0.5,0.5&p_as=logits&p_temp=0&reduction=elementwise_mean&unit=hartleys&lang=en-US",
	"p=&q=;&reduction=sum",
	"p=,,,&q=;;;",
	"&&&",
	"p",
	"p&q&reduction",
	"=&==&p==1",
	"p=1&p=2&foo=bar",
	"p=%zz,%,%E0%A4%A,%FF,%2C,%3B,%26,%3D",
	"p=%3Cscript%3Ealert(1)%3C%2Fscript%3E&q=%3Cimg%20src%3Dx%20onerror%3Dwindow.pwned%3D1%3E",
	"p=%D9%A0%D9%AB%D9%A5,%E2%88%920.5,%EF%BC%91&q=-0,+0,0x1p-2",
	"p=1e400,-1e400,4.9e-324&q=inf,-INF,NaN",
	"p=%201%20,%09 2&q=1 ,2",
	"lang=xx&dims=0&dtype=float16&mode=xx&unit=nat",
	"mode=gauss",
	"mode=gauss&g=normal&mu1=1&s1=2&mu2=0&s2=1&lang=ko",
	"mode=gauss&g=diag&mu1=1,0,-1&s1=2,1,0.5&mu2=0,0,0&s2=1,1,1",
	"mode=gauss&g=vae&mu=1,2;3&logvar=0,0",
	"mode=gauss&g=vae&mu=1%3B2%0A3&logvar=%0A",
	"g=vae&mu=1&mode=gauss&g=diag",
	"mode=gauss&g=bogus&s1=-1&mu1=nan",
	"mode=kl&g=vae&mu=1",
	"mode=gauss&mode=kl",
	"p=1;2,3;&q=1,2;3",
}

// fuzzHang bounds the time of one fuzzed link, which is at most a few
// kilobytes: everything the page does with it takes milliseconds.
const fuzzHang = 10 * time.Second

// compressLink writes frag as a compressed link in the format Encode uses
// for long states ("z=1" and the URL-safe base64 of its DEFLATE stream),
// so that the fuzzer can reach what hides inside one.
func compressLink(frag string) string {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	w.Write([]byte(frag))
	w.Close()
	return "z=1" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// watchdog makes a hang a failure: the fuzzing engine records the input
// that made its worker crash.
func watchdog(what string) *time.Timer {
	return time.AfterFunc(fuzzHang, func() {
		panic(fmt.Sprintf("%s took more than %v", what, fuzzHang))
	})
}

// FuzzDecodeState checks the share-link codec on arbitrary fragments (and,
// with compress, on the same text inside a compressed link): DecodeState
// never panics or hangs and reports problems as ErrURL; what it decodes
// respects the limits, encodes to a link that decodes without error to
// the same state (up to what Encode documents it drops), and
// Encode∘DecodeState is a fixed point after one round. The decoded state
// is also turned into compute's problem and computed, as the page does.
//
//	go test -run='^$' -fuzz='^FuzzDecodeState$' -fuzztime=10m ./app
func FuzzDecodeState(f *testing.F) {
	for _, s := range decodeFuzzSeeds {
		f.Add(s, false)
	}
	for _, s := range decodeFuzzSeeds[2:8] {
		f.Add(s, true)
	}
	f.Add(compressLink(readmeURL), false)
	f.Add(compressLink(compressLink(readmeURL)), false) // nested
	f.Add("z=2"+compressLink(readmeURL)[3:], false)     // unknown version
	f.Add("z=1!!", false)
	f.Add(compressLink(strings.Repeat("p=1,", 1000)), false)
	if b, _, ok := defaultState().encodeBinary("", nil, 0); ok {
		f.Add(b, false) // a binary link
		f.Add(b[:len(b)-3], false)
	}
	f.Fuzz(func(t *testing.T, frag string, compress bool) {
		if compress {
			frag = compressLink(frag)
		}
		defer watchdog(fmt.Sprintf("DecodeState(%q)", frag)).Stop()
		s1, err := DecodeState(frag)
		if err != nil && !errors.Is(err, ErrURL) {
			t.Fatalf("DecodeState(%q) error %v does not wrap ErrURL", frag, err)
		}
		checkDecodedLimits(t, frag, s1)

		e1 := s1.Encode()
		s2, err := DecodeState(e1)
		if err != nil {
			t.Fatalf("DecodeState(%q) = %+v\nencodes as %q, which does not decode: %v", frag, s1, e1, err)
		}
		if n1, n2 := normalizeState(s1), normalizeState(s2); !reflect.DeepEqual(n1, n2) {
			t.Fatalf("DecodeState(%q) = %+v\nencodes as %q\nwhich decodes as %+v", frag, n1, e1, n2)
		}
		// One round is a fixed point, exactly.
		if e2 := s2.Encode(); e2 != e1 {
			t.Fatalf("DecodeState(%q).Encode() = %q, but encoding it again gives %q", frag, e1, e2)
		}
		if s3, err := DecodeState(s2.Encode()); err != nil || !reflect.DeepEqual(s3, s2) {
			t.Fatalf("Decode∘Encode is not the identity on %+v: %+v, %v", s2, s3, err)
		}

		// What the page computes from the link must not panic either
		// (recompute, unguarded: both modes, and the other libraries).
		c := newCalculator()
		c.state = s1
		c.recompute()
	})
}

// FuzzStatePage renders the whole page for arbitrary links, as the browser
// does after loading one: no component may panic (Render is not guarded,
// and a panic there stops the WebAssembly runtime) or report an internal
// error. It is slower than FuzzDecodeState; run it on its own:
//
//	go test -run='^$' -fuzz='^FuzzStatePage$' -fuzztime=10m ./app
func FuzzStatePage(f *testing.F) {
	for _, s := range decodeFuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, frag string) {
		defer watchdog(fmt.Sprintf("rendering %q", frag)).Stop()
		s, _ := DecodeState(frag)
		exerciseState(t, s)
	})
}

// checkDecodedLimits checks what DecodeState promises of any state it
// returns: at least one row of at least one cell per side, at most
// maxCells values per side and per Gaussian field, and valid enumerations.
func checkDecodedLimits(t *testing.T, frag string, s State) {
	t.Helper()
	for _, side := range []struct {
		name string
		rows [][]string
	}{{"P", s.textRows(sideP)}, {"Q", s.textRows(sideQ)}} {
		if len(side.rows) == 0 {
			t.Fatalf("DecodeState(%q): %s has no rows", frag, side.name)
		}
		n := 0
		for i, r := range side.rows {
			if len(r) == 0 {
				t.Fatalf("DecodeState(%q): %s row %d has no cells", frag, side.name, i+1)
			}
			n += len(r)
		}
		if n > maxCells {
			t.Fatalf("DecodeState(%q): %s has %d values, more than %d", frag, side.name, n, maxCells)
		}
	}
	g := s.Gauss
	for _, field := range []string{g.Mu1, g.Sigma1, g.Mu2, g.Sigma2, g.Mu, g.LogVar} {
		if n := strings.Count(field, ",") + strings.Count(field, "\n") + 1; n > maxCells {
			t.Fatalf("DecodeState(%q): a Gaussian field has %d values, more than %d", frag, n, maxCells)
		}
	}
	valid := func(what, name string) {
		if strings.Contains(name, "(") {
			t.Fatalf("DecodeState(%q): invalid %s %s", frag, what, name)
		}
	}
	valid("P form", s.PForm.String())
	valid("Q form", s.QForm.String())
	valid("reduction", s.Reduction.String())
	valid("dtype", s.DType.String())
	valid("unit", s.Unit.String())
	valid("Gaussian case", g.Case.String())
	if s.Dims < 0 || s.Dims > 2 {
		t.Fatalf("DecodeState(%q): dims %d", frag, s.Dims)
	}
	if s.Lang != "" && s.Lang != "en" && s.Lang != "ko" {
		t.Fatalf("DecodeState(%q): lang %q", frag, s.Lang)
	}
}

// normalizeState keeps what Encode writes, in the form it writes it: the
// Gaussian mode keeps only its case's fields and the language; the
// discrete mode keeps no Gaussian state, the temperature only of a logits
// side, the effective dims, and cell text without surrounding spaces
// (which parseCell ignores too).
func normalizeState(s State) State {
	if s.Gaussian {
		g := s.Gauss
		if g.Case == gaussVAE {
			g.Mu1, g.Sigma1, g.Mu2, g.Sigma2 = "", "", "", ""
		} else {
			g.Mu, g.LogVar = "", ""
		}
		return State{Gaussian: true, Gauss: g, Lang: s.Lang}
	}
	s.Gauss = GaussState{}
	s.Dims = s.effectiveDims()
	if s.PForm != compute.FormLogits {
		s.PTemp = ""
	}
	if s.QForm != compute.FormLogits {
		s.QTemp = ""
	}
	trim := func(rows [][]string) [][]string {
		out := make([][]string, len(rows))
		for i, r := range rows {
			out[i] = make([]string, len(r))
			for j, c := range r {
				out[i][j] = strings.TrimSpace(c)
			}
		}
		return out
	}
	// A binary link's values and their text are the same state.
	s.P, s.Q = trim(s.textRows(sideP)), trim(s.textRows(sideQ))
	s.PVals, s.QVals = nil, nil
	return s
}

// exerciseState does what the page does with a decoded link: recompute
// (unguarded, so that a panic fails) and render the page. Fuzzed links
// are small, so this stays fast.
func exerciseState(t *testing.T, s State) {
	t.Helper()
	c := newCalculator()
	c.state, c.ready = s, true
	c.resolveLang()
	c.recompute()
	html := app.HTMLString(c)
	for _, internal := range []string{"internal error", "내부 오류"} {
		if i := strings.Index(html, internal); i >= 0 {
			t.Fatalf("state %+v shows %q", s, html[i:min(len(html), i+300)])
		}
	}
}
