// Package app is the go-app user interface of the KL-divergence calculator.
//
// It holds only client code and the routes; the HTTP server and the static
// exporter live in cmd/ so that the wasm build does not link net/http
// server code (see goapp-v9-notes.md §5).
package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Register declares the routes. The wasm entry point and the server (which
// pre-renders pages) must both call it.
func Register() {
	app.Route("/", newCalculator())
}
