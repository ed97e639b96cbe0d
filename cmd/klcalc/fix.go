//go:build !js

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// fixSite repairs go-app v9.8.0's static export in dir (see
// docs/goapp.md §0 and §7). Each fix checks that go-app's text is what it
// expects, so a go-app upgrade that changes it fails the build instead of
// silently shipping the old problem.
func fixSite(dir, base string, wasmSize int64) error {
	return errors.Join(
		editFile(filepath.Join(dir, "index.html"), fixIndexHTML),
		editFile(filepath.Join(dir, "app.js"), func(b []byte) ([]byte, error) { return fixAppJS(b, wasmSize) }),
		editFile(filepath.Join(dir, "app-worker.js"), func(b []byte) ([]byte, error) { return fixWorker(b, dir, base) }),
	)
}

func editFile(name string, edit func([]byte) ([]byte, error)) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if data, err = edit(data); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(name), err)
	}
	return os.WriteFile(name, data, 0o644)
}

// replaceOnce replaces the single occurrence of old in b.
func replaceOnce(b []byte, old, new string) ([]byte, error) {
	if n := bytes.Count(b, []byte(old)); n != 1 {
		return nil, fmt.Errorf("expected go-app's %q once, found it %d times", old, n)
	}
	return bytes.Replace(b, []byte(old), []byte(new), 1), nil
}

var (
	// startTag matches an HTML start tag as go-app prints it: attribute
	// values are double quoted with Go's strconv.Quote.
	startTag = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="(?:[^"\\]|\\.)*")?)+)\s*>`)
	attr     = regexp.MustCompile(`\s+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(="(?:[^"\\]|\\.)*")?`)
	// ogURL is go-app's og:url, set to the throw-away server of the export
	// (e.g. http://127.0.0.1:41059/). It is removed: the site does not
	// know its public URL, and go-app re-creates the tag in the browser
	// when the page calls ReplaceURL.
	ogURL = regexp.MustCompile(`<meta content="[^"]*" property="og:url">\n?`)
	// emptyMeta is a meta tag whose content is empty, e.g. author.
	emptyMeta = regexp.MustCompile(`<meta content (?:name|property)="[^"]*">\n?`)
)

// sortAttributes rewrites each start tag with its attributes sorted by name.
// go-app prints attributes in map order, so without this index.html would
// differ between two identical builds.
func sortAttributes(b []byte) []byte {
	return startTag.ReplaceAllFunc(b, func(tag []byte) []byte {
		m := startTag.FindSubmatch(tag)
		attrs := attr.FindAll(m[2], -1)
		for i, a := range attrs {
			attrs[i] = bytes.TrimSpace(a)
		}
		sort.SliceStable(attrs, func(i, j int) bool {
			return attrName(attrs[i]) < attrName(attrs[j])
		})
		var out bytes.Buffer
		out.WriteByte('<')
		out.Write(m[1])
		for _, a := range attrs {
			out.WriteByte(' ')
			out.Write(a)
		}
		out.WriteByte('>')
		return out.Bytes()
	})
}

func attrName(a []byte) string {
	name, _, _ := bytes.Cut(a, []byte("="))
	return string(name)
}

const (
	goappViewport = `content="width=device-width, initial-scale=1, maximum-scale=1, user-scalable=0, viewport-fit=cover"`
	// zoomViewport lets people pinch-zoom (WCAG 1.4.4).
	zoomViewport = `content="width=device-width, initial-scale=1"`
)

func fixIndexHTML(b []byte) ([]byte, error) {
	if !bytes.HasPrefix(b, []byte("<!DOCTYPE html>")) {
		return nil, fmt.Errorf("not a go-app page (the route did not render?): %.80q", b)
	}
	b = sortAttributes(b)
	if n := len(ogURL.FindAll(b, -1)); n != 1 {
		return nil, fmt.Errorf("expected one og:url meta tag, found %d", n)
	}
	b = ogURL.ReplaceAll(b, nil)
	b = emptyMeta.ReplaceAll(b, nil)
	return replaceOnce(b, goappViewport, zoomViewport)
}

// fixAppJS makes the loading progress right on hosts that do not send
// X-Wasm-Content-Length. go-app falls back to Content-Length, which is the
// compressed size when the host gzips the wasm (GitHub Pages, CDNs), so the
// label would climb to ~350 %, or show NaN % without Content-Length. The
// fallback becomes the real size of this build's app.wasm.
func fixAppJS(b []byte, wasmSize int64) ([]byte, error) {
	return replaceOnce(b,
		`contentLength = response.headers.get("Content-Length");`,
		`contentLength = "`+strconv.FormatInt(wasmSize, 10)+`"; // klcalc: size of app.wasm, known at build time`)
}

var precacheLine = regexp.MustCompile(`(?m)^const resourcesToCache = (\[.*\]);$`)

// fixWorker checks the service worker's precache list. go-app lists the page
// as the base without its slash ("/kl"), which is a redirect on most hosts,
// and a redirected response breaks navigations served from the cache; it
// becomes "/kl/". Every entry must be a file of the site: cache.addAll is
// all or nothing, so one missing file means no offline support at all.
func fixWorker(b []byte, dir, base string) ([]byte, error) {
	m := precacheLine.FindSubmatch(b)
	if m == nil {
		return nil, errors.New("resourcesToCache not found")
	}
	var list []string
	if err := json.Unmarshal(m[1], &list); err != nil {
		return nil, fmt.Errorf("resourcesToCache: %w", err)
	}
	seen := make(map[string]bool)
	var fixed []string
	for _, u := range list {
		if u == prefix(base) {
			u = base
		}
		if seen[u] {
			continue
		}
		seen[u] = true
		fixed = append(fixed, u)
	}
	sort.Strings(fixed)
	if err := checkPrecache(dir, base, fixed); err != nil {
		return nil, err
	}
	js, err := json.Marshal(fixed)
	if err != nil {
		return nil, err
	}
	line := "const resourcesToCache = " + string(js) + ";"
	return precacheLine.ReplaceAllLiteral(b, []byte(line)), nil
}

