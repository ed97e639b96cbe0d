package app

import (
	"regexp"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// renderPage renders the whole calculator for a fragment, as the browser
// would after applying the URL.
func renderPage(t *testing.T, fragment string) string {
	t.Helper()
	c := newCalculator()
	st, _ := DecodeState(fragment)
	c.state, c.ready = st, true
	c.resolveLang()
	c.recompute()
	return app.HTMLString(c)
}

// The Content-Security-Policy forbids inline styles (style-src 'self'), so
// no element may carry a style attribute, or the browser blocks it.
func TestNoInlineStyles(t *testing.T) {
	style := regexp.MustCompile(`\sstyle="`)
	for _, frag := range []string{
		"",
		"p=0.5,0.5;0.9,0.1&q=0.25,0.75;0.5,0&reduction=none",
		"p=0,1&q=-inf,0&q_as=log&lang=ko",
		"mode=gauss&g=normal",
		"mode=gauss&g=vae",
	} {
		html := renderPage(t, frag)
		if loc := style.FindStringIndex(html); loc != nil {
			t.Errorf("%q: inline style at %q", frag, html[max(0, loc[0]-80):min(len(html), loc[1]+40)])
		}
		if !strings.Contains(html, `id="error"`) {
			t.Errorf("%q: no #error element", frag)
		}
	}
}
