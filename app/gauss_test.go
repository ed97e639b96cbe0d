package app

import (
	"errors"
	"fmt"
	"html"
	"math"
	"os/exec"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/textparse"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// gaussRow29 is torch.distributions.kl_divergence(Normal(1., 2.), Normal(0., 1.))
// in float64, and equally the VAE term of μ = 1, log σ² = ln 4
// (docs/kl_div.md §7 row 29).
const gaussRow29 = 1.3068528194400546

// gaussLn4 is math.Log(4) as Go and Python print it.
const gaussLn4 = "1.3862943611198906"

func gaussCloseULPs(got, want float64, ulps int) bool {
	return math.Abs(got-want) <= float64(ulps)*math.Abs(want)*0x1p-52
}

// gaussCalc runs the calculator's recompute on g in the Gaussian mode, as
// an edit does (inside guard).
func gaussCalc(g GaussState, l lang) *calculator {
	c := newCalculator()
	c.state.Gaussian, c.state.Gauss, c.ready, c.lang = true, g, true, l
	c.guard(c.recompute)
	return c
}

// gaussCompute is recompute's Gaussian result for g, and its error.
func gaussCompute(g GaussState) (compute.GaussianResult, error) {
	c := gaussCalc(g, langEN)
	if c.inputErr != nil {
		panic(c.inputErr)
	}
	if c.gaussResult == nil {
		return compute.GaussianResult{}, c.gaussErr
	}
	return *c.gaussResult, c.gaussErr
}

// decodeGaussState is the Gaussian state DecodeState reads from a
// fragment, in the Gaussian mode (mode=gauss is added when it is missing).
func decodeGaussState(fragment string) (GaussState, error) {
	fragment = strings.TrimPrefix(fragment, "#")
	if !strings.Contains(fragment, "mode=gauss") {
		fragment = "mode=gauss&" + fragment
	}
	s, err := DecodeState(fragment)
	return s.Gauss, err
}

func TestGaussComputeRow29(t *testing.T) {
	for _, g := range []GaussState{
		defaultGauss(),
		{Case: gaussNormal, Mu1: "1", Sigma1: "2", Mu2: "0", Sigma2: "1"},
		{Case: gaussDiag, Mu1: "1", Sigma1: "2", Mu2: "0", Sigma2: "1"},
		{Case: gaussVAE, Mu: "1", LogVar: gaussLn4},
		{Case: gaussVAE, Mu: "[[1.]]", LogVar: "tensor([[" + gaussLn4 + "]])"},
	} {
		r, err := gaussCompute(g)
		if err != nil {
			t.Fatalf("%+v: %v", g, err)
		}
		if !gaussCloseULPs(r.Total, gaussRow29, 1) || len(r.Terms) != 1 {
			t.Errorf("%+v: total %v over %d terms, want %v over 1", g, r.Total, len(r.Terms), gaussRow29)
		}
	}
	if got := compute.KLNormal(compute.Normal{Mu: 1, Sigma: 2}, compute.Normal{Mu: 0, Sigma: 1}); !gaussCloseULPs(got, gaussRow29, 1) {
		t.Errorf("compute.KLNormal(N(1,2), N(0,1)) = %v, want %v", got, gaussRow29)
	}
}

// The glue passes the parsed numbers to compute unchanged.
func TestGaussComputeMatchesCompute(t *testing.T) {
	n := func(mu, s float64) compute.Normal { return compute.Normal{Mu: mu, Sigma: s} }
	diag := gaussDefaults(gaussDiag)
	got, err := gaussCompute(diag)
	want, werr := compute.KLDiagNormal([]compute.Normal{n(1, 2), n(0, 1), n(-1, 0.5)}, []compute.Normal{n(0, 1), n(0, 1), n(0, 1)})
	if err != nil || werr != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("diag default: %+v, %v; want %+v, %v", got, err, want, werr)
	}

	vae := gaussDefaults(gaussVAE)
	got, err = gaussCompute(vae)
	want, werr = compute.VAEKL([][]float64{{1, 0}, {0.5, -0.5}}, [][]float64{{math.Log(4), 0}, {-1, 0.5}})
	if err != nil || werr != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("VAE default: %+v, %v; want %+v, %v", got, err, want, werr)
	}
	if !gaussCloseULPs(got.Terms[0].KL, gaussRow29, 1) {
		t.Errorf("VAE default term (1, 1) = %v, want %v", got.Terms[0].KL, gaussRow29)
	}

	// Texts the parser accepts: Unicode minus, brackets, printouts, a column.
	for _, c := range []struct {
		g    GaussState
		want float64
	}{
		{GaussState{Case: gaussNormal, Mu1: "−1", Sigma1: " 0.5 ", Mu2: "[0]", Sigma2: "tensor(1.)"},
			compute.KLNormal(n(-1, 0.5), n(0, 1))},
		{GaussState{Case: gaussDiag, Mu1: "[1, 0]", Sigma1: "2\n1", Mu2: "0 0", Sigma2: "tensor([1., 1.])"},
			compute.KLNormal(n(1, 2), n(0, 1)) + compute.KLNormal(n(0, 1), n(0, 1))},
		{GaussState{Case: gaussNormal, Mu1: "inf", Sigma1: "1", Mu2: "0", Sigma2: "1"}, math.Inf(1)},
	} {
		r, err := gaussCompute(c.g)
		if err != nil || r.Total != c.want && !gaussCloseULPs(r.Total, c.want, 2) {
			t.Errorf("%+v: %v, %v; want %v", c.g, r.Total, err, c.want)
		}
	}
}

