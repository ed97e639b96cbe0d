package app

// side is one distribution of the discrete mode: P, the target, or Q, the
// input.
type side int

const (
	sideP side = iota // the target P (the data)
	sideQ             // the input Q (the model)
)

// String returns "P" or "Q": the side in element ids ("P-r0-c0"), labels
// and messages. The browser tests select elements by these ids.
func (s side) String() string {
	if s == sideQ {
		return "Q"
	}
	return "P"
}

// py returns "p" or "q": the side's variable in the code snippets.
func (s side) py() string {
	if s == sideQ {
		return "q"
	}
	return "p"
}