func checkPrecache(dir, base string, list []string) error {
	var errs []error
	for _, u := range list {
		rel, ok := siteFile(base, u)
		if !ok {
			errs = append(errs, fmt.Errorf("precached %q is outside %s", u, base))
			continue
		}
		info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil || !info.Mode().IsRegular() {
			errs = append(errs, fmt.Errorf("precached %q: no file %s in the site", u, rel))
		}
	}
	return errors.Join(errs...)
}

// allowedURLs are absolute URLs that may stay in the site's text files,
// because no browser ever fetches them.
var allowedURLs = []struct {
	fileSuffix, url, why string
}{
	{".svg", "http://www.w3.org/2000/svg", "the SVG XML namespace name, an identifier"},
	{"wasm_exec.js", "https://github.com/golang/go/issues/28975", "a code comment of Go's wasm_exec.js"},
}

var (
	externalRef = regexp.MustCompile(`(?i)https?://[^\s"'<>)]*|raw\.githubusercontent[^\s"'<>)]*`)
	// protocolRelative catches "//host/x" in HTML attributes and CSS url().
	protocolRelative = regexp.MustCompile(`(?i)(?:href|src|content)="//|url\(\s*["']?//`)
	localhostRef     = regexp.MustCompile(`127\.0\.0\.1|localhost:\d|\[::1\]`)
	viewportTag      = regexp.MustCompile(`<meta content="([^"]*)" name="viewport">`)
	hrefSrc          = regexp.MustCompile(`\s(?:href|src)="([^"]*)"`)
)

// checkSite verifies the rules of a generated site: nothing is loaded from
// another origin, no trace of the export's test server, a zoomable viewport,
// all local references under base, and a precache list of existing files.
func checkSite(dir, base string) error {
	files, err := listFiles(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, rel := range files {
		if !isText(rel) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return err
		}
		for _, u := range externalRef.FindAll(data, -1) {
			if !isAllowedURL(rel, string(u)) {
				errs = append(errs, fmt.Errorf("%s: external URL %s", rel, u))
			}
		}
		if loc := protocolRelative.Find(data); loc != nil {
			errs = append(errs, fmt.Errorf("%s: protocol-relative URL %s", rel, loc))
		}
		if loc := localhostRef.Find(data); loc != nil {
			errs = append(errs, fmt.Errorf("%s: refers to the export's local server (%s)", rel, loc))
		}
		if strings.HasSuffix(rel, ".html") {
			for _, m := range hrefSrc.FindAllSubmatch(data, -1) {
				// Relative links ("?p=..", "#x") stay under base; absolute
				// paths must carry it (go-app does not prefix A().Href).
				if u := string(m[1]); strings.HasPrefix(u, "/") && !strings.HasPrefix(u, base) {
					errs = append(errs, fmt.Errorf("%s: link %q is not under %s", rel, u, base))
				}
			}
		}
	}

	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		return err
	}
	if !bytes.Contains(index, []byte(`<html lang="en">`)) {
		errs = append(errs, errors.New(`index.html: no <html lang="en">`))
	}
	if bytes.Contains(index, []byte("og:url")) {
		errs = append(errs, errors.New("index.html: og:url left"))
	}
	if vp := viewportTag.FindAllSubmatch(index, -1); len(vp) != 1 || string(vp[0][1]) != "width=device-width, initial-scale=1" {
		errs = append(errs, fmt.Errorf("index.html: viewport must be exactly %q, found %q", "width=device-width, initial-scale=1", vp))
	}

	worker, err := os.ReadFile(filepath.Join(dir, "app-worker.js"))
	if err != nil {
		return err
	}
	m := precacheLine.FindSubmatch(worker)
	if m == nil {
		errs = append(errs, errors.New("app-worker.js: resourcesToCache not found"))
	} else {
		var list []string
		if err := json.Unmarshal(m[1], &list); err != nil {
			errs = append(errs, fmt.Errorf("app-worker.js: %w", err))
		}
		if err := checkPrecache(dir, base, list); err != nil {
			errs = append(errs, err)
		}
	}

	manifest, err := os.ReadFile(filepath.Join(dir, "manifest.webmanifest"))
	if err != nil {
		return err
	}
	var mf struct {
		Scope    string `json:"scope"`
		StartURL string `json:"start_url"`
		Icons    []struct {
			Src string `json:"src"`
		} `json:"icons"`
	}
	if err := json.Unmarshal(manifest, &mf); err != nil {
		errs = append(errs, fmt.Errorf("manifest.webmanifest: %w", err))
	}
	if mf.Scope != base || mf.StartURL != base {
		errs = append(errs, fmt.Errorf("manifest.webmanifest: scope %q, start_url %q, want %q", mf.Scope, mf.StartURL, base))
	}
	var icons []string
	for _, ic := range mf.Icons {
		icons = append(icons, ic.Src)
	}
	if err := checkPrecache(dir, base, icons); err != nil {
		errs = append(errs, fmt.Errorf("manifest.webmanifest icons: %w", err))
	}
	return errors.Join(errs...)
}

func isAllowedURL(rel, u string) bool {
	for _, a := range allowedURLs {
		if strings.HasSuffix(rel, a.fileSuffix) && u == a.url {
			return true
		}
	}
	return false
}
