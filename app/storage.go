package app

import (
	"fmt"
	"math"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// storageData is what rounding the inputs to a 16-bit dtype did: the
// rows' sums of the stored probabilities, and the KL computed exactly
// (float64) from the stored values and from the values as given, so
// that a negative or shifted result can be put down to storage or to
// arithmetic.
type storageData struct {
	DType              compute.DType
	PMin, PMax         float64 // the stored P's row sums (probabilities or log-probabilities, exponentiated)
	QMin, QMax         float64
	HasPSums, HasQSums bool    // logits and counts are normalised after rounding: no sums to show
	Stored, Given      float64 // the chosen reduction in float64, of the stored and of the given values
	Value              float64 // PyTorch's, in the dtype
}

// storageCheck computes storageData for a 16-bit dtype; false otherwise
// or when the float64 computations fail.
func storageCheck(p, q compute.Side, opt compute.Options, value float64) (storageData, bool) {
	if opt.DType != compute.DTypeBFloat16 && opt.DType != compute.DTypeFloat16 {
		return storageData{}, false
	}
	round := func(s compute.Side) compute.Side {
		d := make([]float64, len(s.Data.Data))
		for i, v := range s.Data.Data {
			d[i] = opt.DType.Round(v)
		}
		s.Data = compute.Tensor{Shape: s.Data.Shape, Data: d}
		return s
	}
	ps, qs := round(p), round(q)
	o64 := opt
	o64.DType = compute.DTypeFloat64
	stored, err1 := compute.CalculateValue(ps, qs, o64)
	given, err2 := compute.CalculateValue(p, q, o64)
	if err1 != nil || err2 != nil {
		return storageData{}, false
	}
	sd := storageData{DType: opt.DType, Stored: stored.Value, Given: given.Value, Value: value}
	sd.PMin, sd.PMax, sd.HasPSums = rowSumRange(ps)
	sd.QMin, sd.QMax, sd.HasQSums = rowSumRange(qs)
	return sd, true
}

// rowSumRange is the smallest and largest row sum of a side's
// probabilities as stored: the values for probabilities, their exp for
// log-probabilities.
func rowSumRange(s compute.Side) (lo, hi float64, ok bool) {
	if s.Form != compute.FormProb && s.Form != compute.FormLog {
		return 0, 0, false
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, r := range s.Data.Rows() {
		sum := 0.0
		for _, v := range r {
			if s.Form == compute.FormLog {
				v = math.Exp(v)
			}
			sum += v
		}
		lo, hi = math.Min(lo, sum), math.Max(hi, sum)
	}
	return lo, hi, true
}

// storagePanel shows storageData under the result.
type storagePanel struct {
	app.Compo

	ILang lang
	IData storageData
}

func newStoragePanel() *storagePanel { return &storagePanel{} }

func (s *storagePanel) Lang(l lang) *storagePanel        { s.ILang = l; return s }
func (s *storagePanel) Data(d storageData) *storagePanel { s.IData = d; return s }

func (s *storagePanel) Render() (ui app.UI) {
	defer recoverRender(&ui)
	t, d := texts(s.ILang), s.IData
	sums := func(name string, lo, hi float64) string {
		if lo == hi {
			return fmt.Sprintf(t.StorageSum, name, d.DType, show(lo))
		}
		return fmt.Sprintf(t.StorageSums, name, d.DType, show(lo), show(hi))
	}
	verdict := fmt.Sprintf(storageVerdictText(t, d), d.DType)
	if v := storageKind(d); v == verdictBoth {
		verdict = fmt.Sprintf(t.StorageBoth, showSigned(d.Stored-d.Given), d.DType, showSigned(d.Value-d.Stored))
	}
	return app.Elem("section").ID("storage").Class("storage").Aria("labelledby", "storage-heading").Body(
		app.Elem("h3").ID("storage-heading").Text(fmt.Sprintf(t.StorageHeading, d.DType)),
		app.Elem("ul").Body(
			app.If(d.HasPSums, app.Li().ID("storage-p").Text(sums("P", d.PMin, d.PMax))),
			app.If(d.HasQSums, app.Li().ID("storage-q").Text(sums("Q", d.QMin, d.QMax))),
			app.Li().ID("storage-stored").DataSet("value", compute.FormatFloat(d.Stored)).
				Text(fmt.Sprintf(t.StorageStored, d.DType, compute.FormatFloat(d.Stored))),
			app.Li().ID("storage-given").DataSet("value", compute.FormatFloat(d.Given)).
				Text(fmt.Sprintf(t.StorageGiven, compute.FormatFloat(d.Given))),
		),
		app.P().ID("storage-verdict").Class("note").DataSet("verdict", int(storageKind(d))).Text(verdict),
	)
}

// storageVerdict is which effect explains the result.
type storageVerdict int

const (
	verdictSmall    storageVerdict = iota // neither moves it by more than 0.1 %
	verdictNegative                       // storage made a KL ≥ 0 negative
	verdictStorage                        // storage moved it more than twice as much as the arithmetic
	verdictArith                          // the arithmetic moved it more than twice as much as storage
	verdictBoth                           // both, comparably
)

// storageKind weighs storage's shift, stored − given, against the
// arithmetic's, PyTorch's value − stored.
func storageKind(d storageData) storageVerdict {
	st, ar := math.Abs(d.Stored-d.Given), math.Abs(d.Value-d.Stored)
	scale := math.Max(math.Abs(d.Given), 1e-12)
	switch {
	case d.Given >= 0 && d.Stored < 0:
		return verdictNegative
	case st <= 1e-3*scale && ar <= 1e-3*scale:
		return verdictSmall
	case st > 2*ar:
		return verdictStorage
	case ar > 2*st:
		return verdictArith
	}
	return verdictBoth
}

// storageVerdictText is the verdict's sentence ("%s": the dtype).
func storageVerdictText(t *uiText, d storageData) string {
	switch storageKind(d) {
	case verdictNegative:
		return t.StorageNegative
	case verdictStorage:
		return t.StorageShifted
	case verdictArith:
		return t.StorageArith
	}
	return t.StorageSmall
}
