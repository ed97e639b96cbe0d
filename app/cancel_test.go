package app

import (
	"errors"
	"reflect"
	"testing"
	"unsafe"
)

// TestUndoPointCoversCalculator checks that Cancel restores every field
// of the calculator that a file or a paste changes: each field is in
// undoPoint, with the same type, or named here with why it is not, so
// that a field added to the calculator cannot be forgotten.
func TestUndoPointCoversCalculator(t *testing.T) {
	kept := map[string]string{
		"Compo":     "go-app's",
		"ready":     "set once, by the first navigation",
		"linkErr":   "the link's, which a write leaves",
		"lang":      "a write does not change it",
		"urlGen":    "a canceled write writes no link",
		"urlDone":   "likewise",
		"linkLoss":  "likewise",
		"wrote":     "likewise",
		"update":    "the service worker's",
		"stopCopy":  "a listener",
		"stopStop":  "a listener",
		"busy":      "the write's own notice (cancelWrite clears it)",
		"running":   "the write under way (cancelWrite clears it)",
		"writing":   "likewise",
		"canceled":  "what cancelWrite says",
		"sideGen":   "counts writes begun, so that a later one abandons an earlier",
		"dropErr":   "a refused file's, shown before any write",
		"fault":     "a recovered panic's, shown until dismissed",
		"gcPercent": "the collector's setting, which the next recompute sets again",
	}
	undo := reflect.TypeFor[undoPoint]()
	calc := reflect.TypeFor[calculator]()
	for i := range calc.NumField() {
		f := calc.Field(i)
		u, ok := undo.FieldByName(f.Name)
		_, isKept := kept[f.Name]
		switch {
		case ok && isKept:
			t.Errorf("calculator.%s is both restored and kept", f.Name)
		case ok && u.Type != f.Type:
			t.Errorf("undoPoint.%s is a %v; calculator's is a %v", f.Name, u.Type, f.Type)
		case !ok && !isKept:
			t.Errorf("calculator.%s is neither in undoPoint nor kept with a reason", f.Name)
		}
	}
	for i := range undo.NumField() {
		if _, ok := calc.FieldByName(undo.Field(i).Name); !ok {
			t.Errorf("undoPoint.%s is no field of the calculator", undo.Field(i).Name)
		}
	}
}

// TestUndoPointRestores checks that restore brings back every field
// that undoPoint holds: each is made non-zero, restored into a new
// calculator, and taken again.
func TestUndoPointRestores(t *testing.T) {
	var u undoPoint
	v := reflect.ValueOf(&u).Elem()
	for i := range v.NumField() {
		f := field(v, i)
		if !setNonZero(f) {
			t.Fatalf("undoPoint.%s: cannot make a %v non-zero", v.Type().Field(i).Name, f.Type())
		}
	}
	c := newCalculator()
	c.restore(u)
	got := reflect.ValueOf(c.undoPoint())
	for i := range v.NumField() {
		if !reflect.DeepEqual(field(got, i).Interface(), field(v, i).Interface()) {
			t.Errorf("restore did not bring back undoPoint.%s", v.Type().Field(i).Name)
		}
	}
}

// field is field i of the struct v, readable and, if v is addressable,
// settable though unexported.
func field(v reflect.Value, i int) reflect.Value {
	f := v.Field(i)
	if !f.CanAddr() {
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		f = c.Field(i)
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// setNonZero makes v, settable, other than its zero value.
func setNonZero(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float64, reflect.Float32:
		v.SetFloat(1)
	case reflect.String:
		v.SetString("x")
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	case reflect.Interface:
		e := reflect.ValueOf(errors.New("x"))
		if !e.Type().AssignableTo(v.Type()) {
			return false
		}
		v.Set(e)
	case reflect.Array:
		return v.Len() > 0 && setNonZero(v.Index(0))
	case reflect.Struct:
		for i := range v.NumField() {
			if setNonZero(field(v, i)) {
				return true
			}
		}
		return false
	default:
		return false
	}
	return true
}
