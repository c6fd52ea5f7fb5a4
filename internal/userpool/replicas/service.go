// Package replicas implements multi-Region replication of user pools:
// CreateUserPoolReplica, ListUserPoolReplicas, UpdateUserPoolReplica and
// DeleteUserPoolReplica with the status (CREATING → INACTIVE ⇄ ACTIVE,
// DELETING) and role (PRIMARY, SECONDARY) lifecycle, the ReplicaRegions that
// ListUserPools shows, the tags of replica ARNs, and what a secondary Region
// serves (Check, which the server runs before every User Pools operation).
//
// Cogito keeps one copy of every pool, so a replica is a record — a
// storage.Resource of kind "replica" per Region — plus the rules a request in
// that Region meets. A request is in the Region its SigV4 credential scope
// names, else the Region a path prefix (/eu-west-1/…) or a host name
// (cognito-idp.eu-west-1.…) names, else the server's own (RequestRegion).
// Replicas can only be placed in the Regions the server is configured to
// serve. Status transitions are computed from the clock (no background
// work), so every server on one database sees the same status. Cognito facts
// the package relies on are in defaults.go.
package replicas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// Store is what the service needs of the storage backend (storage.Store
// provides it).
type Store interface {
	storage.PoolStore
	storage.ClientStore
	storage.ResourceStore
	storage.TagStore
}

// Config holds the service's dependencies. Store, Region and AccountID are
// required; a nil Clock is the real clock, a nil Logger discards, a zero
// Transition is TransitionDelay.
type Config struct {
	Store     Store
	Clock     clock.Clock
	Logger    *slog.Logger
	Region    string // the server's own Region, where pools are primary
	AccountID string
	// Regions are the other Regions this server serves: where replicas may
	// be created.
	Regions []string
	// Transition is how long CREATING and DELETING last.
	Transition time.Duration
}

// Service implements the replica operations.
type Service struct {
	store      Store
	clk        clock.Clock
	log        *slog.Logger
	region     string
	accountID  string
	regions    []string
	transition time.Duration
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{
		store: cfg.Store, clk: cfg.Clock, log: cfg.Logger,
		region: cfg.Region, accountID: cfg.AccountID,
		regions: slices.Clone(cfg.Regions), transition: cfg.Transition,
	}
	if s.clk == nil {
		s.clk = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.transition <= 0 {
		s.transition = TransitionDelay
	}
	return s
}

// Register fills the replica operations of h.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.CreateUserPoolReplica = s.CreateUserPoolReplica
	h.ListUserPoolReplicas = s.ListUserPoolReplicas
	h.UpdateUserPoolReplica = s.UpdateUserPoolReplica
	h.DeleteUserPoolReplica = s.DeleteUserPoolReplica
}

// record is the stored state of a replica (Settings).
type record struct {
	// Status is the status last set: CREATING, INACTIVE, ACTIVE or DELETING.
	Status cognitoidp.ReplicaStatusType `json:"Status"`
	// Until is when CREATING becomes INACTIVE, or when a DELETING replica is
	// gone.
	Until time.Time `json:"Until,omitzero"`
}

// replica is a replica as of now.
type replica struct {
	poolID, region string
	status         cognitoidp.ReplicaStatusType
	gone           bool
}

// at returns the replica's state at now.
func (r *record) at(poolID, region string, now time.Time) replica {
	out := replica{poolID: poolID, region: region, status: r.Status}
	switch r.Status {
	case cognitoidp.ReplicaStatusTypeCreating:
		if !now.Before(r.Until) {
			out.status = cognitoidp.ReplicaStatusTypeInactive
		}
	case cognitoidp.ReplicaStatusTypeDeleting:
		out.gone = !now.Before(r.Until)
	}
	return out
}

func decode(r *storage.Resource) (*record, error) {
	rec := new(record)
	if err := json.Unmarshal(r.Settings, rec); err != nil {
		return nil, fmt.Errorf("replicas: decoding replica %s of %s: %w", r.ID, r.PoolID, err)
	}
	return rec, nil
}

// ARN returns the ARN of a pool's replica in region.
func (s *Service) ARN(poolID, region string) string { return pools.ARN(region, s.accountID, poolID) }

// primaryRegion is the Region of the pool's primary: the one its id names.
func (s *Service) primaryRegion(poolID string) string {
	if r, ok := ids.RegionOfPoolID(poolID); ok {
		return r
	}
	return s.region
}

// replicaType renders a replica.
func (s *Service) replicaType(r replica, role cognitoidp.ReplicaRoleType) cognitoidp.UserPoolReplicaType {
	return cognitoidp.UserPoolReplicaType{
		RegionName:  api.Ptr(r.region),
		Status:      api.Ptr(r.status),
		Role:        api.Ptr(role),
		UserPoolArn: api.Ptr(s.ARN(r.poolID, r.region)),
	}
}

// loadPool returns the pool's settings, or ResourceNotFoundException.
func (s *Service) loadPool(ctx context.Context, poolID string) (*cognitoidp.UserPoolType, error) {
	return pools.Load(ctx, s.store, poolID)
}

// list returns the pool's live replicas by Region, removing those whose
// deletion is over.
func (s *Service) list(ctx context.Context, poolID string) ([]replica, error) {
	now := s.clk.Now()
	var out []replica
	page := storage.Page{Limit: 100}
	for {
		rs, next, err := s.store.ListResources(ctx, poolID, resourceKind, "", page)
		if err != nil {
			return nil, fmt.Errorf("replicas: listing replicas of %s: %w", poolID, err)
		}
		for _, r := range rs {
			rec, err := decode(r)
			if err != nil {
				return nil, err
			}
			rp := rec.at(poolID, r.ID, now)
			if rp.gone {
				s.remove(ctx, poolID, r.ID)
				continue
			}
			out = append(out, rp)
		}
		if next == "" {
			return out, nil
		}
		page.Token = next
	}
}

// get returns the pool's live replica in region; storage.ErrNotFound when
// there is none.
func (s *Service) get(ctx context.Context, poolID, region string) (replica, error) {
	r, err := s.store.GetResource(ctx, poolID, resourceKind, region)
	if err != nil {
		return replica{}, err
	}
	rec, err := decode(r)
	if err != nil {
		return replica{}, err
	}
	rp := rec.at(poolID, region, s.clk.Now())
	if rp.gone {
		s.remove(ctx, poolID, region)
		return replica{}, storage.ErrNotFound
	}
	return rp, nil
}

// remove forgets a replica whose deletion is over, and its tags.
func (s *Service) remove(ctx context.Context, poolID, region string) {
	if err := s.store.DeleteResource(ctx, poolID, resourceKind, region); err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.log.Warn("removing a deleted replica", "pool", poolID, "region", region, "err", err)
		return
	}
	if err := s.store.DeleteAllTags(ctx, s.ARN(poolID, region)); err != nil {
		s.log.Warn("removing the tags of a deleted replica", "pool", poolID, "region", region, "err", err)
	}
}

// ReplicaRegions returns the Regions of a pool's secondary replicas, sorted
// (ListUserPools' ReplicaRegions).
func (s *Service) ReplicaRegions(ctx context.Context, poolID string) ([]string, error) {
	rs, err := s.list(ctx, poolID)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.region
	}
	return out, nil
}

// notFound is the ResourceNotFoundException for a Region without a replica.
func notFound(poolID, region string) error {
	return cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgReplicaNotFound, region, poolID))
}
