package app

import (
	"encoding/json"
	"math"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

func rlPage(t *testing.T, s State) (string, rlData) {
	t.Helper()
	s.RLMode = true
	c := newCalculator()
	c.state = s
	c.guard(c.recompute)
	return app.HTMLString(c.renderRL()), c.rl
}

// TestRLModeKeys: mode=rl and its columns round-trip through the link, and
// a link with its own columns does not keep the example's sequence ids.
func TestRLModeKeys(t *testing.T) {
	s := defaultState()
	s.RLMode, s.RL.Preset, s.Mask = true, "verl", "1,1,1,1,0,1,1,1,1,1,1"
	enc := s.Encode()
	for _, kv := range []string{"mode=rl", "logp=-0.21,-1.35", "rl=verl", "mask=1,1,1,1,0", "seq=0,0,0"} {
		if !strings.Contains(enc, kv) {
			t.Errorf("%q lacks %s", enc, kv)
		}
	}
	got, err := DecodeState(enc)
	same := func(a, b string) bool { return strings.Join(splitColumn(a), ",") == strings.Join(splitColumn(b), ",") }
	if err != nil || !got.RLMode || !same(got.RL.LogP, s.RL.LogP) || !same(got.RL.Ref, s.RL.Ref) || !same(got.RL.Seq, s.RL.Seq) ||
		got.RL.Preset != s.RL.Preset || got.Mask != s.Mask {
		t.Errorf("decoded %+v (%v)", got.RL, err)
	}
	got, err = DecodeState("mode=rl&logp=-1,-2&ref=-1.5,-1")
	if err != nil || got.RL.Seq != "" {
		t.Errorf("own columns: %+v (%v)", got.RL, err)
	}
	if _, d := rlPage(t, got); len(d.Errs) != 0 || d.Tokens != 2 {
		t.Errorf("own columns: %+v", d)
	}
}

// TestRLViewHooks: #rl-k1 … hold the preset's values, the per-token cells
// their values, a clamped token its badge, and errors are words.
func TestRLViewHooks(t *testing.T) {
	s := defaultState()
	s.RL = RLState{LogP: "-0.5, -30, -1", Ref: "-0.4, -1, -1.2", Preset: "verl"}
	page, d := rlPage(t, s)
	if len(d.Errs) > 0 {
		t.Fatal(d.Errs)
	}
	for _, key := range []string{"k1", "k2", "k3", "abs", "k3+"} {
		e, ok := findEst(d.Ests, key)
		if !ok {
			t.Fatalf("verl has no %s", key)
		}
		re := regexp.MustCompile(`<span[^>]*id="rl-` + regexp.QuoteMeta(key) + `"[^>]*>`)
		if tag := re.FindString(page); !strings.Contains(tag, `data-value="`+strconv.FormatFloat(e.Reduced, 'g', -1, 64)) {
			t.Errorf("#rl-%s is %q, want %v", key, tag, e.Reduced)
		}
	}
	// Token 2 has log r = 29: verl's low_var_kl clamps it to 10.
	if !strings.Contains(page, `data-clamped="1"`) {
		t.Error("no clamped badge for log r = 29")
	}
	if !strings.Contains(page, "estimates KL(π ‖ π_ref)") {
		t.Error("no direction label")
	}
	for _, tc := range []struct {
		s    RLState
		mask string
		want string
	}{
		{RLState{LogP: "-1, x", Ref: "-1, -1"}, "", `log π, value 2: "x" is not a number.`},
		{RLState{LogP: "-1, -2", Ref: "-1"}, "", "log π_ref has 1 values; it needs 2"},
		{RLState{LogP: "-1, -2", Ref: "-1, -1"}, "1, 2", `Mask, value 2: "2" must be 1 or 0.`},
		{RLState{LogP: "", Ref: ""}, "", "log π is empty"},
	} {
		st := defaultState()
		st.RL, st.Mask = tc.s, tc.mask
		if _, d := rlPage(t, st); len(d.Errs) == 0 || !strings.Contains(strings.Join(d.Errs, " "), tc.want) {
			t.Errorf("%+v: errors %q, want %q", tc.s, d.Errs, tc.want)
		}
	}
}

// TestRLSnippets runs every preset's snippet in PyTorch 1.13.1 and checks
// that it prints each of the page's values to the last bit.
func TestRLSnippets(t *testing.T) {
	if exec.Command("/usr/bin/python3", "-c", "import torch").Run() != nil {
		t.Skip("no PyTorch in /usr/bin/python3")
	}
	var codes []string
	var want []map[string]float64
	for _, key := range rlPresetKeys() {
		for _, dt := range []string{"float32", "float64"} {
			s := defaultState()
			s.RL.Preset, s.Mask = key, "1,1,1,1,0,1,1,1,1,1,0"
			if dt == "float64" {
				s.DType = 1
			}
			_, d := rlPage(t, s)
			if len(d.Errs) > 0 {
				t.Fatal(d.Errs)
			}
			codes = append(codes, d.Snippet)
			w := map[string]float64{}
			for _, e := range d.Ests {
				w[e.Key] = e.Reduced
			}
			want = append(want, w)
		}
	}
	driver := `
import contextlib, io, json, sys, traceback
out = []
for src in json.load(sys.stdin):
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            exec(src, {})
        out.append({l.split()[0]: repr(float(l.split()[1])) for l in buf.getvalue().splitlines()})
    except Exception:
        out.append({"error": traceback.format_exc()})
json.dump(out, sys.stdout)
`
	data, _ := json.Marshal(codes)
	cmd := exec.Command("/usr/bin/python3", "-c", driver)
	cmd.Stdin = strings.NewReader(string(data))
	res, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]string
	if err := json.Unmarshal(res, &got); err != nil {
		t.Fatal(err)
	}
	for i := range codes {
		if e, ok := got[i]["error"]; ok {
			t.Fatalf("snippet %d: %s\n%s", i, e, codes[i])
		}
		for k, w := range want[i] {
			g, err := strconv.ParseFloat(got[i][strconv.Quote(k)[1:len(k)+1]], 64)
			if err != nil || (math.Float64bits(g) != math.Float64bits(w) && !(math.IsNaN(g) && math.IsNaN(w))) {
				t.Errorf("snippet %d %s prints %v (%v), the page %v:\n%s", i, k, got[i][k], err, w, codes[i])
			}
		}
	}
}

