package app

import (
	"errors"
	"slices"
	"testing"
)

// TestParseShape: p_shape and q_shape hold 3 or 4 sizes of at least 1
// (README, URL format); anything else is refused.
func TestParseShape(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want []int
	}{
		{"2,3,4", []int{2, 3, 4}},
		{"1, 2, 3, 4", []int{1, 2, 3, 4}},
		{"2,3", nil},            // 2-D is rows × classes: no key
		{"1,2,3,4,5", nil},      // at most 4 dimensions
		{"2,0,4", nil},          // an empty dimension holds no row
		{"2,-1,4", nil},         // negative
		{"2,x,4", nil},          // not a number
		{"1024,1024,1024", nil}, // more values than a side holds
	} {
		got, ok := parseShape(tc.v)
		if ok != (tc.want != nil) || !slices.Equal(got, tc.want) {
			t.Errorf("parseShape(%q) = %v, %v; want %v", tc.v, got, ok, tc.want)
		}
	}
}

// TestRowLabel: row r of shape (2, 3, 4) is row-major over (2, 3): row 5
// is [1, 2] (a derivation: 5 = 1·3 + 2).
func TestRowLabel(t *testing.T) {
	for _, tc := range []struct {
		shape []int
		r     int
		want  string
	}{
		{[]int{2, 3, 4}, 0, "[0, 0]"},
		{[]int{2, 3, 4}, 5, "[1, 2]"},
		{[]int{2, 2, 3, 4}, 7, "[1, 0, 1]"}, // 7 = 1·6 + 0·3 + 1
		{[]int{3, 4}, 2, ""},
		{nil, 0, ""},
	} {
		if got := rowLabel(tc.shape, tc.r); got != tc.want {
			t.Errorf("rowLabel(%v, %d) = %q, want %q", tc.shape, tc.r, got, tc.want)
		}
	}
	if rowName([]int{3, 4}, 2) != "3" || rowName([]int{2, 3, 4}, 5) != "[1, 2]" {
		t.Error("rowName")
	}
}

// TestShapeLink: a side's shape survives the link, its rows must fill it,
// and resizing follows it (a class changes the last dimension, a row drops
// the shape).
func TestShapeLink(t *testing.T) {
	s := defaultState()
	s.P = [][]string{{"0.1", "0.9"}, {"0.5", "0.5"}, {"0.2", "0.8"}, {"0.3", "0.7"}, {"0.6", "0.4"}, {"1", "0"}}
	s.Q = s.P
	s.PShape, s.QShape = []int{2, 3, 2}, []int{2, 3, 2}
	got, err := DecodeState(s.Encode())
	if err != nil || !slices.Equal(got.PShape, s.PShape) || !slices.Equal(got.QShape, s.QShape) {
		t.Fatalf("round trip: %v %v, %v", got.PShape, got.QShape, err)
	}
	if _, err := DecodeState("p=1,2&q=1,2&p_shape=2,x,1"); err == nil {
		t.Error("a bad shape was accepted")
	}
	bad := s
	bad.PShape = []int{2, 2, 2}
	_, _, _, _, err = bad.problem()
	var ie *InputError
	if !errors.As(err, &ie) || ie.Problem != inputShape || ie.Want != 4 || ie.WantCols != 2 || ie.Got != 6 || ie.GotCols != 2 {
		t.Errorf("rows that do not fill the shape: %v", err)
	}
	// As many values as the shape, in the wrong rows: the message says
	// rows, not a count that matches.
	flat := bad
	flat.P = [][]string{{"0.1", "0.9", "0.5", "0.5", "0.2", "0.8", "0.3", "0.7"}}
	_, _, _, _, err = flat.problem()
	if want := "P's shape (2, 2, 2) needs 4 rows of 2 values, but it has 1 row of 8"; err == nil || err.Error() != want {
		t.Errorf("one row of 8 for the shape (2, 2, 2): %v, want %q", err, want)
	}
	if ko := inputErrorKO(&InputError{Problem: inputShape, Side: sideP, Got: 1, GotCols: 8, Want: 4, WantCols: 2, Text: "(2, 2, 2)"}); ko != "P의 모양 (2, 2, 2)에는 값 2개짜리 행이 4개 필요한데 지금은 값 8개짜리 행이 1개입니다." {
		t.Errorf("Korean: %q", ko)
	}
	r := s
	r.detach()
	r.resize(sideP, addCol)
	if !slices.Equal(r.PShape, []int{2, 3, 3}) || !slices.Equal(r.QShape, []int{2, 3, 3}) {
		t.Errorf("a class added: %v %v", r.PShape, r.QShape)
	}
	r.resize(sideP, addRow)
	if r.PShape != nil || r.QShape == nil {
		t.Errorf("a row added to P: %v %v", r.PShape, r.QShape)
	}
	w := s
	w.swap()
	if !slices.Equal(w.PShape, s.QShape) {
		t.Error("swap")
	}
}
