package server

import (
	"context"
	"fmt"

	"github.com/cogito-dev/cogito/internal/userpool/risk"
)

// riskData is what threat protection reads from the operator's files.
type riskData struct {
	breached  *risk.Breached
	locations *risk.Locations
}

// loadRiskData reads the breached-password list and the IP location table
// the configuration names; a file that can't be read stops the start.
func (s *Server) loadRiskData() error {
	if p := s.cfg.BreachedPasswords; p != "" {
		b, err := risk.LoadBreached(p)
		if err != nil {
			return fmt.Errorf("breached-passwords: %w", err)
		}
		s.riskData.breached = b
		s.log.Info("breached-password list loaded", "hashes", b.Len())
	}
	if p := s.cfg.IPLocations; p != "" {
		l, err := risk.LoadLocations(p)
		if err != nil {
			return fmt.Errorf("ip-locations: %w", err)
		}
		s.riskData.locations = l
	}
	return nil
}

// riskHistoryWindow is how many past sign-in events threat protection weighs.
const riskHistoryWindow = 50

// registerRisk serves SetRiskConfiguration and DescribeRiskConfiguration and
// builds the checks the sign-in, sign-up and password families run.
func (s *Server) registerRisk() {
	s.risk = risk.New(risk.Config{
		Store: s.store, Clients: s.clients, Breached: s.riskData.breached, Locations: s.riskData.locations,
		Sender: s.sender, Clock: s.clock, Logger: s.log,
		History: func(ctx context.Context, poolID, userKey string) ([]risk.HistoryEntry, error) {
			recs, err := s.account.SignInHistory(ctx, poolID, userKey, riskHistoryWindow)
			if err != nil {
				return nil, err
			}
			out := make([]risk.HistoryEntry, len(recs))
			for i, r := range recs {
				out[i] = risk.HistoryEntry{Time: r.Time, Success: r.Success, IP: r.IP}
			}
			return out, nil
		},
	})
	s.risk.Register(s.idp)
}