func TestGaussComputeErrors(t *testing.T) {
	normal := func(mu1, s1, mu2, s2 string) GaussState {
		return GaussState{Case: gaussNormal, Mu1: mu1, Sigma1: s1, Mu2: mu2, Sigma2: s2}
	}
	diag := func(mu1, s1, mu2, s2 string) GaussState {
		return GaussState{Case: gaussDiag, Mu1: mu1, Sigma1: s1, Mu2: mu2, Sigma2: s2}
	}
	vae := func(mu, lv string) GaussState { return GaussState{Case: gaussVAE, Mu: mu, LogVar: lv} }
	for _, c := range []struct {
		g     GaussState
		code  gaussErrCode
		is    error // the cause, or nil
		field gaussField
		msg   string
	}{
		{normal("1", "abc", "0", "1"), gaussErrNotNumber, textparse.ErrSyntax, gaussFieldSigma1, `σ₁: "abc" is not a number`},
		{diag("1,2", "1,abc", "0,0", "1,1"), gaussErrNotNumber, textparse.ErrSyntax, gaussFieldSigma1, `σ₁ value 2: "abc" is not a number`},
		{diag("1\n2", "1\nx", "0\n0", "1\n1"), gaussErrNotNumber, textparse.ErrSyntax, gaussFieldSigma1, `σ₁ value 2: "x" is not a number`},
		{diag("1,,2", "1,1,1", "0,0,0", "1,1,1"), gaussErrEmptyValue, textparse.ErrSyntax, gaussFieldMu1, `μ₁ value 2: empty value (two commas in a row?)`},
		{normal("1", "-1", "0", "1"), gaussErrScale, compute.ErrGaussianScale, gaussFieldSigma1, `σ₁ = −1: a standard deviation must be positive (PyTorch raises ValueError)`},
		{diag("1,2", "1,1", "0,0", "1,0"), gaussErrScale, compute.ErrGaussianScale, gaussFieldSigma2, `σ₂ value 2 = 0: a standard deviation must be positive (PyTorch raises ValueError)`},
		{normal("1", "nan", "0", "1"), gaussErrScale, compute.ErrGaussianScale, gaussFieldSigma1, `σ₁ = NaN: a standard deviation must be positive (PyTorch raises ValueError)`},
		{normal("1", "1", "nan", "1"), gaussErrLoc, compute.ErrGaussianLoc, gaussFieldMu2, `μ₂ is NaN (PyTorch raises ValueError)`},
		{normal(" ", "1", "0", "1"), gaussErrEmpty, nil, gaussFieldMu1, `μ₁ is empty`},
		{normal("1,2", "1", "0", "1"), gaussErrSingle, nil, gaussFieldMu1, `μ₁: 2 values, but the univariate case takes one number; choose the diagonal case for vectors`},
		{diag("1,2,3", "1,1", "0,0,0", "1,1,1"), gaussErrLength, compute.ErrGaussianLength, gaussFieldSigma1, `σ₁ has 2 values but μ₁ has 3; every parameter needs one value per dimension`},
		{diag("1,2;3,4", "1", "0", "1"), gaussErrNotList, nil, gaussFieldMu1, `μ₁: 2 rows of 2 values; give one list of values`},
		{diag("[1, 2", "1", "0", "1"), gaussErrParse, textparse.ErrBrackets, gaussFieldMu1, `μ₁: `},
		{vae("1,2;3,4", "0,0"), gaussErrShape, compute.ErrGaussianLength, gaussFieldLogVar, `μ has shape (2, 2) but log σ² has shape (1, 2); they must match`},
		{vae("1,abc\n2,3", "0,0\n0,0"), gaussErrNotNumber, textparse.ErrSyntax, gaussFieldMu, `μ row 1, column 2: "abc" is not a number`},
		{vae("1,2\n3", "0,0\n0,0"), gaussErrParse, textparse.ErrRagged, gaussFieldMu, `μ: row 2 has 1 value, row 1 has 2`},
		{vae("1", ""), gaussErrEmpty, nil, gaussFieldLogVar, `log σ² is empty`},
	} {
		_, err := gaussCompute(c.g)
		var ge GaussError
		if !errors.As(err, &ge) || ge.Code != c.code || c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%+v: error %v (%+v), want code %d wrapping %v", c.g, err, ge, c.code, c.is)
			continue
		}
		if ge.Field != c.field || !strings.HasPrefix(err.Error(), c.msg) {
			t.Errorf("%+v: error %q about %v, want %q about %v", c.g, err, ge.Field, c.msg, c.field)
		}
		if ko := texts(langKO).gaussMessages(langKO, err); len(ko) != 1 || !hasHangul(ko[0]) {
			t.Errorf("%+v: Korean message %q", c.g, ko)
		}
	}

	// Every invalid field is reported at once.
	_, err := gaussCompute(normal("x", "", "0", "y"))
	if msgs := texts(langEN).gaussMessages(langEN, err); len(msgs) != 3 {
		t.Errorf("three invalid fields: messages %q", msgs)
	}
}

