package app

import (
	"errors"
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

func TestGaussComputeRow29(t *testing.T) {
	for _, g := range []GaussState{
		defaultGauss(),
		{Case: gaussNormal, Mu1: "1", Sigma1: "2", Mu2: "0", Sigma2: "1"},
		{Case: gaussDiag, Mu1: "1", Sigma1: "2", Mu2: "0", Sigma2: "1"},
		{Case: gaussVAE, Mu: "1", LogVar: gaussLn4},
		{Case: gaussVAE, Mu: "[[1.]]", LogVar: "tensor([[" + gaussLn4 + "]])"},
	} {
		r, err := g.compute()
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
	got, err := diag.compute()
	want, werr := compute.KLDiagNormal([]compute.Normal{n(1, 2), n(0, 1), n(-1, 0.5)}, []compute.Normal{n(0, 1), n(0, 1), n(0, 1)})
	if err != nil || werr != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("diag default: %+v, %v; want %+v, %v", got, err, want, werr)
	}

	vae := gaussDefaults(gaussVAE)
	got, err = vae.compute()
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
		r, err := c.g.compute()
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
		is    error
		field gaussField
		msg   string
	}{
		{normal("1", "abc", "0", "1"), errGaussNotNumber, gaussFieldSigma1, `σ₁: "abc" is not a number`},
		{diag("1,2", "1,abc", "0,0", "1,1"), errGaussNotNumber, gaussFieldSigma1, `σ₁ value 2: "abc" is not a number`},
		{diag("1\n2", "1\nx", "0\n0", "1\n1"), errGaussNotNumber, gaussFieldSigma1, `σ₁ value 2: "x" is not a number`},
		{diag("1,,2", "1,1,1", "0,0,0", "1,1,1"), textparse.ErrSyntax, gaussFieldMu1, `μ₁ value 2: empty value (two commas in a row?)`},
		{normal("1", "-1", "0", "1"), compute.ErrGaussianScale, gaussFieldSigma1, `σ₁ = −1: a standard deviation must be positive (PyTorch raises ValueError)`},
		{diag("1,2", "1,1", "0,0", "1,0"), compute.ErrGaussianScale, gaussFieldSigma2, `σ₂ value 2 = 0: a standard deviation must be positive (PyTorch raises ValueError)`},
		{normal("1", "nan", "0", "1"), compute.ErrGaussianScale, gaussFieldSigma1, `σ₁ = NaN: a standard deviation must be positive (PyTorch raises ValueError)`},
		{normal("1", "1", "nan", "1"), compute.ErrGaussianLoc, gaussFieldMu2, `μ₂ is NaN (PyTorch raises ValueError)`},
		{normal(" ", "1", "0", "1"), errGaussEmpty, gaussFieldMu1, `μ₁ is empty`},
		{normal("1,2", "1", "0", "1"), errGaussSingle, gaussFieldMu1, `μ₁: 2 values, but the univariate case takes one number; choose the diagonal case for vectors`},
		{diag("1,2,3", "1,1", "0,0,0", "1,1,1"), compute.ErrGaussianLength, gaussFieldSigma1, `σ₁ has 2 values but μ₁ has 3; every parameter needs one value per dimension`},
		{diag("1,2;3,4", "1", "0", "1"), errGaussNotList, gaussFieldMu1, `μ₁: 2 rows of 2 values; give one list of values`},
		{diag("[1, 2", "1", "0", "1"), textparse.ErrBrackets, gaussFieldMu1, `μ₁: `},
		{vae("1,2;3,4", "0,0"), compute.ErrGaussianLength, gaussFieldLogVar, `μ has shape (2, 2) but log σ² has shape (1, 2); they must match`},
		{vae("1,abc\n2,3", "0,0\n0,0"), errGaussNotNumber, gaussFieldMu, `μ row 1, column 2: "abc" is not a number`},
		{vae("1,2\n3", "0,0\n0,0"), textparse.ErrRagged, gaussFieldMu, `μ: row 2 has 1 value, row 1 has 2`},
		{vae("1", ""), errGaussEmpty, gaussFieldLogVar, `log σ² is empty`},
	} {
		_, err := c.g.compute()
		var ge *GaussError
		if !errors.Is(err, c.is) || !errors.As(err, &ge) {
			t.Errorf("%+v: error %v, want one wrapping %v", c.g, err, c.is)
			continue
		}
		if ge.Field != c.field || !strings.HasPrefix(err.Error(), c.msg) {
			t.Errorf("%+v: error %q about %v, want %q about %v", c.g, err, ge.Field, c.msg, c.field)
		}
		if ko := gaussMessages(langKO, err); len(ko) != 1 || !hasHangul(ko[0]) {
			t.Errorf("%+v: Korean message %q", c.g, ko)
		}
	}

	// Every invalid field is reported at once.
	_, err := normal("x", "", "0", "y").compute()
	if msgs := gaussMessages(langEN, err); len(msgs) != 3 {
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
		{"#mode=gauss&g=vae&mu=1&p=0.1,0.9&lang=ko&unknown=1", func() GaussState { g := gaussDefaults(gaussVAE); g.Mu = "1"; return g }()},
		{"mu1=3&g=normal", func() GaussState { g := defaultGauss(); g.Mu1 = "3"; return g }()},
		{"g=diag&mu1=", func() GaussState { g := gaussDefaults(gaussDiag); g.Mu1 = ""; return g }()},
	} {
		got, err := decodeGauss(c.fragment)
		if err != nil || got != c.want {
			t.Errorf("decodeGauss(%q) = %+v, %v; want %+v", c.fragment, got, err, c.want)
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
	g, err := decodeGauss("g=vae&mu=1,2;3,4&logvar=0,0;0,0")
	if err != nil || g.Mu != "1,2\n3,4" {
		t.Errorf("hand-written rows: %q, %v", g.Mu, err)
	}
	if r, err := g.compute(); err != nil || len(r.Terms) != 4 {
		t.Errorf("hand-written rows: %d terms, %v; want 4", len(r.Terms), err)
	}
}

func checkGaussRoundTrip(t *testing.T, g GaussState) {
	t.Helper()
	enc := g.encode()
	if bad := strings.Trim(enc, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-._~%,;=&"); bad != "" {
		t.Errorf("encode(%+v) = %q: characters %q are not plain in a URL", g, enc, bad)
	}
	got, err := decodeGauss("mode=gauss&" + enc)
	want := gaussDefaults(g.Case)
	if g.Case == gaussVAE {
		want.Mu, want.LogVar = g.Mu, g.LogVar
	} else {
		want.Mu1, want.Sigma1, want.Mu2, want.Sigma2 = g.Mu1, g.Sigma1, g.Mu2, g.Sigma2
	}
	if err != nil || got != want {
		t.Errorf("decodeGauss(%q) = %+v, %v; want %+v", enc, got, err, want)
	}
}

func TestGaussCodecErrors(t *testing.T) {
	for _, c := range []struct {
		fragment string
		want     GaussState
		msg      string
	}{
		{"g=gamma&mu1=5", func() GaussState { g := defaultGauss(); g.Mu1 = "5"; return g }(), `g: must be normal, diag or vae, not "gamma"`},
		{"g=diag&g=vae", gaussDefaults(gaussDiag), `key "g" appears twice`},
		{"mu1=1&mu1=2", defaultGauss(), `key "mu1" appears twice`},
		{"g=vae&mu=" + strings.Repeat("1,", maxCells), func() GaussState { g := gaussDefaults(gaussVAE); g.Mu = ""; return g }(), "mu: more than"},
	} {
		got, err := decodeGauss(c.fragment)
		if !errors.Is(err, ErrURL) || !strings.HasPrefix(err.Error(), c.msg) {
			t.Errorf("decodeGauss(%.40q): error %v, want %q wrapping ErrURL", c.fragment, err, c.msg)
		}
		if got != c.want {
			t.Errorf("decodeGauss(%.40q) = %+v, want %+v", c.fragment, got, c.want)
		}
	}
	got, err := decodeGauss("mu1=" + strings.Repeat("1", maxFragment))
	if !errors.Is(err, ErrURL) || got != defaultGauss() {
		t.Errorf("oversized link: %+v, %v", got, err)
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

// Every string of the Gaussian mode exists in both languages.
func TestGaussTextsComplete(t *testing.T) {
	for _, l := range []lang{langEN, langKO} {
		v := reflect.ValueOf(*gaussTexts(l))
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).String() == "" {
				t.Errorf("%v: %s is empty", l, v.Type().Field(i).Name)
			}
		}
	}
	en, ko := gaussTexts(langEN), gaussTexts(langKO)
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
		in, err := c.g.parse()
		var r compute.GaussianResult
		if err == nil {
			r, err = in.compute()
		}
		if c.want == nil {
			if err == nil {
				t.Errorf("%+v: no error", c.g)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%+v: %v", c.g, err)
		}
		src := in.snippet(r.Total)
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
		in, err := g.parse()
		if err != nil {
			t.Fatal(err)
		}
		r, _ := in.compute()
		src := in.snippet(r.Total)
		if len(src) > 2000 || !strings.Contains(src, "# With infinite parameters") || !strings.Contains(src, "the calculator: +Inf") {
			t.Errorf("%.40v: snippet\n%s", g, src)
		}
		checkGaussPython(t, src)
	}
	checkGaussPython(t, gaussTexts(langEN).SnippetInvalid+"\n")
	checkGaussPython(t, gaussTexts(langKO).SnippetInvalid+"\n")
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

func TestGaussViewHTML(t *testing.T) {
	html := app.HTMLString(newGaussView().State(defaultGauss()))
	for _, want := range []string{
		`id="gauss-case-normal"`, `id="gauss-case-diag"`, `id="gauss-case-vae"`,
		`id="gauss-mu1"`, `id="gauss-s1"`, `id="gauss-mu2"`, `id="gauss-s2"`,
		`id="gauss-result"`, `data-value="` + compute.FormatFloat(compute.KLNormal(compute.Normal{Mu: 1, Sigma: 2}, compute.Normal{Mu: 0, Sigma: 1})) + `"`,
		`id="gauss-error"`, `role="alert"`, `id="gauss-snippet"`, `id="gauss-terms"`, `id="gauss-formula"`,
		`id="gauss-plot"`, `role="img"`, `aria-label="Density plot: p = N(1, 2²)`, `<title>`,
		`ln(σ₂/σ₁) + (σ₁² + (μ₁−μ₂)²)/(2σ₂²) − ½`,
		`value="1"`, `value="2"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("default view lacks %s", want)
		}
	}
	// go-app writes checked=true as a bare attribute, false as "false".
	if n, m := len(regexp.MustCompile(`checked[ >]`).FindAllString(html, -1)), strings.Count(html, `checked="false"`); n != 1 || m != 2 {
		t.Errorf("%d radio buttons checked and %d not, want 1 and 2", n, m)
	}
	if tag := regexp.MustCompile(`<div[^>]*id="gauss-error"[^>]*>`).FindString(html); !strings.Contains(tag, `role="alert"`) {
		t.Errorf("error element %s has no role=alert", tag)
	}
	checkGaussLabels(t, html)

	vae := app.HTMLString(newGaussView().State(gaussDefaults(gaussVAE)))
	for _, want := range []string{`id="gauss-mu"`, `id="gauss-logvar"`, `<textarea`, `−½ Σ(1 + log σ² − μ² − σ²)`, `id="gauss-terms"`, `<th scope="row">2, 2</th>`} {
		if !strings.Contains(vae, want) {
			t.Errorf("VAE view lacks %s", want)
		}
	}
	if strings.Contains(vae, `id="gauss-plot"`) || strings.Contains(vae, `id="gauss-mu1"`) {
		t.Error("VAE view shows the univariate plot or inputs")
	}
	checkGaussLabels(t, vae)

	diag := app.HTMLString(newGaussView().State(gaussDefaults(gaussDiag)).Lang(langKO))
	if !hasHangul(diag) || !strings.Contains(diag, `value="2,1,0.5"`) || strings.Contains(diag, `id="gauss-plot"`) ||
		strings.Count(diag, `aria-describedby="gauss-hint"`) != 4 || !strings.Contains(diag, `id="gauss-hint"`) {
		t.Error("Korean diagonal view: no Hangul, no vector text, or a plot")
	}
	checkGaussLabels(t, diag)

	bad := defaultGauss().withField(gaussFieldSigma1, "-2")
	html = app.HTMLString(newGaussView().State(bad))
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

// The view shows the parent's state and sends edits to IonChange: state
// flows one way.
func TestGaussViewState(t *testing.T) {
	v := newGaussView().State(defaultGauss())
	var got GaussState
	v.OnChange(func(_ app.Context, g GaussState) { got = g })
	if v.state() != defaultGauss() {
		t.Error("the parent's state is not shown")
	}
	v.change(nil, gaussDefaults(gaussDiag))
	if got != gaussDefaults(gaussDiag) {
		t.Errorf("IonChange got %+v", got)
	}
}
