//go:build !race

package importjobs

const raceEnabled = false