func TestGaussCodecDefault(t *testing.T) {
	if got, want := defaultGauss().encode(), "g=normal&mu1=1&s1=2&mu2=0&s2=1"; got != want {
		t.Errorf("defaultGauss().encode() = %q, want %q", got, want)
	}
	if got, want := gaussDefaults(gaussVAE).encode(), "g=vae&mu=1,0;0.5,-0.5&logvar="+gaussLn4+",0;-1,0.5"; got != want {
		t.Errorf("VAE default encode() = %q, want %q", got, want)
	}
	for _, c := range []struct {
		fragment string
		want     GaussState
	}{
		{"", defaultGauss()},
		{"#", defaultGauss()},
		{"mode=gauss", defaultGauss()},
		{"mode=gauss&g=diag", gaussDefaults(gaussDiag)},
		{"#mode=gauss&g=vae&mu=1&p=0.1,0.9&lang=ko", func() GaussState { g := gaussDefaults(gaussVAE); g.Mu = "1"; return g }()},
		{"mu1=3&g=normal", func() GaussState { g := defaultGauss(); g.Mu1 = "3"; return g }()},
		{"g=diag&mu1=", func() GaussState { g := gaussDefaults(gaussDiag); g.Mu1 = ""; return g }()},
	} {
		got, err := decodeGaussState(c.fragment)
		if err != nil || got != c.want {
			t.Errorf("decodeGaussState(%q) = %+v, %v; want %+v", c.fragment, got, err, c.want)
		}
	}
}

func TestGaussCodecRoundTrip(t *testing.T) {
	odd := []string{
		"1", "-0.5", "1e+5", "1E-300", " 2 ", "1, 2,3", "−1", "a&b=c#d%e;f?g/h", "%zz", "100%",
		"tensor([1., 2.])", "[1, 2]", "日本語", "tab\there", "", ",", ";", "+", "'\"<>",
	}
	for _, s := range odd {
		for _, c := range []gaussCase{gaussNormal, gaussDiag} {
			g := GaussState{Case: c, Mu1: s, Sigma1: s + "x", Mu2: "y" + s, Sigma2: s + s}
			checkGaussRoundTrip(t, g)
		}
		checkGaussRoundTrip(t, GaussState{Case: gaussVAE, Mu: s, LogVar: s + "\n" + s})
	}
	for _, m := range []string{"1,2\n3,4", "1,2;3,4", "1\r\n2", "\n\n", "[[1, 2],\n [3, 4]]", "a;b\nc"} {
		checkGaussRoundTrip(t, GaussState{Case: gaussVAE, Mu: m, LogVar: m})
	}
	// A hand-written ';' is a new row.
	g, err := decodeGaussState("g=vae&mu=1,2;3,4&logvar=0,0;0,0")
	if err != nil || g.Mu != "1,2\n3,4" {
		t.Errorf("hand-written rows: %q, %v", g.Mu, err)
	}
	if r, err := gaussCompute(g); err != nil || len(r.Terms) != 4 {
		t.Errorf("hand-written rows: %d terms, %v; want 4", len(r.Terms), err)
	}
}

