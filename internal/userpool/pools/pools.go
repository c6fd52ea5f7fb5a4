// Package pools implements the user-pool resource family of the User Pools
// API: CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool,
// ListUserPools, AddCustomAttributes, the tagging operations and
// GetSigningCertificate.
//
// A pool's configuration is stored as the JSON of cognitoidp.UserPoolType in
// storage.UserPool.Settings, exactly as DescribeUserPool returns it (Id, Name,
// Arn and every setting), without the values that live elsewhere or change on
// their own: the dates (the record's CreatedAt/UpdatedAt), the tags (the tag
// store), EstimatedNumberOfUsers and the domains (computed at read time).
// Other packages read it with Decode.
package pools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/keys"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Config holds the Service's dependencies. Store, Clock, Region and
// AccountID are required; the hooks are optional.
type Config struct {
	Store     storage.Store
	Keys      *keys.Manager // nil: no signing keys are made (tests of other families)
	Clock     clock.Clock
	Region    string
	AccountID string
	Logger    *slog.Logger

	// CountUsers returns the number of users in a pool, shown as
	// EstimatedNumberOfUsers. Nil: 0 (no users family wired yet).
	CountUsers func(ctx context.Context, poolID string) (int, error)
	// Domains returns the pool's prefix domain and custom domain ("" for
	// none), shown as Domain and CustomDomain. Nil: none.
	Domains func(ctx context.Context, poolID string) (domain, customDomain string, err error)
	// BeforeDelete may refuse DeleteUserPool with a Cognito error (for
	// example while the pool still has a domain). Nil: no extra checks.
	BeforeDelete func(ctx context.Context, poolID string) error
}

// Service implements the user-pool operations.
type Service struct {
	store     storage.Store
	keys      *keys.Manager
	clk       clock.Clock
	region    string
	accountID string
	log       *slog.Logger

	countUsers   func(ctx context.Context, poolID string) (int, error)
	domains      func(ctx context.Context, poolID string) (string, string, error)
	beforeDelete func(ctx context.Context, poolID string) error
}

// New returns a Service. A nil Logger discards; a nil Clock is the real clock.
func New(cfg Config) *Service {
	s := &Service{
		store:        cfg.Store,
		keys:         cfg.Keys,
		clk:          cfg.Clock,
		region:       cfg.Region,
		accountID:    cfg.AccountID,
		log:          cfg.Logger,
		countUsers:   cfg.CountUsers,
		domains:      cfg.Domains,
		beforeDelete: cfg.BeforeDelete,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.clk == nil {
		s.clk = clock.Real{}
	}
	return s
}

// Register fills the handlers of the operations this package implements.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.CreateUserPool = s.CreateUserPool
	h.DescribeUserPool = s.DescribeUserPool
	h.UpdateUserPool = s.UpdateUserPool
	h.DeleteUserPool = s.DeleteUserPool
	h.ListUserPools = s.ListUserPools
	h.AddCustomAttributes = s.AddCustomAttributes
	h.TagResource = s.TagResource
	h.UntagResource = s.UntagResource
	h.ListTagsForResource = s.ListTagsForResource
	h.GetSigningCertificate = s.GetSigningCertificate
}

// Decode returns the pool's configuration as DescribeUserPool shows it, with
// Id, Name and the dates taken from the record. Tags, EstimatedNumberOfUsers
// and domains are not filled (they are not part of the stored document).
func Decode(p *storage.UserPool) (*cognitoidp.UserPoolType, error) {
	up, ok := decoded.get(p.ID, p.Version, p.UpdatedAt)
	if !ok {
		up = new(cognitoidp.UserPoolType)
		if len(p.Settings) > 0 {
			if err := json.Unmarshal(p.Settings, up); err != nil {
				return nil, fmt.Errorf("pools: decoding settings of pool %s: %w", p.ID, err)
			}
		}
		// Pools stored before AcrConfiguration existed show it too.
		up.AcrConfiguration = EffectiveACR(up.AcrConfiguration)
		decoded.put(p.ID, p.Version, p.UpdatedAt, up)
	}
	up.Id = api.Ptr(p.ID)
	up.Name = api.Ptr(p.Name)
	up.CreationDate = api.NewTime(p.CreatedAt)
	up.LastModifiedDate = api.NewTime(p.UpdatedAt)
	return up, nil
}