// TestRLExact: with full distributions per token, the exact KL(π ‖ π_ref)
// per token is PyTorch's F.kl_div(log_softmax(π_ref), log_softmax(π),
// reduction='none', log_target=True).sum(-1), in float32 (PyTorch 1.13.1:
// [0.057245366275310516, 0.024676885455846786], mean 0.0409611240029335),
// and each estimate's error against it is shown.
func TestRLExact(t *testing.T) {
	s := defaultState()
	s.RL = RLState{LogP: "-0.3, -1.2", Ref: "-0.5, -1.0", Pi: "2, 0.5, -1; 0.1, 0.2, 0.3", PiRef: "1.5, 0.7, -0.5; 0, 0.5, 0.1"}
	page, d := rlPage(t, s)
	if len(d.Errs) > 0 {
		t.Fatal(d.Errs)
	}
	want := []float64{0.057245366275310516, 0.024676885455846786}
	for i, w := range want {
		if d.Exact[i] != w {
			t.Errorf("exact[%d] = %v, PyTorch %v", i, d.Exact[i], w)
		}
	}
	if math.Abs(d.ExactReduced-(want[0]+want[1])/2) > 1e-17 {
		t.Errorf("exact token mean %v", d.ExactReduced)
	}
	for _, s := range []string{`id="rl-exact"`, "data-exact=", "error against the exact KL"} {
		if !strings.Contains(page, s) {
			t.Errorf("the page lacks %s", s)
		}
	}
	s.RL.PiRef = "1, 2, 3"
	if _, d := rlPage(t, s); !strings.Contains(strings.Join(d.Errs, " "), "π_ref's logits has 1 rows; it needs 2") {
		t.Errorf("errors %q", d.Errs)
	}
	s.RLMode = true
	enc := s.Encode()
	if !strings.Contains(enc, "pi=2,0.5,-1;0.1,0.2,0.3") {
		t.Errorf("link %q", enc)
	}
	if got, err := DecodeState(enc); err != nil || got.RL.Pi != "2,0.5,-1;0.1,0.2,0.3" {
		t.Errorf("decoded %q (%v)", got.RL.Pi, err)
	}
}

// TestRLColumnsFrom: pasted columns by header name, in order without one,
// and a paste with one column refused in words.
func TestRLColumnsFrom(t *testing.T) {
	logp, ref, mask, seq, err := rlColumnsFrom("seq,ref,logp,mask\n0,-0.4,-0.5,1\n0,-1,-30,0\n1,-1.2,-1,1\n")
	if err != nil || logp != "-0.5, -30, -1" || ref != "-0.4, -1, -1.2" || mask != "1, 0, 1" || seq != "0, 0, 1" {
		t.Errorf("header: %q %q %q %q %v", logp, ref, mask, seq, err)
	}
	logp, ref, mask, seq, err = rlColumnsFrom("-0.5\t-0.4\n-30\t-1\n")
	if err != nil || logp != "-0.5, -30" || ref != "-0.4, -1" || mask != "" || seq != "" {
		t.Errorf("no header: %q %q %q %q %v", logp, ref, mask, seq, err)
	}
	_, _, _, _, err = rlColumnsFrom("-0.5\n-30\n")
	if msg := texts(langEN).RL.columnsError(langEN, err); !strings.Contains(msg, "has 1 column(s)") {
		t.Errorf("one column: %q", msg)
	}
}