func checkGaussRoundTrip(t *testing.T, g GaussState) {
	t.Helper()
	enc := g.encode()
	if bad := strings.Trim(enc, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-._~%,;=&"); bad != "" {
		t.Errorf("encode(%+v) = %q: characters %q are not plain in a URL", g, enc, bad)
	}
	got, err := decodeGaussState(enc)
	want := gaussDefaults(g.Case)
	if g.Case == gaussVAE {
		want.Mu, want.LogVar = g.Mu, g.LogVar
	} else {
		want.Mu1, want.Sigma1, want.Mu2, want.Sigma2 = g.Mu1, g.Sigma1, g.Mu2, g.Sigma2
	}
	if err != nil || got != want {
		t.Errorf("decodeGaussState(%q) = %+v, %v; want %+v", enc, got, err, want)
	}
}

func TestGaussCodecErrors(t *testing.T) {
	for _, c := range []struct {
		fragment string
		want     GaussState
		msg      string
	}{
		{"g=gamma&mu1=5", func() GaussState { g := defaultGauss(); g.Mu1 = "5"; return g }(), `g must be normal, diag or vae, not "gamma"`},
		{"g=diag&g=vae", gaussDefaults(gaussDiag), `key "g" appears twice`},
		{"mu1=1&mu1=2", defaultGauss(), `key "mu1" appears twice`},
		{"g=vae&mu=" + strings.Repeat("1,", maxCells), func() GaussState { g := gaussDefaults(gaussVAE); g.Mu = ""; return g }(), "mu holds more than"},
	} {
		got, err := decodeGaussState(c.fragment)
		if !errors.Is(err, ErrURL) || !strings.HasPrefix(err.Error(), c.msg) {
			t.Errorf("decodeGaussState(%.40q): error %v, want %q wrapping ErrURL", c.fragment, err, c.msg)
		}
		if got != c.want {
			t.Errorf("decodeGaussState(%.40q) = %+v, want %+v", c.fragment, got, c.want)
		}
	}
	got, err := decodeGaussState("mu1=" + strings.Repeat("1", maxFragment))
	if !errors.Is(err, ErrURL) || got != defaultGauss() {
		t.Errorf("oversized link: %+v, %v", got, err)
	}
}

// A Gaussian link the app writes opens however long it is: a compressed
// link may inflate beyond maxFragment, which the Gaussian keys were once
// dropped for (the decoder then checked the inflated text against the
// limit of a link).
func TestGaussCodecLongLink(t *testing.T) {
	s := defaultState()
	s.Gaussian = true
	s.Gauss.Mu1 = strings.Repeat("1", maxFragment)
	enc := s.Encode()
	if !strings.HasPrefix(enc, keyCompact+"=") || len(enc) > maxLink {
		t.Fatalf("the link is %d bytes, %.10q", len(enc), enc)
	}
	got, err := DecodeState(enc)
	if err != nil || !got.Gaussian || got.Gauss != s.Gauss {
		t.Errorf("DecodeState: %v, Gaussian %v, μ₁ of %d bytes", err, got.Gaussian, len(got.Gauss.Mu1))
	}
}

func TestGaussWithCase(t *testing.T) {
	g := defaultGauss().withCase(gaussDiag)
	if want := gaussDefaults(gaussDiag); g != want {
		t.Errorf("default → diag = %+v, want %+v", g, want)
	}
	if g = g.withCase(gaussNormal); g != defaultGauss() {
		t.Errorf("diag default → normal = %+v, want the default", g)
	}
	edited := defaultGauss().withField(gaussFieldMu1, "3")
	if g := edited.withCase(gaussDiag); g.Case != gaussDiag || g.Mu1 != "3" || g.Sigma1 != "2" {
		t.Errorf("edited → diag = %+v, want the text kept", g)
	}
	if g := edited.withCase(gaussVAE).withCase(gaussNormal); g != edited {
		t.Errorf("edited → vae → normal = %+v, want %+v", g, edited)
	}
	for f := gaussFieldMu1; f <= gaussFieldLogVar; f++ {
		g := GaussState{}.withField(f, "z")
		if n := strings.Count(g.Mu1+g.Sigma1+g.Mu2+g.Sigma2+g.Mu+g.LogVar, "z"); n != 1 {
			t.Errorf("withField(%v) set %d fields", f, n)
		}
	}
}

