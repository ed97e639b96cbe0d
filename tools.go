//go:build tools

// This file pins modules that are used only by commands and tests that
// are written in later commits; it is never compiled.
package tools

import (
	_ "github.com/andybalholm/brotli"
	_ "github.com/chromedp/chromedp"
)
