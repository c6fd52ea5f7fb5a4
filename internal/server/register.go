package server

// register lets every service package fill its operations. An operation no
// package fills stays nil: the table answers it with NotImplementedException
// and docs/compatibility.md lists it as not implemented.
func (s *Server) register() {
}
