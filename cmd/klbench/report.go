//go:build !js

package main

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// verdict is the outcome of one figure against its budget.
type verdict int

const (
	verdictInfo    verdict = iota // no budget: reported for information
	verdictPass                   // within the budget
	verdictFail                   // the budget is missed
	verdictError                  // not measured: a timeout or an error
	verdictSkipped                // not run (-only)
)

func (v verdict) String() string {
	switch v {
	case verdictPass:
		return "PASS"
	case verdictFail:
		return "**FAIL**"
	case verdictError:
		return "**NOT MEASURED**"
	case verdictSkipped:
		return "not run"
	}
	return "info"
}

// atMost checks value ≤ limit; a missing value (NaN) is an error.
func atMost(value, limit float64) verdict {
	switch {
	case math.IsNaN(value):
		return verdictError
	case value <= limit:
		return verdictPass
	}
	return verdictFail
}

// summaryRow is one line of the summary table.
type summaryRow struct {
	ID       string // "1", "3b", ...
	What     string
	Figure   string // what was measured
	Baseline string // what it is compared with, measured in the same run
	Ratio    string
	Budget   string
	Verdict  verdict
	Note     string // for a missed budget: the gap and, if known, the cause; for an error: what went wrong
}

// section is the detailed part of the results of one row of the issue.
type section struct {
	Title  string
	Method string   // how it was measured (markdown paragraphs)
	Lines  []string // tables and notes (markdown lines)
}

// machine describes where the results were measured.
type machine struct {
	CPU      string
	Cores    int
	OS       string
	Go       string
	Chromium string
	Node     string
	Load     string // /proc/loadavg at the start and the end of the run
}

// report is everything RESULTS.md holds.
type report struct {
	Date     time.Time
	Quick    bool
	Command  string
	Elapsed  time.Duration
	Machine  machine
	Rows     []summaryRow
	Sections []section
	Problems []string // harness errors: what could not be measured and why
}

// markdown renders the report as RESULTS.md.
func (r *report) markdown() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Performance results (issue 5)\n\n")
	w("Written by `make bench` (`%s`); every run replaces this file, and the committed copy is the last run. ", r.Command)
	w("The harness is [cmd/klbench](.) (see its package documentation in main.go for the method of each row).\n\n")
	run := "full"
	if r.Quick {
		run = "**quick** (`-quick`: few repetitions, so the figures are indicative only)"
	}
	w("- Date: %s\n", r.Date.UTC().Format("2006-01-02 15:04 MST"))
	w("- Run: %s, %s\n", run, r.Elapsed.Round(time.Second))
	m := r.Machine
	w("- Machine: %s, %d logical cores, %s; shared and noisy, so every figure is compared with a baseline measured in the same run, interleaved (ABAB…), and medians are reported\n",
		orUnknown(m.CPU), m.Cores, orUnknown(m.OS))
	if m.Load != "" {
		w("- Load average (1, 5, 15 min) of the machine: %s\n", m.Load)
	}
	w("- Versions: %s · %s · Node.js %s\n\n", orUnknown(m.Go), orUnknown(m.Chromium), orUnknown(m.Node))

	w("## Summary\n\n")
	w("| # | What | Measured | Baseline (same run) | Ratio | Budget | Result |\n")
	w("|---|---|---|---|---|---|---|\n")
	for _, row := range r.Rows {
		w("| %s | %s | %s | %s | %s | %s | %s |\n", cell(row.ID), cell(row.What), cell(row.Figure), cell(row.Baseline),
			cell(row.Ratio), cell(row.Budget), row.Verdict)
	}
	w("\n")
	// The notes of the rows with a verdict, under a heading if there are any.
	notes := func(v verdict, heading string) bool {
		listed := false
		for _, row := range r.Rows {
			if row.Verdict != v {
				continue
			}
			if !listed {
				w("### %s\n\n", heading)
				listed = true
			}
			w("- **#%s %s**: %s\n", row.ID, row.What, orUnknown(row.Note))
		}
		if listed {
			w("\n")
		}
		return listed
	}
	if !notes(verdictFail, "Budgets missed") {
		w("Every measured figure is within its budget.\n\n")
	}
	notes(verdictError, "Not measured")
	for _, s := range r.Sections {
		w("## %s\n\n", s.Title)
		if s.Method != "" {
			w("%s\n\n", strings.TrimSpace(s.Method))
		}
		for _, l := range s.Lines {
			w("%s\n", l)
		}
		if len(s.Lines) > 0 {
			w("\n")
		}
	}
	if len(r.Problems) > 0 {
		w("## Problems during the run\n\n")
		for _, p := range r.Problems {
			w("- %s\n", cell(p))
		}
		w("\n")
	}
	return b.String()
}

func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return "unknown"
	}
	return s
}

// cell makes text safe inside a markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\r", "")
	return strings.ReplaceAll(s, "\n", " ")
}

// table renders a markdown table.
func table(header []string, rows [][]string) []string {
	esc := func(cs []string) string {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = cell(c)
		}
		return "| " + strings.Join(out, " | ") + " |"
	}
	lines := []string{esc(header), "|" + strings.Repeat("---|", len(header))}
	for _, r := range rows {
		lines = append(lines, esc(r))
	}
	return lines
}

// fmtMs writes a duration in milliseconds with a precision that suits it.
func fmtMs(ms float64) string {
	switch {
	case math.IsNaN(ms):
		return "—"
	case ms >= 10000:
		return fmt.Sprintf("%.1f s", ms/1000)
	case ms >= 100:
		return fmt.Sprintf("%.0f ms", ms)
	case ms >= 10:
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.2f ms", ms)
}

// fmtMsList writes raw samples, for the details.
func fmtMsList(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		switch {
		case math.IsNaN(x):
			parts[i] = "timeout"
		case x >= 100:
			parts[i] = fmt.Sprintf("%.0f", x)
		default:
			parts[i] = fmt.Sprintf("%.1f", x)
		}
	}
	return strings.Join(parts, ", ")
}

// fmtBytes writes a size exactly and in decimal megabytes or kilobytes.
func fmtBytes(n int64) string {
	switch {
	case n < 0:
		return "—"
	case n >= 1_000_000:
		return fmt.Sprintf("%s B (%.2f MB)", group(int(n)), float64(n)/1e6)
	case n >= 1000:
		return fmt.Sprintf("%s B (%.1f kB)", group(int(n)), float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

// fmtRatio writes a ratio as "1.15×".
func fmtRatio(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	return fmt.Sprintf("%.2f×", x)
}

// ratioGap describes how far a ratio is over its budget.
func ratioGap(r, limit float64) string {
	return fmt.Sprintf("%s against ≤ %s: %.1f %% over the budget", fmtRatio(r), fmtRatio(limit), (r/limit-1)*100)
}

// msGap describes how far a time is over its budget.
func msGap(ms, limit float64) string {
	return fmt.Sprintf("%s against ≤ %s (%.1f× the budget)", fmtMs(ms), fmtMs(limit), ms/limit)
}
