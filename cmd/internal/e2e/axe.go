//go:build !js

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// AxeViolation is one rule that axe-core found broken, with the elements
// that break it.
type AxeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"` // CSS selectors of the elements
}

func (v AxeViolation) String() string {
	return fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
}

// AxeSource returns axe-core's axe.min.js, from the file KLCALC_AXE names
// (make test-e2e installs it with npm). Without it the test is skipped,
// or fails when CI is set; call it after SiteDir, which skips the browser
// tests outside make test-e2e.
func AxeSource(t testing.TB) string {
	t.Helper()
	path := os.Getenv("KLCALC_AXE")
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("KLCALC_AXE is not set: run make test-e2e, which installs axe-core with npm")
		}
		t.Skip("KLCALC_AXE is not set: run make test-e2e, which installs axe-core with npm")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading axe-core: %v", err)
	}
	return string(b)
}

// axeRun runs axe-core on the document with the WCAG 2.1 A and AA rules and
// its best practices, and returns the violations as JSON.
const axeRun = `(async () => {
  const r = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    resultTypes: ["violations"],
  });
  return JSON.stringify(r.violations.map(v => ({
    id: v.id, impact: v.impact || "", help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
  })));
})()`

// Axe injects source (AxeSource) into the page, unless it is there
// already, and returns what axe-core finds.
func (p *Page) Axe(t testing.TB, source string) []AxeViolation {
	t.Helper()
	if !Eval[bool](t, p, `typeof axe !== "undefined"`) {
		// Through the DevTools protocol, as the page's CSP admits no
		// script of the test's.
		Eval[any](t, p, source+"\n;0")
	}
	var vs []AxeViolation
	if err := json.Unmarshal([]byte(Eval[string](t, p, axeRun)), &vs); err != nil {
		t.Fatalf("axe-core's answer: %v", err)
	}
	return vs
}
