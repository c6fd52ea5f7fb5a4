package replicas

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// msgTooManyTags is the pools family's (unverified wording; the limit is
// documented).
const msgTooManyTags = "A user pool can have as many as 50 tags."

// WrapTags extends TagResource, UntagResource and ListTagsForResource of h
// (already registered by the pools family) to the ARNs of replicas, whose
// tags are their own; other ARNs go to the pools family as before.
func (s *Service) WrapTags(h *cognitoidp.Handlers) {
	tag, untag, list := h.TagResource, h.UntagResource, h.ListTagsForResource
	if tag == nil || untag == nil || list == nil {
		return
	}
	h.TagResource = func(ctx context.Context, in *cognitoidp.TagResourceRequest) (*cognitoidp.TagResourceResponse, error) {
		arn, ok, err := s.replicaARN(ctx, in.ResourceArn)
		if err != nil || !ok {
			if err != nil {
				return nil, err
			}
			return tag(ctx, in)
		}
		if err := in.Validate(); err != nil {
			return nil, err
		}
		cur, err := s.store.GetTags(ctx, arn)
		if err != nil {
			return nil, fmt.Errorf("replicas: reading tags of %s: %w", arn, err)
		}
		n := len(cur)
		for k := range in.Tags {
			if _, ok := cur[k]; !ok {
				n++
			}
		}
		if n > pools.MaxTagsPerPool {
			return nil, cognitoidp.NewInvalidParameterException(msgTooManyTags)
		}
		if err := s.store.SetTags(ctx, arn, in.Tags); err != nil {
			return nil, fmt.Errorf("replicas: tagging %s: %w", arn, err)
		}
		return &cognitoidp.TagResourceResponse{}, nil
	}
	h.UntagResource = func(ctx context.Context, in *cognitoidp.UntagResourceRequest) (*cognitoidp.UntagResourceResponse, error) {
		arn, ok, err := s.replicaARN(ctx, in.ResourceArn)
		if err != nil || !ok {
			if err != nil {
				return nil, err
			}
			return untag(ctx, in)
		}
		if err := in.Validate(); err != nil {
			return nil, err
		}
		if err := s.store.RemoveTags(ctx, arn, in.TagKeys); err != nil {
			return nil, fmt.Errorf("replicas: untagging %s: %w", arn, err)
		}
		return &cognitoidp.UntagResourceResponse{}, nil
	}
	h.ListTagsForResource = func(ctx context.Context, in *cognitoidp.ListTagsForResourceRequest) (*cognitoidp.ListTagsForResourceResponse, error) {
		arn, ok, err := s.replicaARN(ctx, in.ResourceArn)
		if err != nil || !ok {
			if err != nil {
				return nil, err
			}
			return list(ctx, in)
		}
		if err := in.Validate(); err != nil {
			return nil, err
		}
		tags, err := s.store.GetTags(ctx, arn)
		if err != nil {
			return nil, fmt.Errorf("replicas: reading tags of %s: %w", arn, err)
		}
		return &cognitoidp.ListTagsForResourceResponse{Tags: tags}, nil
	}
}

// replicaARN reports whether arn names a live replica of a pool (a user pool
// ARN of this account in another Region than the server's, where the pool
// has a replica).
func (s *Service) replicaARN(ctx context.Context, arn *string) (string, bool, error) {
	if arn == nil {
		return "", false, nil
	}
	parts := strings.SplitN(*arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "cognito-idp" || parts[3] == s.region || parts[4] != s.accountID {
		return "", false, nil
	}
	poolID, ok := strings.CutPrefix(parts[5], "userpool/")
	if !ok || !userPoolIDPattern.MatchString(poolID) || *arn != s.ARN(poolID, parts[3]) {
		return "", false, nil
	}
	if _, err := s.get(ctx, poolID, parts[3]); errors.Is(err, storage.ErrNotFound) {
		return "", false, nil
	} else if err != nil {
		return "", false, fmt.Errorf("replicas: reading the replica of %s in %s: %w", poolID, parts[3], err)
	}
	return *arn, true, nil
}
