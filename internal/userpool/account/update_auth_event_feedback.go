package account

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// UpdateAuthEventFeedback records a user's feedback (Valid or Invalid) on one
// of their auth events, authorized by the event's FeedbackToken (see
// FeedbackToken) instead of credentials; EventFeedback then shows it with
// Provider "User". The pool must have threat protection.
func (s *Service) UpdateAuthEventFeedback(ctx context.Context, in *cognitoidp.UpdateAuthEventFeedbackRequest) (*cognitoidp.UpdateAuthEventFeedbackResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID, eventID := api.Deref(in.UserPoolId), api.Deref(in.EventId)
	_, _, u, err := s.findUser(ctx, poolID, api.Deref(in.Username), requireThreatProtection)
	if err != nil {
		return nil, err
	}
	if !s.feedbackTokenValid(api.Deref(in.FeedbackToken), u.PoolID, u.Sub, eventID) {
		return nil, cognitoidp.NewNotAuthorizedException(msgInvalidFeedbackToken)
	}
	if err := s.setFeedback(ctx, u.PoolID, u.Key, eventID, api.Deref(in.FeedbackValue), providerUser); err != nil {
		return nil, err
	}
	return &cognitoidp.UpdateAuthEventFeedbackResponse{}, nil
}
