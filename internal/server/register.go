package server

import (
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// register lets every service package fill its operations. An operation no
// package fills stays nil: the table answers it with NotImplementedException
// and docs/compatibility.md lists it as not implemented.
func (s *Server) register() {
	pools.New(pools.Config{
		Store: s.store, Keys: s.keys, Clock: s.clock,
		Region: s.cfg.Region, AccountID: s.cfg.AccountID, Logger: s.log,
	}).Register(s.idp)
	clients.New(clients.Config{
		Store: s.store, Sealer: s.sealer, Clock: s.clock,
		Region: s.cfg.Region, AccountID: s.cfg.AccountID, Logger: s.log,
	}).Register(s.idp)
}
