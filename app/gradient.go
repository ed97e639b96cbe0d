package app

import (
	"strconv"
	"strings"

	"github.com/klcalc/klcalc/compute"
)

// gradData is what the gradient tab draws: compute's gradients of the
// current problem and the temperature sweep. The calculator computes it
// while the tab is open (views never compute).
type gradData struct {
	G      *compute.Gradient
	Factor float64 // the loss is multiplied by this (T² with the switch on), else 1
	T2     float64 // T² of a distillation setting, or 0: the switch is offered
	QTemp  float64 // Q's temperature, where Q is logits
	PTemp  float64 // P's, where P is logits
	PLog   bool    // P is logits too, so the sweep varies both sides' T
	Sweep  []compute.SweepPoint
	Err    string // why there are no gradients, in the reader's language
}

// sweepTemps are the temperatures of the ‖∇‖-against-T plot.
func sweepTemps() []float64 {
	ts := make([]float64, 0, 20)
	for T := 1.0; T <= 20; T++ {
		ts = append(ts, T)
	}
	return ts
}

// sweepAbove is the size (values of P and Q) above which the sweep, 20
// gradients, is not drawn.
const sweepAbove = 20000

// newGradData computes the gradients of kl, with the loss scaled by T²
// when the switch is on (for a reduction that returns one value, as the
// headline does).
func newGradData(kl klProblem, t2 float64) gradData {
	d := gradData{Factor: 1, T2: t2, PLog: kl.p.Form == compute.FormLogits}
	if kl.scaleT2 && t2 != 0 && kl.opt.Reduction != compute.ReductionNone {
		d.Factor = t2
	}
	g, err := compute.GradientsOf(kl.p, kl.q, kl.opt, d.Factor)
	if err != nil {
		return gradData{Err: err.Error()}
	}
	d.G = g
	if d.PLog {
		d.PTemp = kl.p.Temperature
	}
	if kl.q.Form == compute.FormLogits {
		d.QTemp = kl.q.Temperature
		if len(kl.p.Data.Data)+len(kl.q.Data.Data) <= sweepAbove {
			d.Sweep, _ = compute.TemperatureSweep(kl.p, kl.q, kl.opt.Reduction, sweepTemps())
		}
	}
	return d
}

// gradCSV is one line per element of each gradient: which tensor, its
// position (1-based, as the breakdown counts), the value and its special
// case.
func gradCSV(g *compute.Gradient) string {
	var b strings.Builder
	b.WriteString("tensor,row,col,grad,note\n")
	write := func(name string, t compute.Tensor, notes []compute.GradNote) {
		if t.Data == nil {
			return
		}
		c := max(lastDim(t.Shape), 1)
		for k, v := range t.Data {
			note := ""
			if notes != nil && notes[k] != compute.GradNoteNone {
				note = notes[k].String()
			}
			b.WriteString(name + "," + strconv.Itoa(k/c+1) + "," + strconv.Itoa(k%c+1) + "," + csvNumber(v) + "," + note + "\n")
		}
	}
	write("input", g.Input, g.InputNotes)
	write("target", g.Target, g.TargetNotes)
	write("q_logits", g.QLogits, nil)
	write("p_logits", g.PLogits, nil)
	return b.String()
}

// lastDim is the size of the last dimension, 1 for a 0-D shape.
func lastDim(shape []int) int {
	if len(shape) == 0 {
		return 1
	}
	return shape[len(shape)-1]
}