// encode returns the stored document for up: everything but the values
// computed at read time.
func encode(up *cognitoidp.UserPoolType) ([]byte, error) {
	c := *up
	c.CreationDate = nil
	c.LastModifiedDate = nil
	c.EstimatedNumberOfUsers = 0
	c.UserPoolTags = nil
	c.Domain = nil
	c.CustomDomain = nil
	c.Status = nil
	b, err := json.Marshal(&c)
	if err != nil {
		return nil, fmt.Errorf("pools: encoding settings: %w", err)
	}
	return b, nil
}

// ARN returns a user pool's ARN.
func ARN(region, accountID, poolID string) string {
	return "arn:" + partition(region) + ":cognito-idp:" + region + ":" + accountID + ":userpool/" + poolID
}

func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "eusc-"):
		return "aws-eusc"
	}
	return "aws"
}

func (s *Service) arn(poolID string) string { return ARN(s.region, s.accountID, poolID) }

// notFound is the ResourceNotFoundException for an unknown pool.
func notFound(poolID string) error {
	return cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgPoolNotFound, poolID))
}

// storeErr maps storage sentinels to Cognito exceptions and wraps the rest.
func storeErr(err error, poolID, op string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, storage.ErrNotFound) {
		return notFound(poolID)
	}
	var ce *storage.ConflictError
	if errors.As(err, &ce) {
		return cognitoidp.NewConcurrentModificationException(msgConcurrentModification)
	}
	if _, ok := awserr.As(err); ok {
		return err // a Cognito error from an update closure
	}
	return fmt.Errorf("pools: %s %s: %w", op, poolID, err)
}

// getPool reads a pool or returns ResourceNotFoundException.
func (s *Service) getPool(ctx context.Context, poolID string) (*storage.UserPool, error) {
	p, err := s.store.GetPool(ctx, poolID)
	if err != nil {
		return nil, storeErr(err, poolID, "reading pool")
	}
	return p, nil
}

// describe returns the full DescribeUserPool view of a stored pool.
func (s *Service) describe(ctx context.Context, p *storage.UserPool) (*cognitoidp.UserPoolType, error) {
	up, err := Decode(p)
	if err != nil {
		return nil, err
	}
	tags, err := s.store.GetTags(ctx, s.arn(p.ID))
	if err != nil {
		return nil, fmt.Errorf("pools: reading tags of pool %s: %w", p.ID, err)
	}
	if len(tags) > 0 || describeShowsEmptyTags {
		if tags == nil {
			tags = map[string]string{}
		}
		up.UserPoolTags = tags
	}
	if err := s.fillVolatile(ctx, up); err != nil {
		return nil, err
	}
	return up, nil
}

// fillVolatile sets the values owned by other families: the user count and
// the domains.
func (s *Service) fillVolatile(ctx context.Context, up *cognitoidp.UserPoolType) error {
	poolID := *up.Id
	up.EstimatedNumberOfUsers = 0
	if s.countUsers != nil {
		n, err := s.countUsers(ctx, poolID)
		if err != nil {
			return fmt.Errorf("pools: counting users of pool %s: %w", poolID, err)
		}
		up.EstimatedNumberOfUsers = int32(min(n, int(^uint32(0)>>1)))
	}
	up.Domain, up.CustomDomain = nil, nil
	if s.domains != nil {
		d, cd, err := s.domains(ctx, poolID)
		if err != nil {
			return fmt.Errorf("pools: reading domains of pool %s: %w", poolID, err)
		}
		if d != "" {
			up.Domain = api.Ptr(d)
		}
		if cd != "" {
			up.CustomDomain = api.Ptr(cd)
		}
	}
	return nil
}

// Load reads a pool's settings for another resource family, answering
// ResourceNotFoundException "User pool {id} does not exist." when it is missing.
func Load(ctx context.Context, store storage.PoolStore, poolID string) (*cognitoidp.UserPoolType, error) {
	p, err := store.GetPool(ctx, poolID)
	if err != nil {
		return nil, storeErr(err, poolID, "reading pool")
	}
	return Decode(p)
}

// Get reads a pool's record for another family, or answers
// ResourceNotFoundException "User pool {id} does not exist.".
func Get(ctx context.Context, store storage.PoolStore, poolID string) (*storage.UserPool, error) {
	p, err := store.GetPool(ctx, poolID)
	if err != nil {
		return nil, storeErr(err, poolID, "reading pool")
	}
	return p, nil
}
