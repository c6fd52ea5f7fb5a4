package server

import (
	"github.com/cogito-dev/cogito/internal/trigger"
)

// registerTriggers builds the Lambda trigger service from the configuration
// (where functions are invoked: the Lambda Invoke API, HTTP handlers, per
// function and per pool; how custom sender codes are encrypted) and hands
// messages of pools with a custom sender trigger to it. The other families
// get its hooks where register builds them: sign-up and the users family
// (signup.Hooks), account (CustomMessage), tokens (PreTokenGeneration).
func (s *Server) registerTriggers() {
	router, codes := s.cfg.Triggers.Build(s.cfg.Region)
	s.triggers = trigger.New(trigger.Config{
		Invoker: router, Store: s.store, Region: s.cfg.Region,
		Timeout: s.cfg.Triggers.Timeout, Attempts: s.cfg.Triggers.Attempts,
		Codes: codes, Clock: s.clock, Logger: s.log,
	})
	s.sender.UseCustomSender(s.triggers.SendCustom)
}
