package server

import "context"

// Hooks of the newest members of existing shapes (issue 9, item 6) between
// families that are built at different points of register.

// replicaRegions lists the Regions of a pool's replicas for the domains
// family, which checks a custom domain's failover Routing against them
// (domains.Config.ReplicaRegions). The replicas family is built after the
// domains family; until then (never while serving) there are none.
func (s *Server) replicaRegions(ctx context.Context, poolID string) ([]string, error) {
	if s.issue9.replicas == nil {
		return nil, nil
	}
	return s.issue9.replicas.ReplicaRegions(ctx, poolID)
}
