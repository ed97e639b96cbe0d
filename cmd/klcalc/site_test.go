//go:build !js

package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// fakeInputs writes a fake app.wasm and web folder. The generator does not
// run the wasm, so a few bytes with the wasm magic number do.
func fakeInputs(t *testing.T, wasmText string) (wasm, web string) {
	t.Helper()
	dir := t.TempDir()
	wasm = filepath.Join(dir, "app.wasm")
	writeFile(t, wasm, append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte(wasmText), 500)...))
	web = filepath.Join(dir, "web")
	writeFile(t, filepath.Join(web, "calc.css"), []byte(strings.Repeat("main { margin: 0 auto; }\n", 20)))
	writeFile(t, filepath.Join(web, "icon.svg"), []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>`))
	writeFile(t, filepath.Join(web, "icon-192.png"), []byte("\x89PNG 192"))
	writeFile(t, filepath.Join(web, "icon-512.png"), []byte("\x89PNG 512"))
	// Skipped: the unhashed wasm, stale siblings, dotfiles.
	writeFile(t, filepath.Join(web, "app.wasm"), []byte("\x00asm old"))
	writeFile(t, filepath.Join(web, "app.wasm.br"), []byte("old"))
	writeFile(t, filepath.Join(web, ".DS_Store"), []byte("x"))
	return wasm, web
}

func build(t *testing.T, o siteOptions) *siteResult {
	t.Helper()
	if o.BrotliQuality == 0 {
		o.BrotliQuality = 5
	}
	res, err := buildSite(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func readSite(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := make(map[string][]byte)
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestBuildSite(t *testing.T) {
	wasm, web := fakeInputs(t, "wasm one ")
	for _, base := range []string{"/", "/kl/"} {
		t.Run(base, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "site")
			res := build(t, siteOptions{Wasm: wasm, Web: web, Out: out, Base: base})
			files := readSite(t, out)

			for _, name := range []string{
				"index.html", "404.html", "app.js", "app-worker.js", "wasm_exec.js", "app.css",
				"manifest.webmanifest", "web/calc.css", "web/icon.svg", "web/icon-192.png", "web/icon-512.png",
				res.WasmName, res.WasmName + ".br", res.WasmName + ".gz", "index.html.br", "index.html.gz",
				siteMarker, ".nojekyll",
			} {
				if _, ok := files[name]; !ok {
					t.Errorf("missing %s", name)
				}
			}
			for _, name := range []string{"web/app.wasm", "web/app.wasm.br", "web/.DS_Store", "web/icon-192.png.br"} {
				if _, ok := files[name]; ok {
					t.Errorf("unexpected %s", name)
				}
			}
			if !regexp.MustCompile(`^web/app\.[0-9a-f]{12}\.wasm$`).MatchString(res.WasmName) {
				t.Errorf("wasm name %s", res.WasmName)
			}
			if !isVersion(res.Version) || len(res.Version) != 16 {
				t.Errorf("version %q", res.Version)
			}
			if string(files[siteMarker]) != res.Version+"\n" {
				t.Errorf("marker %q", files[siteMarker])
			}

			index := string(files["index.html"])
			for _, want := range []string{
				`<html lang="en">`,
				`<meta content="width=device-width, initial-scale=1" name="viewport">`,
				`<title>KL divergence calculator</title>`,
				`<link href="` + base + `manifest.webmanifest" rel="manifest">`,
				`<link href="` + base + `web/calc.css" rel="stylesheet" type="text/css">`,
				`<link href="` + base + `web/icon.svg" rel="icon">`,
				`<script defer src="` + base + `app.js"></script>`,
				`<aside class="goapp-app-info" id="app-wasm-loader">`,
			} {
				if !strings.Contains(index, want) {
					t.Errorf("index.html lacks %s", want)
				}
			}
			for _, bad := range []string{"og:url", "127.0.0.1", "user-scalable", "raw.githubusercontent", `content>`} {
				if strings.Contains(index, bad) {
					t.Errorf("index.html contains %q", bad)
				}
			}

			appJS := string(files["app.js"])
			wasmSize := strconv.Itoa(len(files[res.WasmName]))
			for _, want := range []string{
				`"` + base + res.WasmName + `"`,
				`const goappWasmContentLengthHeader = "X-Wasm-Content-Length";`,
				`contentLength = "` + wasmSize + `";`,
				`"GOAPP_VERSION":"` + res.Version + `"`,
				`"GOAPP_ROOT_PREFIX":"` + prefix(base) + `"`,
				`const goappLoadingLabel = "Loading the calculator {progress}%";`,
			} {
				if !strings.Contains(appJS, want) {
					t.Errorf("app.js lacks %s", want)
				}
			}

			worker := string(files["app-worker.js"])
			if !strings.Contains(worker, `const cacheName = "app-" + "`+res.Version+`";`) {
				t.Error("app-worker.js: cache name is not the version")
			}
			m := precacheLine.FindStringSubmatch(worker)
			var list []string
			if m == nil || json.Unmarshal([]byte(m[1]), &list) != nil {
				t.Fatalf("app-worker.js: no precache list")
			}
			if list[0] != base {
				t.Errorf("precache list starts with %q, want the page %q", list[0], base)
			}
			for _, u := range list {
				rel, ok := siteFile(base, u)
				if _, exists := files[rel]; !ok || !exists {
					t.Errorf("precached %s is not a file of the site", u)
				}
			}

			var mf map[string]any
			if err := json.Unmarshal(files["manifest.webmanifest"], &mf); err != nil {
				t.Fatal(err)
			}
			if mf["scope"] != base || mf["start_url"] != base || mf["name"] != appName {
				t.Errorf("manifest: %v", mf)
			}
			if !strings.Contains(string(files["404.html"]), `href="`+base+`"`) {
				t.Error("404.html does not link to the calculator")
			}
			if bytes.Contains(bytes.Join([][]byte{files["index.html"], files["app.js"], files["app-worker.js"]}, nil), []byte(versionPlaceholder)) {
				t.Error("version placeholder left")
			}

			// The server accepts the result (siblings decode to their files).
			h, err := newSiteHandler(out, base)
			if err != nil {
				t.Fatal(err)
			}
			w := do(h, http.MethodGet, base+res.WasmName, "Accept-Encoding: br")
			if w.Code != http.StatusOK || w.Result().Header.Get("Cache-Control") != cacheImmutable {
				t.Errorf("hashed wasm: status %d, Cache-Control %q", w.Code, w.Result().Header.Get("Cache-Control"))
			}
		})
	}
}

func TestBuildSiteReproducible(t *testing.T) {
	wasm, web := fakeInputs(t, "wasm one ")
	dir := t.TempDir()
	a := build(t, siteOptions{Wasm: wasm, Web: web, Out: filepath.Join(dir, "a")})
	b := build(t, siteOptions{Wasm: wasm, Web: web, Out: filepath.Join(dir, "b")})
	if a.Version != b.Version {
		t.Errorf("versions differ: %s, %s", a.Version, b.Version)
	}
	fa, fb := readSite(t, a.Dir), readSite(t, b.Dir)
	if len(fa) != len(fb) {
		t.Errorf("%d files, then %d", len(fa), len(fb))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two identical builds", name)
		}
	}

	// Rebuilding in place works (the folder has the marker).
	if _, err := buildSite(context.Background(), siteOptions{Wasm: wasm, Web: web, Out: a.Dir, BrotliQuality: 5}); err != nil {
		t.Fatal(err)
	}

	// A new wasm: new hashed name, new version.
	wasm2, _ := fakeInputs(t, "wasm two ")
	c := build(t, siteOptions{Wasm: wasm2, Web: web, Out: filepath.Join(dir, "c")})
	if c.Version == a.Version || c.WasmName == a.WasmName {
		t.Errorf("new wasm, same version %s or name %s", c.Version, c.WasmName)
	}
	// A changed asset only: new version.
	writeFile(t, filepath.Join(web, "calc.css"), []byte("h1 { color: teal }\n"))
	d := build(t, siteOptions{Wasm: wasm, Web: web, Out: filepath.Join(dir, "d")})
	if d.Version == a.Version || d.WasmName != a.WasmName {
		t.Errorf("new css: version %s (was %s), wasm %s (was %s)", d.Version, a.Version, d.WasmName, a.WasmName)
	}
	// gzip -1 (make run): other .gz bytes, the same content.
	g := build(t, siteOptions{Wasm: wasm, Web: web, Out: filepath.Join(dir, "g"), GzipLevel: 1})
	fg := readSite(t, g.Dir)
	gz := g.WasmName + ".gz"
	if bytes.Equal(fg[gz], fa[gz]) {
		t.Errorf("gzip -1 wrote the bytes of gzip -9")
	}
	zr, err := gzip.NewReader(bytes.NewReader(fg[gz]))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, fa[g.WasmName]) {
		t.Errorf("gzip -1 sibling does not decode to the wasm (err %v)", err)
	}
	// An explicit version.
	e := build(t, siteOptions{Wasm: wasm, Web: web, Out: filepath.Join(dir, "e"), Version: "v1.2.3"})
	if e.Version != "v1.2.3" || !bytes.Contains(readSite(t, e.Dir)["app-worker.js"], []byte(`"app-" + "v1.2.3"`)) {
		t.Errorf("explicit version not used: %s", e.Version)
	}
}

func TestBuildSiteErrors(t *testing.T) {
	wasm, web := fakeInputs(t, "wasm one ")

	// An output folder that is not a site is never replaced.
	out := t.TempDir()
	writeFile(t, filepath.Join(out, "precious.txt"), []byte("keep"))
	_, err := buildSite(context.Background(), siteOptions{Wasm: wasm, Web: web, Out: out, BrotliQuality: 5})
	if err == nil || !strings.Contains(err.Error(), "refusing") {
		t.Errorf("foreign output folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "precious.txt")); err != nil {
		t.Errorf("foreign output folder damaged: %v", err)
	}

	for name, o := range map[string]siteOptions{
		"bad base":    {Wasm: wasm, Web: web, Base: "/a/../b/"},
		"bad version": {Wasm: wasm, Web: web, Version: `x"y`},
		"not wasm":    {Wasm: filepath.Join(web, "calc.css"), Web: web},
		"no wasm":     {Wasm: filepath.Join(web, "nope.wasm"), Web: web},
		"no web":      {Wasm: wasm, Web: filepath.Join(web, "nope")},
		"bad quality": {Wasm: wasm, Web: web, BrotliQuality: 12},
		"bad gzip":    {Wasm: wasm, Web: web, GzipLevel: 10},
	} {
		o.Out = filepath.Join(t.TempDir(), "site")
		if _, err := buildSite(context.Background(), o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}

	os.Remove(filepath.Join(web, "icon-512.png"))
	_, err = buildSite(context.Background(), siteOptions{Wasm: wasm, Web: web, Out: filepath.Join(t.TempDir(), "s")})
	if err == nil || !strings.Contains(err.Error(), "icon-512.png") {
		t.Errorf("missing icon: %v", err)
	}
}

