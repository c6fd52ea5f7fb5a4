package server

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/cogito-dev/cogito/internal/api"
)

// CompatibilityDoc renders docs/compatibility.md from the operation tables:
// every operation of both APIs, its auth mode and whether Cogito implements it.
func (s *Server) CompatibilityDoc() []byte {
	var b bytes.Buffer
	b.WriteString("# Compatibility\n\n")
	b.WriteString("Generated from Cogito's operation tables by `make docs` (a test fails when it is stale).\n")
	b.WriteString("Every operation is routed and its input validated against the AWS model; an operation marked\n")
	b.WriteString("\"not yet\" answers `NotImplementedException` (HTTP 501) rather than pretending to succeed.\n\n")
	for _, sec := range []struct {
		title string
		svc   *api.Service
	}{
		{"User Pools API (`cognito-idp`)", s.idp.Service()},
		{"Identity Pools API (`cognito-identity`)", s.identity.Service()},
	} {
		names := make([]string, 0, len(sec.svc.Operations))
		done := 0
		for n, op := range sec.svc.Operations {
			names = append(names, n)
			if op.Implemented {
				done++
			}
		}
		sort.Strings(names)
		fmt.Fprintf(&b, "## %s\n\n%d of %d operations implemented.\n\n", sec.title, done, len(names))
		b.WriteString("| operation | authorization | status |\n|---|---|---|\n")
		for _, n := range names {
			op := sec.svc.Operations[n]
			status := "not yet"
			if op.Implemented {
				status = "implemented"
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", n, op.Auth, status)
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}
