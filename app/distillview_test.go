package app

import (
	"encoding/json"
	"math"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/distill"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// distillState is the page's distillation example: teacher and student
// logits at T = 4 for three tokens, the last one masked.
func distillState() State {
	s := defaultState()
	s.P = [][]string{{"3.2", "-1", "0.5", "7.7"}, {"1", "2", "0", "0"}, {"0", "0", "5", "1"}}
	s.Q = [][]string{{"2.9", "-0.4", "0.1", "6"}, {"0", "1", "0", "2"}, {"1", "1", "1", "1"}}
	s.PForm, s.QForm, s.PTemp, s.QTemp = compute.FormLogits, compute.FormLogits, "4", "4"
	s.Mask, s.Beta, s.Flavor, s.View = "1,1,0", "0.3", distill.GKD, viewDistill
	return s
}

func distillPage(t *testing.T, s State) (string, flavorData) {
	t.Helper()
	c := newCalculator()
	c.state = s
	c.guard(c.recompute)
	if c.result == nil {
		t.Fatalf("no result: %q %v", c.inputErr, c.cellErrs)
	}
	return app.HTMLString(c.renderView()), c.tab.flavors
}

// TestDistillViewHooks: #flavors has one [data-flavor][data-value] row per
// flavour, with compute/distill's values on the tab's input.
func TestDistillViewHooks(t *testing.T) {
	page, d := distillPage(t, distillState())
	if d.Err != "" {
		t.Fatal(d.Err)
	}
	want, err := distill.Compute(distill.Input{Teacher: d.In.Teacher, Student: d.In.Student, Mask: []bool{true, true, false}, Beta: 0.3, T: 4})
	if err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile(`<tr[^>]*data-flavor="([^"]+)"[^>]*>`).FindAllStringSubmatch(page, -1)
	if len(rows) != len(distill.Flavors()) {
		t.Fatalf("%d flavour rows, want %d", len(rows), len(distill.Flavors()))
	}
	for i, r := range rows {
		if r[1] != want[i].Flavor.String() || !strings.Contains(r[0], `data-value="`+compute.FormatFloat(want[i].Value)+`"`) {
			t.Errorf("row %d: %s, want %s = %v", i, r[0], want[i].Flavor, want[i].Value)
		}
	}
	for _, s := range []string{`id="flavor-detail" data-flavor="gkd"`, "generalized_jsd_loss", "beta = 0.3", "labels = torch.tensor([0, 0, -100])"} {
		if !strings.Contains(page, s) && !strings.Contains(strings.ReplaceAll(page, `data-flavor="gkd" id="flavor-detail"`, `id="flavor-detail" data-flavor="gkd"`), s) {
			t.Errorf("the tab lacks %q", s)
		}
	}
}

// TestDistillViewErrors: a mask of the wrong length, a bad β and shapes
// that differ are said in words, in the tab, and nothing else breaks.
func TestDistillViewErrors(t *testing.T) {
	for _, tc := range []struct {
		edit func(s *State)
		want string
	}{
		{func(s *State) { s.Mask = "1,0" }, "The mask has 2 values for 3 rows"},
		{func(s *State) { s.Mask = "1,2,0" }, `Mask value 2 is "2"`},
		{func(s *State) { s.Beta = "1.5" }, `β must be a number from 0 to 1, not "1.5"`},
		{func(s *State) { s.Q = s.Q[:1] }, "P is (3, 4), Q is (1, 4)"},
	} {
		s := distillState()
		tc.edit(&s)
		page, d := distillPage(t, s)
		if !strings.Contains(d.Err, tc.want) || !strings.Contains(page, "distill-error") {
			t.Errorf("error %q, want %q", d.Err, tc.want)
		}
	}
}

// TestDistillKeys: flavor, mask and beta round-trip through the link; an
// unknown flavour is a link error naming the valid ones.
func TestDistillKeys(t *testing.T) {
	s := distillState()
	enc := s.Encode()
	for _, kv := range []string{"flavor=gkd", "mask=1,1,0", "beta=0.3", "tab=distill"} {
		if !strings.Contains(enc, kv) {
			t.Errorf("%q lacks %s", enc, kv)
		}
	}
	got, err := DecodeState(enc)
	if err != nil || got.Flavor != s.Flavor || got.Mask != s.Mask || got.Beta != s.Beta || got.View != viewDistill {
		t.Errorf("decoded %+v (%v)", got, err)
	}
	if _, err := DecodeState("flavor=kl"); err == nil || !strings.Contains(err.Error(), "torchtune-fkl") {
		t.Errorf("flavor=kl: %v", err)
	}
}

// flavorDriver runs each flavour's snippet and returns loss.item().
const flavorDriver = `
import contextlib, io, json, sys, traceback
out = []
for src in json.load(sys.stdin):
    ns = {}
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(src, ns)
        out.append(repr(float(ns["loss"])))
    except Exception:
        out.append("error: " + traceback.format_exc())
json.dump(out, sys.stdout)
`

// TestFlavorSnippets runs every flavour's snippet in PyTorch 1.13.1 on
// several inputs (a mask, β at 0, 0.3 and 1, a single row, probabilities
// standing in for logits) and checks that it prints the tab's value.
func TestFlavorSnippets(t *testing.T) {
	if exec.Command("/usr/bin/python3", "-c", "import torch").Run() != nil {
		t.Skip("no PyTorch in /usr/bin/python3")
	}
	var states []State
	for _, beta := range []string{"0", "0.3", "1"} {
		s := distillState()
		s.Beta = beta
		states = append(states, s)
	}
	one := distillState()
	one.P, one.Q, one.Mask = one.P[:1], one.Q[:1], ""
	states = append(states, one)
	prob := defaultState()
	prob.View = viewDistill
	states = append(states, prob)
	var codes []string
	var want []float64
	for _, s := range states {
		_, d := distillPage(t, s)
		if d.Err != "" {
			t.Fatal(d.Err)
		}
		for _, v := range d.Values {
			codes = append(codes, flavorSnippet(v.Flavor, d.In))
			want = append(want, v.Value)
		}
	}
	var got []string
	data, _ := json.Marshal(codes)
	cmd := exec.Command("/usr/bin/python3", "-c", flavorDriver)
	cmd.Stdin = strings.NewReader(string(data))
	res, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(res, &got); err != nil {
		t.Fatal(err)
	}
	for i, g := range got {
		v, err := strconv.ParseFloat(g, 64)
		if err != nil {
			t.Fatalf("snippet %d: %s\n%s", i, g, codes[i])
		}
		if !(math.Abs(v-want[i]) <= 1e-12*math.Max(1, math.Abs(want[i]))) && !(math.IsNaN(v) && math.IsNaN(want[i])) {
			t.Errorf("snippet %d prints %v, the tab %v:\n%s", i, v, want[i], codes[i])
		}
	}
}
