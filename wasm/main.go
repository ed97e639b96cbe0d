//go:build js && wasm

// Command wasm is the browser entry point of the calculator.
package main

import (
	"github.com/klcalc/klcalc/app"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"
)

func main() {
	app.RepairLocation()
	app.Register()
	goapp.RunWhenOnBrowser()
}
