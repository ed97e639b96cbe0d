package app

import (
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"
)

// The CSV files read back with Python's and Go's CSV readers, one line per
// term (or row), with numbers Python's float() parses.
func TestDownloadCSV(t *testing.T) {
	st, _ := DecodeState("p=0.5,0.5;0.9,0.1&q=1,0;0.5,0.5&reduction=sum")
	c := newCalculator()
	c.state, c.ready = st, true
	c.guard(c.recompute)
	if c.result == nil {
		t.Fatal(c.inputErr)
	}
	recs, err := csv.NewReader(strings.NewReader(breakdownCSV(c.result))).ReadAll()
	if err != nil || len(recs) != 1+4 {
		t.Fatalf("terms CSV: %d records, %v", len(recs), err)
	}
	if got := strings.Join(recs[0], ","); got != "row,class,p,q,log_p,log_q,term,special" {
		t.Errorf("header %q", got)
	}
	if recs[2][6] != "inf" || recs[2][7] != "SpecialQZero" || recs[2][0] != "1" || recs[2][1] != "2" {
		t.Errorf("the +∞ term's line is %q", recs[2])
	}
	for _, rec := range recs[1:] {
		for _, f := range rec[2:7] {
			if _, err := strconv.ParseFloat(f, 64); err != nil {
				t.Errorf("field %q is not a number Python reads: %v", f, err)
			}
		}
	}
	rows, err := csv.NewReader(strings.NewReader(rowsCSV(c.result))).ReadAll()
	if err != nil || len(rows) != 1+2+1 || rows[1][1] != "inf" || rows[3][0] != "sum" {
		t.Errorf("rows CSV %q, %v", rows, err)
	}
}

func TestPythonList(t *testing.T) {
	for _, tt := range []struct {
		rows [][]string
		want string
		ok   bool
	}{
		{[][]string{{"0.1", "0.4", "0.5"}}, "[0.1, 0.4, 0.5]", true},
		{[][]string{{"1", "−2"}, {"inf", "nan"}}, "[[1.0, -2.0], [float('inf'), float('nan')]]", true},
		{[][]string{{"0.1", "x"}}, "", false},
	} {
		if got, ok := pythonList(tt.rows, nil); got != tt.want || ok != tt.ok {
			t.Errorf("pythonList(%q) = %q, %v; want %q, %v", tt.rows, got, ok, tt.want, tt.ok)
		}
	} // A tensor file's values are written as they are, without parsing.
	if got, ok := pythonList(nil, [][]float64{{0.5, math.Inf(-1)}, {1e-7, 2}}); got != "[[0.5, float('-inf')], [1e-07, 2.0]]" || !ok {
		t.Errorf("pythonList of values = %q, %v", got, ok)
	}
}
