package app

import (
	"math"
	"os"
	"regexp"
	"strconv"
	"testing"
)

// themes reads the colour variables of the light (:root) and dark
// (prefers-color-scheme: dark) themes from web/calc.css; the dark theme
// inherits what it does not set.
func themes(t *testing.T) map[string]map[string]string {
	t.Helper()
	css, err := os.ReadFile("../web/calc.css")
	if err != nil {
		t.Fatal(err)
	}
	decl := regexp.MustCompile(`--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})`)
	read := func(block string, into map[string]string) {
		for _, m := range decl.FindAllStringSubmatch(block, -1) {
			into[m[1]] = m[2]
		}
	}
	s := string(css)
	light, dark := map[string]string{}, map[string]string{}
	darkAt := regexp.MustCompile(`@media \(prefers-color-scheme: dark\)`).FindAllStringIndex(s, -1)
	if len(darkAt) == 0 {
		t.Fatal("no dark theme in calc.css")
	}
	// Light: every declaration outside the dark media blocks; dark: light
	// overridden by the declarations inside them.
	prev := 0
	var darkBlocks []string
	for _, at := range darkAt {
		read(s[prev:at[0]], light)
		end := at[1]
		depth := 0
		for i := at[1]; i < len(s); i++ {
			if s[i] == '{' {
				depth++
			}
			if s[i] == '}' {
				depth--
				if depth == 0 {
					end = i + 1
					break
				}
			}
		}
		darkBlocks = append(darkBlocks, s[at[1]:end])
		prev = end
	}
	read(s[prev:], light)
	for k, v := range light {
		dark[k] = v
	}
	for _, b := range darkBlocks {
		read(b, dark)
	}
	return map[string]map[string]string{"light": light, "dark": dark}
}

// luminance is the WCAG relative luminance of #rrggbb.
func luminance(hex string) float64 {
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		s := float64(v) / 255
		if s <= 0.03928 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// Every text colour meets WCAG AA (4.5:1) on the backgrounds it is used
// on, in both themes; the focus ring and chart colours meet 3:1 (non-text).
func TestContrastAA(t *testing.T) {
	text := [][2]string{
		{"fg", "bg"}, {"fg", "panel"}, {"muted", "bg"}, {"muted", "panel"},
		{"accent", "bg"}, {"accent", "panel"}, {"warn-fg", "warn-bg"}, {"err-fg", "err-bg"},
		{"inf", "panel"}, {"nan", "panel"}, {"inf", "err-bg"}, {"nan", "err-bg"}, {"fg", "err-bg"},
	}
	nonText := [][2]string{{"focus", "bg"}, {"focus", "panel"}, {"chart-p", "panel"}, {"chart-q", "panel"}, {"chart-pos", "panel"}, {"chart-neg", "panel"}}
	for name, th := range themes(t) {
		check := func(pairs [][2]string, min float64) {
			for _, p := range pairs {
				a, b := th[p[0]], th[p[1]]
				if p[0] == "chart-p" && a == "" {
					a = th["accent"] // --chart-p: var(--accent)
				}
				if a == "" || b == "" {
					t.Errorf("%s: --%s or --%s is not set", name, p[0], p[1])
					continue
				}
				if c := contrast(a, b); c < min {
					t.Errorf("%s: --%s %s on --%s %s: contrast %.2f < %.1f", name, p[0], a, p[1], b, c, min)
				}
			}
		}
		check(text, 4.5)
		check(nonText, 3)
	}
}
