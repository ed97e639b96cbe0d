//go:build !js

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/klcalc/klcalc/cmd/internal/e2e"
)

// Budgets of row 6 (issue 10).
const (
	budgetTBT = 500.0 // Lighthouse's total blocking time, desktop preset, ms
)

// lighthouseRun is what one Lighthouse report says.
type lighthouseRun struct {
	Scores     map[string]float64 // category id → score (0 to 1)
	TBT, LCP   float64            // ms
	LCPElement string             // Lighthouse's selector of the largest contentful paint
	LCPLabel   string
}

// lhReport is the part of Lighthouse's JSON report read here.
type lhReport struct {
	Categories map[string]struct {
		Score *float64 `json:"score"`
	} `json:"categories"`
	Audits map[string]struct {
		NumericValue float64         `json:"numericValue"`
		Details      json.RawMessage `json:"details"`
	} `json:"audits"`
}

// lcpElement digs the node out of the largest-contentful-paint-element
// audit: a list of tables, the first of which holds the node.
func lcpElement(details json.RawMessage) (selector, label string) {
	var d struct {
		Items []struct {
			Items []struct {
				Node struct {
					Selector  string `json:"selector"`
					NodeLabel string `json:"nodeLabel"`
				} `json:"node"`
			} `json:"items"`
		} `json:"items"`
	}
	if json.Unmarshal(details, &d) != nil {
		return "", ""
	}
	for _, t := range d.Items {
		for _, it := range t.Items {
			if it.Node.Selector != "" {
				return it.Node.Selector, it.Node.NodeLabel
			}
		}
	}
	return "", ""
}

// lighthouse runs the npm lighthouse of cmd/klbench/npm once against url,
// with the desktop preset, in headless Chromium with the end-to-end tests'
// flags and a fresh profile.
func (b *bench) lighthouse(url string) (lighthouseRun, error) {
	var run lighthouseRun
	out := filepath.Join(b.work, "lighthouse.json")
	flags := e2e.HeadlessFlags()
	cmd := exec.CommandContext(b.ctx, b.cfg.Lighthouse, url, "--preset=desktop", "--quiet",
		"--chrome-flags="+strings.Join(flags, " "), "--output=json", "--output-path="+out)
	cmd.Env = append(os.Environ(), "CHROME_PATH="+b.cfg.Chrome)
	if o, err := cmd.CombinedOutput(); err != nil {
		return run, fmt.Errorf("%s: %v\n%s", b.cfg.Lighthouse, err, o)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return run, err
	}
	var r lhReport
	if err := json.Unmarshal(data, &r); err != nil {
		return run, fmt.Errorf("reading Lighthouse's report: %w", err)
	}
	run.Scores = map[string]float64{}
	for id, c := range r.Categories {
		if c.Score != nil {
			run.Scores[id] = *c.Score
		}
	}
	run.TBT = r.Audits["total-blocking-time"].NumericValue
	run.LCP = r.Audits["largest-contentful-paint"].NumericValue
	run.LCPElement, run.LCPLabel = lcpElement(r.Audits["largest-contentful-paint-element"].Details)
	return run, nil
}