// The Gaussian mode's Korean strings are translations (TestTextsComplete
// checks that every one exists).
func TestGaussTextsTranslated(t *testing.T) {
	en, ko := texts(langEN).Gauss, texts(langKO).Gauss
	for _, pair := range [][2]string{{en.Title, ko.Title}, {en.CaseNormal, ko.CaseNormal}, {en.VAENote, ko.VAENote}, {en.ErrScale, ko.ErrScale}} {
		if pair[0] == pair[1] || !hasHangul(pair[1]) {
			t.Errorf("Korean %q is not a translation of %q", pair[1], pair[0])
		}
	}
}

func TestGaussSnippet(t *testing.T) {
	for _, c := range []struct {
		g    GaussState
		want []string
	}{
		{defaultGauss(), []string{
			"torch.distributions.kl_divergence(",
			"Normal(torch.tensor(1.0, dtype=torch.float64), torch.tensor(2.0, dtype=torch.float64))",
			"Normal(torch.tensor(0.0, dtype=torch.float64), torch.tensor(1.0, dtype=torch.float64))",
			"1.306852819440054",
		}},
		{gaussDefaults(gaussDiag), []string{
			"mu1 = torch.tensor([1.0, 0.0, -1.0], dtype=torch.float64)",
			"s1 = torch.tensor([2.0, 1.0, 0.5], dtype=torch.float64)",
			"p = Independent(Normal(mu1, s1), 1)",
			"kl = kl_divergence(p, q)",
		}},
		{gaussDefaults(gaussVAE), []string{
			"[1.0, 0.0],", "[0.5, -0.5],", "[" + gaussLn4 + ", 0.0],",
			"KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())",
		}},
		{GaussState{Case: gaussVAE, Mu: "1", LogVar: gaussLn4}, []string{
			"mu = torch.tensor([[1.0]], dtype=torch.float64)",
			"logvar = torch.tensor([[" + gaussLn4 + "]], dtype=torch.float64)",
		}},
		{GaussState{Case: gaussNormal, Mu1: "-inf", Sigma1: "1e-300", Mu2: "1e300", Sigma2: "-0.0e0"}, nil}, // invalid σ₂
		{GaussState{Case: gaussNormal, Mu1: "-inf", Sigma1: "1e-300", Mu2: "1e300", Sigma2: "inf"}, []string{
			"torch.tensor(float('-inf'), dtype=torch.float64)", "torch.tensor(1e-300, dtype=torch.float64)",
			"torch.tensor(float('inf'), dtype=torch.float64)",
		}},
	} {
		calc := gaussCalc(c.g, langEN)
		if c.want == nil {
			if calc.gaussErr == nil || calc.gaussResult != nil {
				t.Errorf("%+v: no error", c.g)
			}
			continue
		}
		if calc.gaussErr != nil {
			t.Fatalf("%+v: %v", c.g, calc.gaussErr)
		}
		r := *calc.gaussResult
		src := calc.gauss.snippet(r.Total)
		calc.state.View = viewCode
		if page := app.HTMLString(calc.renderGauss()); !strings.Contains(page, html.EscapeString(src)) {
			t.Errorf("%+v: #gauss-snippet does not show the snippet", c.g)
		}
		for _, w := range c.want {
			if !strings.Contains(src, w) {
				t.Errorf("%+v: snippet lacks %q:\n%s", c.g, w, src)
			}
		}
		if !strings.Contains(src, "# the calculator: "+compute.FormatFloat(r.Total)) {
			t.Errorf("%+v: snippet lacks the result %v:\n%s", c.g, r.Total, src)
		}
		checkGaussPython(t, src)
	}
	// Too many values to write out; infinite parameters.
	big := GaussState{Case: gaussVAE, Mu: strings.Repeat("0,", 5000) + "0", LogVar: strings.Repeat("0,", 5000) + "inf"}
	diagInf := GaussState{Case: gaussDiag, Mu1: "1,2", Sigma1: "inf,1", Mu2: "0,0", Sigma2: "1,1"}
	for _, g := range []GaussState{big, diagInf} {
		calc := gaussCalc(g, langEN)
		if calc.gaussErr != nil {
			t.Fatal(calc.gaussErr)
		}
		src := calc.gauss.snippet(calc.gaussResult.Total)
		if len(src) > 2000 || !strings.Contains(src, "# With infinite parameters") || !strings.Contains(src, "the calculator: +Inf") {
			t.Errorf("%.40v: snippet\n%s", g, src)
		}
		checkGaussPython(t, src)
	}
	checkGaussPython(t, texts(langEN).Gauss.SnippetInvalid+"\n")
	checkGaussPython(t, texts(langKO).Gauss.SnippetInvalid+"\n")
}

