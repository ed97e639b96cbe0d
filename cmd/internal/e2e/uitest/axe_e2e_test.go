//go:build !js

package uitest

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/klcalc/klcalc/cmd/internal/e2e"
)

// axe-core (npm, injected into the page) finds no WCAG 2.1 A/AA or
// best-practice violation in the states a user meets, on a desktop and a
// phone, in light and dark, with every tab open.
func TestE2EAxe(t *testing.T) {
	dir := e2e.SiteDir(t) // first: it skips the test outside make test-e2e
	source := e2e.AxeSource(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	s := newUISession(t, b, srv.URL+"/")
	states := []struct{ name, fragment, ready, act string }{
		{"default", "", "#result", ""},
		{"error", "p=0.1,abc,0.5&q=0.2,0.3,0.5", "#error li", ""},
		{"batch", "p=0.5,0.5;0.9,0.1&q=0.25,0.75;0.5,0.5&reduction=batchmean&dims=2", "#result", ""},
		{"Gaussian", "mode=gauss&g=diag&mu1=1,0&s1=2,1&mu2=0,0&s2=1,1", "#gauss-result", ""},
		{"Korean", classicFragment + "&lang=ko", "#result", ""},
		{"none", "p=0.5,0.5;0.9,0.1&q=0.25,0.75;0.5,0.5&reduction=none&dims=2", "#result", ""},
		{"charts tab", classicFragment + "&tab=charts", "#chart-pq", ""},
		{"related tab", classicFragment + "&tab=related", "#related", ""},
		{"libraries tab", "p=0.5,0.5,0,0&q=0.25,0.5,0.25,0&tab=libraries&lang=ko", "#compare", ""},
		{"code tab", classicFragment + "&tab=code", "#snippet", ""},
		// A recovered panic's notice (TestE2EEventPanic).
		{"fault", classicFragment + "&lang=ko", "#fault-dismiss", `(() => {
		  const ev = new Event("drop", {bubbles: true, cancelable: true});
		  Object.defineProperty(ev, "dataTransfer", {value: {files: [42]}});
		  document.querySelector(".page").dispatchEvent(ev);
		})()`},
	}
	for _, vp := range []struct{ w, h int64 }{{1280, 800}, {390, 844}} {
		for _, dark := range []bool{false, true} {
			scheme := "light"
			if dark {
				scheme = "dark"
			}
			if err := chromedp.Do(s.p.Ctx, chromedp.EmulateViewport(vp.w, vp.h)); err != nil {
				t.Fatal(err)
			}
			media := emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}
			if _, err := chromedp.Call(s.p.Ctx, emulation.SetEmulatedMedia, media); err != nil {
				t.Fatal(err)
			}
			for _, st := range states {
				s.open(st.fragment)
				if st.act != "" {
					s.waitFor(st.name, `!!document.querySelector("#result")`)
					e2e.Eval[any](t, s.p, st.act)
				}
				s.waitFor(st.name, `!!document.querySelector(`+jsLit(st.ready)+`)`)
				for _, v := range s.p.Axe(t, source) {
					t.Errorf("%s, %d×%d, %s: %v", st.name, vp.w, vp.h, scheme, v)
				}
			}
		}
	}
}
