//go:build !js

package main

import (
	klapp "github.com/klcalc/klcalc/app"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Settings of the page and of the PWA manifest.
const (
	appName        = "KL divergence calculator"
	appDescription = "Compute the Kullback-Leibler divergence between two discrete distributions " +
		"in your browser, with the semantics of PyTorch's torch.nn.functional.kl_div."
	// themeColor matches the background of the icon (web/icon.svg).
	themeColor      = "#1f3a5f"
	backgroundColor = "#ffffff"
	// loadingLabel is put into a JavaScript string literal by go-app's
	// text/template (no escaping), so it must not contain quotes or
	// backslashes.
	loadingLabel = "Loading the calculator {progress}%"

	// wasmLengthHeader carries the size of the uncompressed app.wasm, so that
	// go-app's loading progress is right when the wasm is sent with brotli or
	// gzip (then Content-Length is the compressed size).
	wasmLengthHeader = "X-Wasm-Content-Length"
)

// Local icons; web/ holds them (drawn by cmd/iconsgen).
const (
	iconSVG   = "/web/icon.svg"
	icon192   = "/web/icon-192.png"
	icon512   = "/web/icon-512.png"
	stylesCSS = "/web/calc.css" // the UI's stylesheet, owned by the UI
)

// requiredAssets are the files of the web folder that the handler refers to.
var requiredAssets = []string{"calc.css", "icon.svg", "icon-192.png", "icon-512.png"}

// resources is a go-app ResourceProvider: package files (app.js, ...) and
// static files (/web/...) live under the base prefix, and app.wasm has a
// content-hashed name so that it can be cached for ever.
//
// It deliberately does not implement http.Handler: the site is only
// exported with GenerateStaticWebsite, which never asks go-app to serve /web.
type resources struct {
	prefix string // "" or "/kl"
	wasm   string // "/kl/web/app.0123456789ab.wasm"
}

func (r resources) Package() string { return r.prefix }
func (r resources) Static() string  { return r.prefix }
func (r resources) AppWASM() string { return r.wasm }

// newAppHandler returns the go-app handler that pre-renders the site. base is
// normalized ("/" or "/kl/"), wasmName is the file name of the hashed wasm in
// web/, and version names the service-worker cache.
func newAppHandler(base, wasmName, version string) *app.Handler {
	klapp.Register()
	p := prefix(base)
	return &app.Handler{
		Name:        appName,
		ShortName:   appName,
		Title:       appName,
		Description: appDescription,
		Keywords:    []string{"KL divergence", "Kullback-Leibler", "relative entropy", "PyTorch", "kl_div"},
		Lang:        "en",
		Icon: app.Icon{
			Default:    icon192,
			Large:      icon512,
			SVG:        iconSVG,
			AppleTouch: icon192,
		},
		Styles:                  []string{stylesCSS},
		CacheableResources:      []string{iconSVG},
		ThemeColor:              themeColor,
		BackgroundColor:         backgroundColor,
		LoadingLabel:            loadingLabel,
		Version:                 version,
		WasmContentLengthHeader: wasmLengthHeader,
		Resources:               resources{prefix: p, wasm: p + "/web/" + wasmName},
	}
}