func TestCheckSite(t *testing.T) {
	wasm, web := fakeInputs(t, "wasm one ")
	out := filepath.Join(t.TempDir(), "site")
	res := build(t, siteOptions{Wasm: wasm, Web: web, Out: out, Base: "/kl/"})
	if err := checkSite(out, "/kl/"); err != nil {
		t.Fatalf("fresh site: %v", err)
	}
	index := filepath.Join(out, "index.html")
	orig, _ := os.ReadFile(index)
	for name, tc := range map[string]struct{ old, new, want string }{
		"external script": {"</head>", `<script src="https://cdn.example/x.js"></script></head>`, "external URL https://cdn.example/x.js"},
		"github icon":     {"</head>", `<link rel="icon" href="raw.githubusercontent.com/x.png"></head>`, "raw.githubusercontent"},
		"protocol-rel":    {"</head>", `<img src="//cdn.example/x.png"></head>`, "protocol-relative"},
		"og:url":          {"</head>", `<meta content="http://127.0.0.1:4000/" property="og:url"></head>`, "127.0.0.1"},
		"no zoom":         {"initial-scale=1", "initial-scale=1, user-scalable=0", "viewport"},
		"link off base":   {"</body>", `<a href="/about">about</a></body>`, `link "/about" is not under /kl/`},
	} {
		if err := os.WriteFile(index, bytes.Replace(orig, []byte(tc.old), []byte(tc.new), 1), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := checkSite(out, "/kl/"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", name, err, tc.want)
		}
	}
	os.WriteFile(index, orig, 0o644)

	// A precached file that is missing.
	os.Remove(filepath.Join(out, filepath.FromSlash(res.WasmName)))
	if err := checkSite(out, "/kl/"); err == nil || !strings.Contains(err.Error(), "precached") {
		t.Errorf("missing precached wasm: %v", err)
	}
}

func TestNormalizeBase(t *testing.T) {
	for in, want := range map[string]string{
		"": "/", "/": "/", "//": "/", "kl": "/kl/", "/kl": "/kl/", "/kl/": "/kl/", "a/b-c_d.e~f": "/a/b-c_d.e~f/",
	} {
		if got, err := normalizeBase(in); got != want || err != nil {
			t.Errorf("normalizeBase(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"/../", "/a/./b", "/a//b/", "/a b/", `/a"b/`, "/é/", "/a?b/", "/a%2e/"} {
		if got, err := normalizeBase(in); err == nil {
			t.Errorf("normalizeBase(%q) = %q, want an error", in, got)
		}
	}
}

func TestSortAttributes(t *testing.T) {
	in := `<link type="text/css" rel="preload" href="/a.css" as="style">` + "\n" +
		`<script defer src="/app.js"></script><p class="x">a > b</p><meta content>` + "\n" +
		`<div data-x="say \"hi\"" id="a">`
	want := `<link as="style" href="/a.css" rel="preload" type="text/css">` + "\n" +
		`<script defer src="/app.js"></script><p class="x">a > b</p><meta content>` + "\n" +
		`<div data-x="say \"hi\"" id="a">`
	if got := string(sortAttributes([]byte(in))); got != want {
		t.Errorf("sortAttributes:\n got %s\nwant %s", got, want)
	}
}
