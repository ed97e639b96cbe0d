package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// TestRecoverEverywhere checks that every entry point by which the browser
// or go-app runs this package's code begins by recovering (recover.go):
// event and action handlers, lifecycle methods, Render, functions given
// to go-app's dispatcher, JavaScript callbacks and goroutines. A panic in
// any one that does not would kill the page.
func TestRecoverEverywhere(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		need := func(body *ast.BlockStmt, what string, ok func(*ast.CallExpr) bool) {
			checked++
			if body == nil || len(body.List) == 0 || !deferCall(body.List[0], ok) {
				t.Errorf("%s: %s does not begin with a deferred recover (recover.go)", fset.Position(body.Pos()), what)
			}
		}
		toCtx := func(c *ast.CallExpr) bool { return isIdent(c.Fun, "recoverTo") }
		anyRecover := func(c *ast.CallExpr) bool {
			return isIdent(c.Fun, "recoverTo") || isIdent(c.Fun, "recoverLog")
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				switch {
				case n.Name.Name == "Render" && n.Recv != nil:
					need(n.Body, n.Name.Name, func(c *ast.CallExpr) bool { return isIdent(c.Fun, "recoverRender") })
				case n.Recv != nil && lifecycle[n.Name.Name]:
					need(n.Body, n.Name.Name, anyRecover)
				case isHandler(n.Type):
					need(n.Body, n.Name.Name, toCtx)
				}
			case *ast.FuncLit:
				if isHandler(n.Type) {
					need(n.Body, "an event handler literal", toCtx)
				}
			case *ast.GoStmt:
				lit, ok := n.Call.Fun.(*ast.FuncLit)
				if !ok {
					t.Errorf("%s: go statement of a named function: start a literal that recovers", fset.Position(n.Pos()))
					return true
				}
				need(lit.Body, "a goroutine", anyRecover)
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && dispatching[sel.Sel.Name] {
					// A method value or a named function given here is
					// checked where it is declared.
					for _, a := range n.Args {
						if lit, ok := a.(*ast.FuncLit); ok {
							need(lit.Body, "a function given to "+sel.Sel.Name, anyRecover)
						}
					}
				}
			case *ast.KeyValueExpr:
				if isIdent(n.Key, "Function") {
					lit, ok := n.Value.(*ast.FuncLit)
					if !ok {
						t.Errorf("%s: app.Dispatch's Function is not a literal that recovers", fset.Position(n.Pos()))
						return true
					}
					need(lit.Body, "an app.Dispatch function", anyRecover)
				}
			}
			return true
		})
	}
	if checked < 100 {
		t.Errorf("checked %d entry points; expected over 100 (is the test reading the package?)", checked)
	}
}

// lifecycle are go-app's component hooks (app.Mounter, app.Navigator, …).
var lifecycle = map[string]bool{
	"OnMount": true, "OnDismount": true, "OnNav": true, "OnUpdate": true, "OnPreRender": true,
	"OnAppUpdate": true, "OnAppInstallChange": true, "OnResize": true,
}

// dispatching are the calls that run a function later on the UI goroutine
// or in a JavaScript callback.
var dispatching = map[string]bool{
	"Dispatch": true, "Defer": true, "Async": true, "After": true, "FuncOf": true,
	"AddEventListener": true, "Handle": true,
}

// isHandler reports whether a function type is (app.Context, app.Event)
// or (app.Context, app.Action): an event or action handler.
func isHandler(ft *ast.FuncType) bool {
	var types []string
	for _, p := range ft.Params.List {
		n := len(p.Names)
		if n == 0 {
			n = 1
		}
		for range n {
			types = append(types, exprString(p.Type))
		}
	}
	return len(types) == 2 && types[0] == "app.Context" && (types[1] == "app.Event" || types[1] == "app.Action")
}

func exprString(e ast.Expr) string {
	if s, ok := e.(*ast.SelectorExpr); ok {
		if x, ok := s.X.(*ast.Ident); ok {
			return x.Name + "." + s.Sel.Name
		}
	}
	return ""
}

// deferCall reports whether s is `defer f(…)` with ok(f(…)).
func deferCall(s ast.Stmt, ok func(*ast.CallExpr) bool) bool {
	d, isDefer := s.(*ast.DeferStmt)
	return isDefer && ok(d.Call)
}

// isIdent reports whether e is the identifier name (any identifier if
// name is empty).
func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && (name == "" || id.Name == name)
}

// TestRecoverRender checks that a Render that panics renders a notice in
// both languages in its place.
func TestRecoverRender(t *testing.T) {
	ui := func() (ui app.UI) {
		defer recoverRender(&ui)
		var rows []int
		_ = rows[3]
		return app.Div()
	}()
	d := app.NewClientTester(ui)
	defer d.Close()
	html := app.HTMLString(ui)
	for _, want := range []string{`role="alert"`, "internal error: runtime error: index out of range [3] with length 0", "내부 오류: runtime error"} {
		if !strings.Contains(html, want) {
			t.Errorf("a panicking Render gives %s; want %q in it", html, want)
		}
	}
}

// TestRecoverTo checks the path of a panic in a handler: recovered, posted
// as an action, shown by the calculator until dismissed.
func TestRecoverTo(t *testing.T) {
	c := newCalculator()
	c.ready = true
	d := app.NewClientTester(c)
	defer d.Close()
	d.Dispatch(app.Dispatch{Mode: app.Update, Source: c, Function: func(ctx app.Context) {
		defer recoverTo(ctx)
		var rows [][]float64
		_ = rows[2][0]
	}})
	d.Consume()
	if want := "runtime error: index out of range [2] with length 0"; c.fault != want {
		t.Fatalf("fault %q; want %q", c.fault, want)
	}
	html := app.HTMLString(c)
	if want := `internal error: runtime error: index out of range [2] with length 0 (please report it with the link)`; !strings.Contains(html, want) {
		t.Errorf("the page does not say %q", want)
	}
	d.Dispatch(app.Dispatch{Mode: app.Update, Source: c, Function: func(ctx app.Context) { c.onFaultDismiss(ctx, app.Event{}) }})
	d.Consume()
	if c.fault != "" || strings.Contains(app.HTMLString(c), "internal error") {
		t.Errorf("dismissed, the fault still shows (%q)", c.fault)
	}
}
