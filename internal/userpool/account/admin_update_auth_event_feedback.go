package account

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// AdminUpdateAuthEventFeedback records an administrator's feedback (Valid or
// Invalid) on one of a user's auth events; EventFeedback then shows it with
// Provider "Admin". The pool must have threat protection.
func (s *Service) AdminUpdateAuthEventFeedback(ctx context.Context, in *cognitoidp.AdminUpdateAuthEventFeedbackRequest) (*cognitoidp.AdminUpdateAuthEventFeedbackResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	_, _, u, err := s.findUser(ctx, api.Deref(in.UserPoolId), api.Deref(in.Username), requireThreatProtection)
	if err != nil {
		return nil, err
	}
	if err := s.setFeedback(ctx, u.PoolID, u.Key, api.Deref(in.EventId), api.Deref(in.FeedbackValue), providerAdmin); err != nil {
		return nil, err
	}
	return &cognitoidp.AdminUpdateAuthEventFeedbackResponse{}, nil
}