// checkGaussPython parses src with Python's ast module, when python3 is
// there (not under js/wasm, nor without python3: then it only logs).
func checkGaussPython(t *testing.T, src string) {
	t.Helper()
	if runtime.GOOS == "js" {
		return // no subprocesses under js/wasm
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Log("python3 not found: the snippet's syntax is not checked")
		return
	}
	cmd := exec.Command(py, "-c", "import ast,sys; ast.parse(sys.stdin.read())")
	cmd.Stdin = strings.NewReader(src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("not valid Python: %v\n%s\n%s", err, out, src)
	}
}

// Labels: every text input and textarea has a <label for> or an aria-label,
// and every radio button sits in a <label>.
func checkGaussLabels(t *testing.T, html string) {
	t.Helper()
	ids := regexp.MustCompile(`<(?:input|textarea)[^>]*\sid="([^"]+)"[^>]*>`).FindAllStringSubmatch(html, -1)
	if len(ids) == 0 {
		t.Error("no inputs")
	}
	for _, m := range ids {
		switch {
		case strings.Contains(m[0], `aria-label=`), strings.Contains(html, `for="`+m[1]+`"`):
		case strings.Contains(m[0], `type="radio"`) && regexp.MustCompile(`<label[^>]*>\s*<input[^>]*id="`+m[1]+`"`).MatchString(html):
		default:
			t.Errorf("input %s has no label", m[1])
		}
	}
}

// gaussViewHTML renders the Gaussian view as the calculator does after
// recomputing g.
func gaussViewHTML(g GaussState, l lang) string { return app.HTMLString(gaussCalc(g, l).renderGauss()) }

