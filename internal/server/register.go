package server

import (
	"github.com/cogito-dev/cogito/internal/userpool/clients"
	"github.com/cogito-dev/cogito/internal/userpool/groups"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
	"github.com/cogito-dev/cogito/internal/userpool/signup"
	"github.com/cogito-dev/cogito/internal/userpool/users"
)

// register lets every service package fill its operations. An operation no
// package fills stays nil: the table answers it with NotImplementedException
// and docs/compatibility.md lists it as not implemented.
func (s *Server) register() {
	s.users = users.New(users.Config{Store: s.store, Sender: s.sender, Clock: s.clock, Logger: s.log})
	s.users.Register(s.idp)
	pools.New(pools.Config{
		Store: s.store, Keys: s.keys, Clock: s.clock,
		Region: s.cfg.Region, AccountID: s.cfg.AccountID, Logger: s.log,
		CountUsers: s.users.CountUsers,
	}).Register(s.idp)
	s.clients = clients.New(clients.Config{
		Store: s.store, Sealer: s.sealer, Clock: s.clock,
		Region: s.cfg.Region, AccountID: s.cfg.AccountID, Logger: s.log,
	})
	s.clients.Register(s.idp)
	s.groups = groups.New(groups.Config{Store: s.store, Clock: s.clock, Logger: s.log})
	s.groups.Register(s.idp)
	signup.New(signup.Config{Store: s.store, Clients: s.clients, Sender: s.sender, Clock: s.clock, Logger: s.log}).Register(s.idp)
}
