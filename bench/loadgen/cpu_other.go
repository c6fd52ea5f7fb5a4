//go:build !linux

package main

import (
	"errors"
	"time"
)

// selfCPU and procCPU are only implemented on Linux; elsewhere CPU columns stay empty.
func selfCPU() time.Duration { return 0 }

func procCPU(pid int) (time.Duration, error) {
	return 0, errors.New("server CPU is only measured on Linux")
}

func machineBusy() (time.Duration, error) {
	return 0, errors.New("machine CPU is only measured on Linux")
}