func TestGaussViewHTML(t *testing.T) {
	html := gaussViewHTML(defaultGauss(), langEN)
	for _, want := range []string{
		`id="gauss-case-normal"`, `id="gauss-case-diag"`, `id="gauss-case-vae"`,
		`id="gauss-mu1"`, `id="gauss-s1"`, `id="gauss-mu2"`, `id="gauss-s2"`,
		`id="gauss-result"`, `data-value="` + compute.FormatFloat(compute.KLNormal(compute.Normal{Mu: 1, Sigma: 2}, compute.Normal{Mu: 0, Sigma: 1})) + `"`,
		`id="gauss-error"`, `role="alert"`, `id="gauss-terms"`, `id="gauss-formula"`,
		`ln(σ₂/σ₁) + (σ₁² + (μ₁−μ₂)²)/(2σ₂²) − ½`,
		`value="1"`, `value="2"`,
		`id="tab-breakdown"`, `id="tab-charts"`, `id="tab-code"`, `role="tabpanel"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("default view lacks %s", want)
		}
	}
	// Only the open tab is drawn.
	if strings.Contains(html, `id="gauss-snippet"`) || strings.Contains(html, `id="gauss-plot"`) {
		t.Error("the breakdown tab draws the code or the plot too")
	}
	for v, wants := range map[view][]string{
		viewCharts: {`id="gauss-plot"`, `role="img"`, `aria-label="Density plot: p = N(1, 2²)`, `<title>`},
		viewCode:   {`id="gauss-snippet"`, `id="copy-gauss-snippet"`},
	} {
		c := gaussCalc(defaultGauss(), langEN)
		c.state.View = v
		page := app.HTMLString(c.renderGauss())
		for _, want := range wants {
			if !strings.Contains(page, want) {
				t.Errorf("tab %s lacks %s", v, want)
			}
		}
		if strings.Contains(page, `id="gauss-terms"`) {
			t.Errorf("tab %s draws the breakdown too", v)
		}
	}
	// The other cases have no plot, and no tab for it; a link's tab=charts
	// opens the breakdown there.
	dg := defaultGauss()
	dg.Case = gaussDiag
	c := gaussCalc(dg, langEN)
	c.state.View = viewCharts
	if page := app.HTMLString(c.renderGauss()); strings.Contains(page, `id="tab-charts"`) || !strings.Contains(page, `id="gauss-terms"`) {
		t.Error("diagonal case: a plot tab, or tab=charts does not open the breakdown")
	}
	// go-app writes checked=true as a bare attribute, false as "false".
	if n, m := len(regexp.MustCompile(`checked[ >]`).FindAllString(html, -1)), strings.Count(html, `checked="false"`); n != 1 || m != 2 {
		t.Errorf("%d radio buttons checked and %d not, want 1 and 2", n, m)
	}
	if tag := regexp.MustCompile(`<div[^>]*id="gauss-error"[^>]*>`).FindString(html); !strings.Contains(tag, `role="alert"`) {
		t.Errorf("error element %s has no role=alert", tag)
	}
	checkGaussLabels(t, html)

	vae := gaussViewHTML(gaussDefaults(gaussVAE), langEN)
	for _, want := range []string{`id="gauss-mu"`, `id="gauss-logvar"`, `<textarea`, `−½ Σ(1 + log σ² − μ² − σ²)`, `id="gauss-terms"`, `<th scope="row">2, 2</th>`} {
		if !strings.Contains(vae, want) {
			t.Errorf("VAE view lacks %s", want)
		}
	}
	if strings.Contains(vae, `id="gauss-plot"`) || strings.Contains(vae, `id="gauss-mu1"`) {
		t.Error("VAE view shows the univariate plot or inputs")
	}
	checkGaussLabels(t, vae)

	diag := gaussViewHTML(gaussDefaults(gaussDiag), langKO)
	if !hasHangul(diag) || !strings.Contains(diag, `value="2,1,0.5"`) || strings.Contains(diag, `id="gauss-plot"`) ||
		strings.Count(diag, `aria-describedby="gauss-hint"`) != 4 || !strings.Contains(diag, `id="gauss-hint"`) {
		t.Error("Korean diagonal view: no Hangul, no vector text, or a plot")
	}
	checkGaussLabels(t, diag)

	bad := defaultGauss().withField(gaussFieldSigma1, "-2")
	html = gaussViewHTML(bad, langEN)
	errDiv := regexp.MustCompile(`(?s)<div[^>]*id="gauss-error"[^>]*>(.*?)</div>`).FindStringSubmatch(html)
	if errDiv == nil || !strings.Contains(errDiv[1], "σ₁ = −2: a standard deviation must be positive") {
		t.Errorf("invalid σ₁: error element %q", errDiv)
	}
	if s1 := regexp.MustCompile(`<input[^>]*id="gauss-s1"[^>]*>`).FindString(html); !strings.Contains(s1, "aria-invalid") || strings.Count(html, "aria-invalid") != 1 {
		t.Errorf("invalid σ₁: aria-invalid not on σ₁ alone: %s", s1)
	}
	for _, want := range []string{`id="gauss-result"`, `# Fix the input above`} {
		if !strings.Contains(html, want) {
			t.Errorf("invalid σ₁: view lacks %s", want)
		}
	}
	for _, unwanted := range []string{`data-value`, `id="gauss-plot"`, `id="gauss-terms"`} {
		if strings.Contains(html, unwanted) {
			t.Errorf("invalid σ₁: view shows %s", unwanted)
		}
	}
}

// The view draws what it is given and computes nothing itself: without a
// result it shows none, whatever the state's text says.
func TestGaussViewDrawsGiven(t *testing.T) {
	html := app.HTMLString(newGaussView().State(defaultGauss()))
	if !strings.Contains(html, `value="2"`) || strings.Contains(html, "data-value") || !strings.Contains(html, `# Fix the input above`) {
		t.Errorf("a view without a result computed one, or lost the text:\n%.500s", html)
	}
}

// The view sends edits to the calculator, which applies them to the state
// it holds: state flows one way.
func TestGaussViewEdits(t *testing.T) {
	v := gaussCalc(defaultGauss(), langEN).renderGauss()
	rec := &gaussRecorder{}
	v.Editor(rec)
	v.IEditor.onGaussCase(nil, gaussVAE)
	v.IEditor.onGaussField(nil, gaussFieldSigma2, "3")
	if rec.gc != gaussVAE || rec.f != gaussFieldSigma2 || rec.text != "3" {
		t.Errorf("edits: case %v, field %v = %q", rec.gc, rec.f, rec.text)
	}
	if v.IState != defaultGauss() || v.IResult == nil || v.IErr != nil {
		t.Errorf("the view shows %+v, result %v, error %v", v.IState, v.IResult, v.IErr)
	}
}

// gaussRecorder is a gaussEditor that keeps the last edits.
type gaussRecorder struct {
	gc   gaussCase
	f    gaussField
	text string
}

func (r *gaussRecorder) onGaussCase(_ app.Context, gc gaussCase) { r.gc = gc }
func (r *gaussRecorder) onGaussField(_ app.Context, f gaussField, text string) {
	r.f, r.text = f, text
}