// rowLighthouse is row 6: Lighthouse's accessibility, best-practice and
// SEO scores, its total blocking time and its largest contentful paint,
// for the default page, over several runs.
func (b *bench) rowLighthouse() {
	b.logf("row 6: Lighthouse (%s)", b.cfg.Lighthouse)
	sec := section{Title: "6. Lighthouse", Method: fmt.Sprintf(`npm lighthouse %s (cmd/klbench/npm, pinned by its package-lock.json) against `+"`klcalc serve`"+` on
loopback, the default page (`+"`/`"+`), with `+"`--preset=desktop`"+` and headless Chromium with the flags of cmd/internal/e2e
(a fresh profile each run). %d run(s); the scores are the lowest of the runs, the total blocking time the median.
The largest contentful paint is "the result" when Lighthouse's element is #result, the value.`, lighthouseVersion(b.cfg.Lighthouse), b.n.Lighthouse)}
	sec.Lines = append(sec.Lines, "| run | accessibility | best practices | SEO | performance | TBT | LCP | LCP element |", "|---|---|---|---|---|---|---|---|")
	var runs []lighthouseRun
	for i := range b.n.Lighthouse {
		r, err := b.lighthouse(b.app.URL + "/")
		if err != nil {
			b.problem("Lighthouse run %d: %v", i+1, err)
			continue
		}
		runs = append(runs, r)
		sec.Lines = append(sec.Lines, fmt.Sprintf("| %d | %.0f | %.0f | %.0f | %.0f | %s | %s | `%s` (%s) |", i+1,
			r.Scores["accessibility"]*100, r.Scores["best-practices"]*100, r.Scores["seo"]*100, r.Scores["performance"]*100,
			fmtMs(r.TBT), fmtMs(r.LCP), r.LCPElement, short(r.LCPLabel, 60)))
		b.logf("  run %d: a11y %.0f, BP %.0f, SEO %.0f, TBT %s, LCP %s on %s", i+1, r.Scores["accessibility"]*100,
			r.Scores["best-practices"]*100, r.Scores["seo"]*100, fmtMs(r.TBT), fmtMs(r.LCP), r.LCPElement)
	}
	b.rep.Sections = append(b.rep.Sections, sec)
	if len(runs) == 0 {
		for _, id := range []string{"6a", "6b", "6c"} {
			b.rep.Rows = append(b.rep.Rows, summaryRow{ID: id, What: "Lighthouse", Figure: "—", Baseline: "—", Ratio: "—", Budget: "—", Verdict: verdictError, Note: "no Lighthouse run completed"})
		}
		return
	}
	low := map[string]float64{}
	var tbts []float64
	lcpResult := 0
	var others []string
	for _, r := range runs {
		for _, c := range []string{"accessibility", "best-practices", "seo"} {
			if v, ok := low[c]; !ok || r.Scores[c] < v {
				low[c] = r.Scores[c]
			}
		}
		tbts = append(tbts, r.TBT)
		if strings.Contains(r.LCPElement, "#result") {
			lcpResult++
		} else {
			others = append(others, fmt.Sprintf("`%s` (%s)", r.LCPElement, short(r.LCPLabel, 80)))
		}
	}
	sort.Float64s(tbts)
	scores := summaryRow{ID: "6a", What: "Lighthouse accessibility, best practices, SEO (desktop)", Baseline: "—", Ratio: "—", Budget: "100 each",
		Figure:  fmt.Sprintf("%.0f, %.0f, %.0f (lowest of %d runs)", low["accessibility"]*100, low["best-practices"]*100, low["seo"]*100, len(runs)),
		Verdict: verdictPass}
	for _, c := range []string{"accessibility", "best-practices", "seo"} {
		if low[c] < 1 {
			scores.Verdict = verdictFail
			scores.Note += fmt.Sprintf("%s scored %.0f. ", c, low[c]*100)
		}
	}
	tbt := summaryRow{ID: "6b", What: "Lighthouse total blocking time (desktop)", Baseline: "—", Ratio: "—", Budget: "≤ " + fmtMs(budgetTBT),
		Figure: fmt.Sprintf("%s (median of %d; %s to %s)", fmtMs(median(tbts)), len(tbts), fmtMs(tbts[0]), fmtMs(tbts[len(tbts)-1]))}
	tbt.Verdict = atMost(median(tbts), budgetTBT)
	lcp := summaryRow{ID: "6c", What: "Largest contentful paint is the result", Baseline: "—", Ratio: "—", Budget: "#result in every run",
		Figure: fmt.Sprintf("#result in %d of %d runs", lcpResult, len(runs)), Verdict: verdictPass}
	if lcpResult < len(runs) {
		lcp.Verdict = verdictFail
		lcp.Note = "Lighthouse's largest contentful paint was " + strings.Join(dedupe(others), ", ") + ": a block of text larger than the printed value."
	}
	b.rep.Rows = append(b.rep.Rows, scores, tbt, lcp)
}

func dedupe(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// lighthouseVersion is what "lighthouse --version" prints, or "?".
func lighthouseVersion(bin string) string {
	cmd := exec.Command(bin, "--version")
	cmd.WaitDelay = 10 * time.Second
	if out, err := cmd.Output(); err == nil {
		return strings.TrimSpace(string(out))
	}
	return "?"
}
