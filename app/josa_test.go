package app

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// The particle after a word or number follows its final sound; the
// expected forms are how a Korean reader says them.
func TestJosa(t *testing.T) {
	tests := []struct{ word, particle, want string }{
		{"P", "은", "P는"}, {"Q", "이", "Q가"}, {"M", "은", "M은"}, {"L", "으로", "L로"},
		{"3", "으로", "3으로"}, {"2", "으로", "2로"}, {"1", "으로", "1로"}, {"7", "을", "7을"},
		{"10", "으로", "10으로"}, {"20", "을", "20을"}, {"100", "이", "100이"}, {"1000", "은", "1000은"},
		{"10000", "과", "10000과"}, {"0.5", "이", "0.5가"}, {"0", "은", "0은"}, {"1e-7", "으로", "1e-7로"},
		{"(3,)", "과", "(3,)과"}, {"(2, 4)", "은", "(2, 4)는"}, {"NaN", "이", "NaN이"}, {"+∞", "은", "+∞는"},
		{"행", "으로", "행으로"}, {"열", "으로", "열로"}, {"클래스", "을", "클래스를"}, {"4", "이나", "4나"},
	}
	for _, tt := range tests {
		if got := josa(tt.word, tt.particle); got != tt.want {
			t.Errorf("josa(%q, %q) = %q, want %q", tt.word, tt.particle, got, tt.want)
		}
	}
}

// No Korean text in the app glues a particle to a value that is only known
// at run time (a %s or %d): the particle must come from josa.
func TestNoGluedParticles(t *testing.T) {
	glued := regexp.MustCompile(`%(\[\d+\])?[sdvq](은|는|이|가|을|를|과|와|으로|로|이나)[^가-힣]`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range glued.FindAllIndex(b, -1) {
			line := 1
			for _, c := range b[:m[0]] {
				if c == '\n' {
					line++
				}
			}
			if filepath.Ext(f) == ".go" && !regexp.MustCompile(`_test\.go$`).MatchString(f) {
				t.Errorf("%s:%d: %q glues a particle to a run-time value; use josa", f, line, b[m[0]:m[1]])
			}
		}
	}
}
