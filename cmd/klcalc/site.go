//go:build !js

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// siteMarker is written at the root of every generated site. buildSite only
// replaces an existing output folder that has it (or is empty), so a wrong
// -out can never wipe an unrelated folder. The server skips dotfiles, so it
// is never served.
const siteMarker = ".klcalc-site"

// versionPlaceholder is the Handler.Version during generation. Once the site
// is complete it is replaced by a hash of all the files, so the service-worker
// cache name changes whenever any byte of the site changes, and stays the
// same for identical builds.
const versionPlaceholder = "klcalc-version-placeholder"

type siteOptions struct {
	Wasm          string // the built app.wasm
	Web           string // folder of web assets (css, icons), copied to <out>/web
	Out           string // output folder, replaced as a whole
	Base          string // URL path the site is served under, e.g. "/" or "/kl/"
	Version       string // service-worker version; "" means the content hash
	WasmExec      string // optional wasm_exec.js to use instead of go-app's copy
	BrotliQuality int    // 0-11
	GzipLevel     int    // 1-9
	BrotliCmd     string // the C brotli tool, or "" for the pure-Go encoder
}

type siteResult struct {
	Dir         string
	Base        string
	Version     string
	WasmName    string // e.g. "web/app.0123456789ab.wasm"
	Sizes       map[string]int64
	Compression compressionStats
	Elapsed     time.Duration
}