// recompute serves the Gaussian mode: it keeps the parsed input and the
// result, or the invalid fields, which the catalogue writes in the
// reader's language; the discrete mode's result is computed beside it.
func TestRecomputeGauss(t *testing.T) {
	for _, c := range []struct {
		name  string
		g     GaussState
		l     lang
		total float64 // when valid
		msgs  []string
	}{
		{"default", defaultGauss(), langEN, gaussRow29, nil},
		{"VAE", GaussState{Case: gaussVAE, Mu: "1", LogVar: gaussLn4}, langKO, gaussRow29, nil},
		{"σ₁ < 0", defaultGauss().withField(gaussFieldSigma1, "-2"), langEN, 0,
			[]string{"σ₁ = −2: a standard deviation must be positive (PyTorch raises ValueError)"}},
		{"σ₁ < 0, Korean", defaultGauss().withField(gaussFieldSigma1, "-2"), langKO, 0,
			[]string{"σ₁ = −2: 표준편차는 양수여야 합니다 (PyTorch는 ValueError를 냅니다)"}},
		{"two fields", defaultGauss().withField(gaussFieldMu1, "x").withField(gaussFieldSigma2, ""), langKO, 0,
			[]string{`μ₁: "x": 숫자가 아닙니다`, "σ₂: 비어 있습니다"}},
		{"diag lengths", gaussDefaults(gaussDiag).withField(gaussFieldMu2, "0"), langEN, 0,
			[]string{"μ₂ has 1 values but μ₁ has 3; every parameter needs one value per dimension"}},
	} {
		calc := gaussCalc(c.g, c.l)
		if calc.result == nil || calc.inputErr != nil {
			t.Errorf("%s: the discrete result is %v, %q", c.name, calc.result, calc.inputErr)
		}
		msgs := texts(c.l).gaussMessages(c.l, calc.gaussErr)
		if !reflect.DeepEqual(msgs, c.msgs) {
			t.Errorf("%s: messages %q, want %q", c.name, msgs, c.msgs)
		}
		if c.msgs != nil {
			if calc.gaussResult != nil {
				t.Errorf("%s: a result for invalid input", c.name)
			}
			continue
		}
		if calc.gaussResult == nil || !gaussCloseULPs(calc.gaussResult.Total, c.total, 1) || calc.gauss.c != c.g.Case {
			t.Errorf("%s: result %v of %+v, want %v", c.name, calc.gaussResult, calc.gauss, c.total)
		}
	}
	// The discrete mode computes no Gaussian result.
	calc := newCalculator()
	calc.guard(calc.recompute)
	if calc.result == nil || calc.gaussResult != nil || calc.gaussErr != nil {
		t.Errorf("discrete mode: %v, %v, %v", calc.result, calc.gaussResult, calc.gaussErr)
	}
}

// A panic in the Gaussian computation becomes the translated internal
// error through guard, in #error, and neither mode shows a result.
func TestRecomputeGaussPanic(t *testing.T) {
	// p and q of different lengths: parse never gives this, and naming
	// the refused parameter then indexes q out of range.
	bad := gaussInput{c: gaussDiag, p: []compute.Normal{{Mu: 0, Sigma: -1}}}
	// guard logs the panic's stack; into the test's log, as go-app's own
	// tests do (no test here runs in parallel).
	logger := app.DefaultLogger
	app.DefaultLogger = t.Logf
	t.Cleanup(func() { app.DefaultLogger = logger })
	for _, l := range []lang{langEN, langKO} {
		calc := gaussCalc(defaultGauss(), l)
		calc.guard(func() { calc.computeGauss(bad) })
		want := fmt.Sprintf(texts(l).InternalError, "runtime error: index out of range [0] with length 0")
		if len(calc.inputErr) != 1 || calc.inputErr[0] != want {
			t.Errorf("%v: errors %q, want %q", l, calc.inputErr, want)
		}
		if calc.gaussResult != nil || calc.result != nil {
			t.Errorf("%v: a result after a panic", l)
		}
		page := app.HTMLString(calc)
		errDiv := regexp.MustCompile(`(?s)<div[^>]*id="error"[^>]*>(.*?)</div>`).FindStringSubmatch(page)
		if errDiv == nil || !strings.Contains(errDiv[1], html.EscapeString(want)) {
			t.Errorf("%v: #error is %q", l, errDiv)
		}
		if strings.Contains(page, `data-value`) || !strings.Contains(page, `id="gauss-result"`) {
			t.Errorf("%v: the page shows a result after a panic", l)
		}
	}
}
