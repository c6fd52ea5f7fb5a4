package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awsjson"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Auth events (AdminListUserAuthEvents) are kept as storage.AuthEvent rows.
// Their Data is the JSON document eventData, owned by this package:
//
//	{
//	  "risk":       {"RiskDecision": "NoRisk", "RiskLevel": "Low", "CompromisedCredentialsDetected": false},
//	  "challenges": [{"ChallengeName": "Password", "ChallengeResponse": "Success"}],
//	  "context":    {"IpAddress": "192.0.2.1", "DeviceName": "…", "Timezone": "…", "City": "…", "Country": "…"}
//	}
//
// each member optional, each the JSON of the API shape
// (cognitoidp.EventRiskType, []ChallengeResponseType, EventContextDataType).
// Other families record events through Service.RecordEvent rather than
// writing rows themselves.

// eventData is the stored document of an auth event.
type eventData struct {
	Risk       *cognitoidp.EventRiskType          `json:"risk,omitempty"`
	Challenges []cognitoidp.ChallengeResponseType `json:"challenges,omitempty"`
	Context    *cognitoidp.EventContextDataType   `json:"context,omitempty"`
}

// Event is an auth event to record (RecordEvent).
type Event struct {
	Type     cognitoidp.EventType
	Response cognitoidp.EventResponseType
	// Risk is what risk detection found; nil: no risk (RiskDecision NoRisk,
	// no compromised credentials).
	Risk *cognitoidp.EventRiskType
	// Challenges are the challenges answered during the event (Password, Mfa).
	Challenges []cognitoidp.ChallengeResponseType
	// Context describes where the request came from; nil: the request's
	// source IP address (awsjson.Info).
	Context *cognitoidp.EventContextDataType
}

// threatProtection reports whether the pool records auth events: its
// AdvancedSecurityMode is AUDIT or ENFORCED.
func threatProtection(up *cognitoidp.UserPoolType) bool {
	a := up.UserPoolAddOns
	if a == nil || a.AdvancedSecurityMode == nil {
		return false
	}
	m := *a.AdvancedSecurityMode
	return m == cognitoidp.AdvancedSecurityModeTypeAudit || m == cognitoidp.AdvancedSecurityModeTypeEnforced
}

// requireThreatProtection answers UserPoolAddOnNotEnabledException for a
// pool without threat protection.
func requireThreatProtection(up *cognitoidp.UserPoolType) error {
	if !threatProtection(up) {
		return cognitoidp.NewUserPoolAddOnNotEnabledException(msgAddOnNotEnabled)
	}
	return nil
}

// RecordEvent records an auth event of user u when the pool up has threat
// protection (nothing otherwise, as Cognito keeps no event history without
// it). It returns the new event's id ("" when nothing was recorded), the id
// sign-in puts in tokens as event_id and FeedbackToken seals.
func (s *Service) RecordEvent(ctx context.Context, up *cognitoidp.UserPoolType, u *storage.User, e Event) (string, error) {
	if !threatProtection(up) {
		return "", nil
	}
	d := eventData{Risk: e.Risk, Challenges: e.Challenges, Context: e.Context}
	if d.Risk == nil {
		d.Risk = &cognitoidp.EventRiskType{
			RiskDecision:                   api.Ptr(cognitoidp.RiskDecisionTypeNorisk),
			CompromisedCredentialsDetected: api.Ptr(false),
		}
	}
	if d.Context == nil {
		if ip := awsjson.Info(ctx).RemoteIP; ip != "" {
			d.Context = &cognitoidp.EventContextDataType{IpAddress: api.Ptr(ip)}
		}
	}
	data, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("account: encoding an auth event: %w", err)
	}
	ev := &storage.AuthEvent{
		PoolID:        u.PoolID,
		UserKey:       u.Key,
		EventID:       uuid.NewString(),
		EventType:     string(e.Type),
		EventResponse: string(e.Response),
		CreatedAt:     s.clk.Now(),
		Data:          data,
	}
	if err := s.store.AddAuthEvent(ctx, ev); err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			return "", nil // the user is gone
		}
		return "", fmt.Errorf("account: recording a %s event of a user of pool %s: %w", e.Type, u.PoolID, err)
	}
	if s.recorded != nil {
		if out, err := renderEvent(ev); err == nil {
			s.recorded(ctx, up, u, out)
		}
	}
	return ev.EventID, nil
}

// renderEvent shows a stored event as AdminListUserAuthEvents lists it.
func renderEvent(e *storage.AuthEvent) (cognitoidp.AuthEventType, error) {
	var d eventData
	if len(e.Data) > 0 {
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return cognitoidp.AuthEventType{}, fmt.Errorf("account: decoding auth event %s: %w", e.EventID, err)
		}
	}
	out := cognitoidp.AuthEventType{
		EventId:            api.Ptr(e.EventID),
		EventType:          api.Ptr(cognitoidp.EventType(e.EventType)),
		CreationDate:       api.NewTime(e.CreatedAt),
		EventResponse:      api.Ptr(cognitoidp.EventResponseType(e.EventResponse)),
		EventRisk:          d.Risk,
		ChallengeResponses: d.Challenges,
		EventContextData:   d.Context,
	}
	if e.FeedbackValue != "" {
		fb := &cognitoidp.EventFeedbackType{
			FeedbackValue: api.Ptr(cognitoidp.FeedbackValueType(e.FeedbackValue)),
			Provider:      api.Ptr(e.FeedbackProvider),
		}
		if e.FeedbackAt != nil {
			fb.FeedbackDate = api.NewTime(*e.FeedbackAt)
		}
		out.EventFeedback = fb
	}
	return out, nil
}

// setFeedback records feedback on one of the user's events; an unknown event
// is ResourceNotFoundException.
func (s *Service) setFeedback(ctx context.Context, poolID, userKey, eventID string, value cognitoidp.FeedbackValueType, provider string) error {
	now := s.clk.Now()
	_, err := s.store.UpdateAuthEvent(ctx, poolID, userKey, eventID, func(e *storage.AuthEvent) error {
		e.FeedbackValue = string(value)
		e.FeedbackProvider = provider
		e.FeedbackAt = &now
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return cognitoidp.NewResourceNotFoundException(msgEventNotFound)
	}
	if err != nil {
		return fmt.Errorf("account: recording feedback on an auth event of pool %s: %w", poolID, err)
	}
	return nil
}
