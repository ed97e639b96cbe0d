package torchcpu

import (
	"bufio"
	"compress/gzip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// vector is one line of a corpus file: its fields as bit patterns, and
// the section (the last '# ' comment above it) it belongs to.
type vector struct {
	section string
	line    int
	v       []uint64
}

// readVectors reads testdata/dir/name.txt.gz, written by gen.py there from
// torch 1.13 (sleef) or glibc 2.36 (libm, and sleef's fmaf), and checks that
// every line has fields numbers.
func readVectors(t *testing.T, dir, name string, fields int) []vector {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", dir, name+".txt.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	section := ""
	sc := bufio.NewScanner(zr)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if s, ok := strings.CutPrefix(line, "# "); ok {
			section = s
			continue
		}
		words := strings.Fields(line)
		if len(words) != fields {
			t.Fatalf("%s:%d: want %d fields: %q", name, n, fields, line)
		}
		v := make([]uint64, fields)
		for i, w := range words {
			if v[i], err = strconv.ParseUint(w, 16, 64); err != nil {
				t.Fatalf("%s:%d: %v", name, n, err)
			}
		}
		vs = append(vs, vector{section, n, v})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if err := zr.Close(); err != nil {
		t.Fatal(err)
	}
	if len(vs) < 3000 {
		t.Fatalf("%s: only %d vectors", name, len(vs))
	}
	return vs
}
