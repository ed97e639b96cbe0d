package app

import (
	"strings"
	"unicode"

	"github.com/klcalc/klcalc/compute"
)

// tensorRole is what a tensor's name says about it.
type tensorRole struct {
	Side    side
	HasSide bool
	Form    compute.Form
	HasForm bool
}

// The words of a name that say its side or form. A name is split into
// words at every character that is not a letter or digit, so that
// "teacher_logits", "model.student/logprobs" and "P" are all read; a word
// must match whole, so "input_ids" says Q but "output" says nothing.
var (
	wordsP = map[string]bool{"p": true, "target": true, "targets": true, "teacher": true}
	wordsQ = map[string]bool{"q": true, "input": true, "inputs": true, "student": true}
	// logprobs before probs: "log_probs" is two words, read as one.
	wordsForm = map[string]compute.Form{
		"logits": compute.FormLogits, "logit": compute.FormLogits,
		"logprobs": compute.FormLog, "logprob": compute.FormLog, "logp": compute.FormLog, "logq": compute.FormLog,
		"probs": compute.FormProb, "prob": compute.FormProb, "probabilities": compute.FormProb,
		"counts": compute.FormCounts,
	}
)

// roleOf reads a tensor's name.
func roleOf(name string) tensorRole {
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	var r tensorRole
	for i, w := range words {
		switch {
		case !r.HasSide && wordsP[w]:
			r.Side, r.HasSide = sideP, true
		case !r.HasSide && wordsQ[w]:
			r.Side, r.HasSide = sideQ, true
		}
		if r.HasForm {
			continue
		}
		if w == "log" && i+1 < len(words) && (words[i+1] == "probs" || words[i+1] == "prob") {
			r.Form, r.HasForm = compute.FormLog, true
		} else if f, ok := wordsForm[w]; ok {
			r.Form, r.HasForm = f, true
		}
	}
	return r
}

// tensorChoice is which of a file's tensors each side shows: an index
// into the file's tensors, or -1 for a side the file leaves as it was.
type tensorChoice struct {
	P, Q int
	// Guessed: the names did not say which is which, so file order (or
	// the side it was dropped on) decided, and the picker asks to check.
	Guessed bool
}

// index is the side's tensor, or -1.
func (c tensorChoice) index(sd side) int {
	if sd == sideQ {
		return c.Q
	}
	return c.P
}

// chooseTensors assigns a file's tensors, given by name, to P and Q: a
// single tensor goes to the side its name says, else to the side it was
// dropped on; of several, the first whose name says P and the first that
// says Q, and a side the names leave open takes the first tensor left, in
// file order.
func chooseTensors(names []string, dropped side) tensorChoice {
	c := tensorChoice{P: -1, Q: -1}
	switch len(names) {
	case 0:
		return c
	case 1:
		r := roleOf(names[0])
		sd := dropped
		if r.HasSide {
			sd = r.Side
		}
		if sd == sideQ {
			c.Q = 0
		} else {
			c.P = 0
		}
		return c
	}
	for i, n := range names {
		r := roleOf(n)
		switch {
		case !r.HasSide:
		case r.Side == sideP && c.P < 0:
			c.P = i
		case r.Side == sideQ && c.Q < 0:
			c.Q = i
		}
	}
	next := func(not int) int {
		for i := range names {
			if i != not {
				return i
			}
		}
		return -1
	}
	if c.P < 0 || c.Q < 0 {
		c.Guessed = true
	}
	if c.P < 0 && c.Q < 0 {
		c.P, c.Q = 0, 1
	} else if c.P < 0 {
		c.P = next(c.Q)
	} else if c.Q < 0 {
		c.Q = next(c.P)
	}
	return c
}