func runSite(ctx context.Context, name string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("klcalc "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o siteOptions
	fs.StringVar(&o.Wasm, "wasm", "web/app.wasm", "built `app.wasm` (GOOS=js GOARCH=wasm go build ./wasm)")
	fs.StringVar(&o.Web, "web", "web", "`folder` of web assets (calc.css, icons); app.wasm and *.br/*.gz in it are skipped")
	fs.StringVar(&o.Out, "out", "build/site", "output `folder` (replaced)")
	fs.StringVar(&o.Base, "base", "/", "URL `path` the site is served under, e.g. /repo/ for GitHub Pages")
	fs.StringVar(&o.Version, "version", "", "service-worker `version` (default: hash of the site's files)")
	fs.StringVar(&o.WasmExec, "wasm-exec", "", "`wasm_exec.js` to ship instead of go-app's copy, e.g. $(go env GOROOT)/lib/wasm/wasm_exec.js")
	fs.IntVar(&o.BrotliQuality, "brotli-quality", 11, "brotli `quality` for the .br siblings (0-11)")
	fs.IntVar(&o.GzipLevel, "gzip-level", 9, "gzip `level` for the .gz siblings (1-9)")
	fs.StringVar(&o.BrotliCmd, "brotli-cmd", "", "the C `brotli` tool to compress with (about 4× faster at quality 11); default: the built-in Go encoder")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	res, err := buildSite(ctx, o)
	if err != nil {
		return err
	}
	c := res.Compression
	fmt.Fprintf(stdout, "site %s (base %s, version %s) in %v\n", res.Dir, res.Base, res.Version, res.Elapsed.Round(time.Millisecond))
	encoder := "Go"
	if o.BrotliCmd != "" {
		encoder = o.BrotliCmd
	}
	fmt.Fprintf(stdout, "  %s: %d bytes, br %d, gz %d (brotli q%d by %s %v, gzip -%d %v)\n",
		res.WasmName, res.Sizes[res.WasmName], res.Sizes[res.WasmName+".br"], res.Sizes[res.WasmName+".gz"],
		o.BrotliQuality, encoder, c.WasmBrotli.Round(time.Millisecond), o.GzipLevel, c.WasmGzip.Round(time.Millisecond))
	fmt.Fprintf(stdout, "  %d files, %d compressed siblings written, %d skipped (not smaller), compression %v\n",
		len(res.Sizes), c.Written, c.Skipped, c.Total.Round(time.Millisecond))
	return nil
}

// buildSite writes the complete static site to o.Out. See the package doc.
func buildSite(ctx context.Context, o siteOptions) (*siteResult, error) {
	start := time.Now()
	base, err := normalizeBase(o.Base)
	if err != nil {
		return nil, err
	}
	if o.BrotliQuality < 0 || o.BrotliQuality > 11 {
		return nil, fmt.Errorf("brotli quality %d out of range 0-11", o.BrotliQuality)
	}
	if o.GzipLevel == 0 {
		o.GzipLevel = 9
	}
	if o.GzipLevel < 1 || o.GzipLevel > 9 {
		return nil, fmt.Errorf("gzip level %d out of range 1-9", o.GzipLevel)
	}
	if o.Version != "" && !isVersion(o.Version) {
		return nil, fmt.Errorf("version %q: use letters, digits, '.', '_' or '-'", o.Version)
	}
	wasm, err := os.ReadFile(o.Wasm)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(wasm, []byte("\x00asm")) {
		return nil, fmt.Errorf("%s is not a WebAssembly module", o.Wasm)
	}
	assets, err := readAssets(o.Web)
	if err != nil {
		return nil, err
	}
	for _, name := range requiredAssets {
		if _, ok := assets[name]; !ok {
			return nil, fmt.Errorf("web asset %s missing in %s", name, o.Web)
		}
	}
	var wasmExec []byte
	if o.WasmExec != "" {
		if wasmExec, err = os.ReadFile(o.WasmExec); err != nil {
			return nil, err
		}
	}

	sum := sha256.Sum256(wasm)
	wasmName := "app." + hex.EncodeToString(sum[:])[:12] + ".wasm"

	out := filepath.Clean(o.Out)
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	if err := checkReplaceable(out); err != nil {
		return nil, err
	}
	staging, err := os.MkdirTemp(parent, ".klcalc-site-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(staging) // a no-op once renamed to out
	if err := os.Chmod(staging, 0o755); err != nil {
		return nil, err
	}

	// 1. go-app's files: index.html, app.js, app-worker.js, wasm_exec.js,
	// manifest.webmanifest, app.css.
	h := newAppHandler(base, wasmName, versionPlaceholder)
	if err := app.GenerateStaticWebsite(staging, h); err != nil {
		return nil, fmt.Errorf("generating the go-app pages: %w", err)
	}

	// 2. Our files.
	write := func(rel string, data []byte) error {
		name := filepath.Join(staging, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		return os.WriteFile(name, data, 0o644)
	}
	for rel, data := range assets {
		if err := write("web/"+rel, data); err != nil {
			return nil, err
		}
	}
	if err := write("web/"+wasmName, wasm); err != nil {
		return nil, err
	}
	if wasmExec != nil {
		if err := write("wasm_exec.js", wasmExec); err != nil {
			return nil, err
		}
	}
	if err := write("404.html", notFoundPage(base)); err != nil {
		return nil, err
	}
	// GitHub Pages: publish the folder as is, without Jekyll.
	if err := write(".nojekyll", nil); err != nil {
		return nil, err
	}

	// 3. Fix go-app's output.
	if err := fixSite(staging, base, int64(len(wasm))); err != nil {
		return nil, err
	}

	// 4. Version: a hash of every file, unless given.
	version := o.Version
	if version == "" {
		if version, err = hashSite(staging); err != nil {
			return nil, err
		}
	}
	if err := replaceInTextFiles(staging, versionPlaceholder, version); err != nil {
		return nil, err
	}

	if err := checkSite(staging, base); err != nil {
		return nil, fmt.Errorf("generated site is not valid:\n%w", err)
	}

	// 5. Precompress.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	stats, err := compressSite(ctx, staging, siblingCodecs{Quality: o.BrotliQuality, Cmd: o.BrotliCmd, GzipLevel: o.GzipLevel})
	if err != nil {
		return nil, err
	}

	if err := write(siteMarker, []byte(version+"\n")); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(out); err != nil {
		return nil, err
	}
	if err := os.Rename(staging, out); err != nil {
		return nil, err
	}
	sizes, err := fileSizes(out)
	if err != nil {
		return nil, err
	}
	return &siteResult{
		Dir:         out,
		Base:        base,
		Version:     version,
		WasmName:    "web/" + wasmName,
		Sizes:       sizes,
		Compression: stats,
		Elapsed:     time.Since(start),
	}, nil
}

func isVersion(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return s != ""
}

// readAssets reads the regular files of the web folder, by slash-separated
// path relative to it. It skips dotfiles, the built app.wasm (the site gets
// a hashed copy), stale .br/.gz files (the site gets fresh ones) and docs/
// (the README's screenshots).
func readAssets(dir string) (map[string][]byte, error) {
	return readTree(dir, func(p string, d fs.DirEntry) bool {
		if d.IsDir() {
			return p == filepath.Join(dir, "docs") // images for the README, not part of the site
		}
		switch path.Ext(d.Name()) {
		case ".wasm", ".br", ".gz":
			return true
		}
		return false
	})
}

// checkReplaceable refuses to replace a folder that is not a generated site.
func checkReplaceable(out string) error {
	entries, err := os.ReadDir(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case len(entries) == 0:
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, siteMarker)); err != nil {
		return fmt.Errorf("refusing to replace %s: it is not empty and has no %s marker, so it was not made by klcalc site", out, siteMarker)
	}
	return nil
}

// hashSite returns a short hash of the names and contents of all the files
// in dir, except dotfiles and compressed siblings.
func hashSite(dir string) (string, error) {
	files, err := listFiles(dir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, rel := range files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return "", err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(h, "%s\x00%x\n", rel, sum)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// listFiles returns the slash-separated paths of the regular files in dir,
// sorted, without dotfiles and without .br/.gz siblings.
func listFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if ext := path.Ext(d.Name()); ext == ".br" || ext == ".gz" {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(files)
	return files, err
}

func fileSizes(dir string) (map[string]int64, error) {
	sizes := make(map[string]int64)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		sizes[filepath.ToSlash(rel)] = info.Size()
		return err
	})
	return sizes, err
}

// replaceInTextFiles replaces old with new in every text file of dir.
func replaceInTextFiles(dir, old, new string) error {
	files, err := listFiles(dir)
	if err != nil {
		return err
	}
	for _, rel := range files {
		if !isText(rel) {
			continue
		}
		name := filepath.Join(dir, filepath.FromSlash(rel))
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if !bytes.Contains(data, []byte(old)) {
			continue
		}
		if err := os.WriteFile(name, bytes.ReplaceAll(data, []byte(old), []byte(new)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// isText reports whether a site file is text that may hold URLs.
func isText(name string) bool {
	switch path.Ext(name) {
	case ".html", ".js", ".css", ".webmanifest", ".json", ".svg", ".txt", ".xml":
		return true
	}
	return false
}

// notFoundPage is 404.html: plain, with only links under base.
func notFoundPage(base string) []byte {
	return []byte(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Page not found - ` + appName + `</title>
<link rel="icon" href="` + base + `web/icon.svg">
<link rel="stylesheet" href="` + base + `web/calc.css">
</head>
<body>
<main>
<h1>Page not found</h1>
<p>There is nothing at this address. <a href="` + base + `">Open the ` + appName + `</a>.</p>
</main>
</body>
</html>
`)
}
