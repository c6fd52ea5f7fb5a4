package groups

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/cogito-dev/cogito/internal/storage"
)

// ClaimsFor returns the group claims of the tokens of the user whose stored
// key is userKey: cognito:groups (names, best precedence first),
// cognito:roles (the distinct role ARNs of those groups, in the same order)
// and cognito:preferred_role ("" when there is none). A user in no group
// gets nil slices: the claims are then left out of the tokens.
func (s *Service) ClaimsFor(ctx context.Context, poolID, userKey string) (groups []string, roles []string, preferredRole string, err error) {
	var all []*storage.Group
	tok := ""
	for {
		gs, next, err := s.store.ListGroupsForUser(ctx, poolID, userKey, storage.Page{Token: tok, Limit: MaxGroupsPerUser})
		if err != nil {
			return nil, nil, "", fmt.Errorf("groups: list groups of a user of %s: %w", poolID, err)
		}
		all = append(all, gs...)
		if next == "" {
			break
		}
		tok = next
	}
	groups, roles, preferredRole = Claims(all)
	return groups, roles, preferredRole, nil
}

// Claims computes the group claims for a user's groups (see ClaimsFor and
// defaults.go for the rules). It does not change gs.
func Claims(gs []*storage.Group) (groups []string, roles []string, preferredRole string) {
	if len(gs) == 0 {
		return nil, nil, ""
	}
	sorted := slices.Clone(gs)
	slices.SortFunc(sorted, compareGroups)
	seen := map[string]bool{}
	for _, g := range sorted {
		groups = append(groups, g.Name)
		if g.RoleARN != nil && !seen[*g.RoleARN] {
			seen[*g.RoleARN] = true
			roles = append(roles, *g.RoleARN)
		}
	}
	switch len(roles) {
	case 0:
		return groups, nil, ""
	case 1:
		return groups, roles, roles[0]
	}
	// Several roles: the one of the best-precedence groups that carry a role,
	// if they agree. sorted puts the best precedence first, nulls last.
	var best *storage.Group
	for _, g := range sorted {
		if g.RoleARN == nil {
			continue
		}
		if best == nil {
			if g.Precedence == nil {
				// Every group with a role has a null precedence: none is best.
				return groups, roles, ""
			}
			best = g
			continue
		}
		if g.Precedence == nil || *g.Precedence != *best.Precedence {
			break
		}
		if *g.RoleARN != *best.RoleARN {
			return groups, roles, ""
		}
	}
	return groups, roles, *best.RoleARN
}

// compareGroups orders groups by precedence, lowest first and null last,
// then by name.
func compareGroups(a, b *storage.Group) int {
	switch {
	case a.Precedence == nil && b.Precedence != nil:
		return 1
	case a.Precedence != nil && b.Precedence == nil:
		return -1
	case a.Precedence != nil && *a.Precedence != *b.Precedence:
		return cmp.Compare(*a.Precedence, *b.Precedence)
	}
	return cmp.Compare(a.Name, b.Name)
}
