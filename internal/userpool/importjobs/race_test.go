//go:build race

package importjobs

// raceEnabled: the race detector slows the store tenfold, so the bulk test
// imports fewer rows under it.
const raceEnabled = true
