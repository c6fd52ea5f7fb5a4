package logdelivery

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awsjson"
	"github.com/cogito-dev/cogito/internal/storage"
)

// logEvent is one exported log line.
type logEvent struct {
	EventTimestamp string      `json:"eventTimestamp"`
	EventSource    string      `json:"eventSource"`
	LogLevel       string      `json:"logLevel"`
	Message        any         `json:"message"`
	LogSourceID    logSourceID `json:"logSourceId"`
}

type logSourceID struct {
	UserPoolID string `json:"userPoolId"`
}

// notificationMessage is the message of a USER_NOTIFICATION line.
type notificationMessage struct {
	Details string `json:"details"`
}

// activityMessage is the message of a USER_ACTIVITY line.
type activityMessage struct {
	Version                       string           `json:"version"`
	EventID                       string           `json:"eventId"`
	EventType                     string           `json:"eventType"`
	UserSub                       string           `json:"userSub"`
	UserName                      string           `json:"userName"`
	UserPoolID                    string           `json:"userPoolId"`
	ClientID                      string           `json:"clientId"`
	CreationDate                  string           `json:"creationDate"`
	EventResponse                 string           `json:"eventResponse"`
	RiskLevel                     string           `json:"riskLevel"`
	RiskDecision                  string           `json:"riskDecision"`
	Challenges                    []challengeEntry `json:"challenges"`
	DeviceName                    string           `json:"deviceName"`
	IPAddress                     string           `json:"ipAddress"`
	RequestID                     string           `json:"requestId"`
	IdpName                       string           `json:"idpName"`
	CompromisedCredentialDetected string           `json:"compromisedCredentialDetected"`
	City                          string           `json:"city"`
	Country                       string           `json:"country"`
	EventFeedbackValue            string           `json:"eventFeedbackValue"`
	EventFeedbackDate             string           `json:"eventFeedbackDate"`
	EventFeedbackProvider         string           `json:"eventFeedbackProvider"`
	HasContextData                string           `json:"hasContextData"`
}

type challengeEntry struct {
	ChallengeName     string `json:"challengeName"`
	ChallengeResponse string `json:"challengeResponse"`
}

// riskDecisions spells the API's RiskDecision in the log (unverified).
var riskDecisions = map[cognitoidp.RiskDecisionType]string{
	cognitoidp.RiskDecisionTypeNorisk:          "PASS",
	cognitoidp.RiskDecisionTypeBlock:           "BLOCK",
	cognitoidp.RiskDecisionTypeAccounttakeover: "ACCOUNT_TAKEOVER",
}

// sinkFor returns the sink of the pool's configuration for source, or nil
// when the pool does not export it.
func (s *Service) sinkFor(ctx context.Context, poolID string, source cognitoidp.EventSourceName) Sink {
	cfgs, err := s.configuration(ctx, poolID)
	if err != nil {
		s.log.Warn("log delivery: reading the configuration", "pool", poolID, "err", err)
		return nil
	}
	for i := range cfgs {
		if c := &cfgs[i]; *c.EventSource == source {
			arn, _, _ := destination(c)
			return s.sinks.For(arn)
		}
	}
	return nil
}

// deliver writes one line; failures are logged (delivery is best effort).
func (s *Service) deliver(ctx context.Context, sink Sink, poolID string, ev logEvent) {
	b, err := json.Marshal(ev)
	if err == nil {
		err = sink.Write(ctx, b)
	}
	if err != nil {
		s.log.Warn("log delivery failed", "pool", poolID, "source", ev.EventSource, "err", err)
	}
}

func millis(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// NotificationFailed exports a message-delivery error of pool poolID when
// the pool's configuration asks for userNotification logs. details
// describes the failure; it must hold no code or secret.
func (s *Service) NotificationFailed(ctx context.Context, poolID, details string) {
	if poolID == "" {
		return
	}
	sink := s.sinkFor(ctx, poolID, cognitoidp.EventSourceNameUserNotification)
	if sink == nil {
		return
	}
	s.deliver(ctx, sink, poolID, logEvent{
		EventTimestamp: millis(s.clk.Now()),
		EventSource:    sourceNotification,
		LogLevel:       string(cognitoidp.LogLevelError),
		Message:        notificationMessage{Details: details},
		LogSourceID:    logSourceID{UserPoolID: poolID},
	})
}

// AuthEvent exports a recorded auth event of user u when the pool is on the
// Plus plan and its configuration asks for userAuthEvents logs. The account
// family calls it for every event it records (it records them only while
// threat protection is on).
func (s *Service) AuthEvent(ctx context.Context, up *cognitoidp.UserPoolType, u *storage.User, ev cognitoidp.AuthEventType) {
	poolID := api.Deref(up.Id)
	if api.Deref(up.UserPoolTier) != cognitoidp.UserPoolTierTypePlus {
		return
	}
	sink := s.sinkFor(ctx, poolID, cognitoidp.EventSourceNameUserAuthEvents)
	if sink == nil {
		return
	}
	at := s.clk.Now()
	if ev.CreationDate != nil {
		at = ev.CreationDate.Time
	}
	m := activityMessage{
		Version:                       "1",
		EventID:                       api.Deref(ev.EventId),
		EventType:                     string(api.Deref(ev.EventType)),
		UserSub:                       u.Sub,
		UserName:                      u.Username,
		UserPoolID:                    poolID,
		CreationDate:                  at.UTC().Format(javaDateLayout),
		EventResponse:                 string(api.Deref(ev.EventResponse)),
		Challenges:                    []challengeEntry{},
		RequestID:                     awsjson.Info(ctx).RequestID,
		CompromisedCredentialDetected: "false",
		HasContextData:                "false",
	}
	if r := ev.EventRisk; r != nil {
		m.RiskDecision = riskDecisions[api.Deref(r.RiskDecision)]
		m.RiskLevel = strings.ToUpper(string(api.Deref(r.RiskLevel)))
		m.CompromisedCredentialDetected = strconv.FormatBool(api.Deref(r.CompromisedCredentialsDetected))
	}
	for _, c := range ev.ChallengeResponses {
		m.Challenges = append(m.Challenges, challengeEntry{
			ChallengeName:     string(api.Deref(c.ChallengeName)),
			ChallengeResponse: string(api.Deref(c.ChallengeResponse)),
		})
	}
	if c := ev.EventContextData; c != nil {
		m.DeviceName = api.Deref(c.DeviceName)
		m.IPAddress = api.Deref(c.IpAddress)
		m.City = api.Deref(c.City)
		m.Country = api.Deref(c.Country)
		m.HasContextData = "true"
	}
	if f := ev.EventFeedback; f != nil {
		m.EventFeedbackValue = string(api.Deref(f.FeedbackValue))
		m.EventFeedbackProvider = api.Deref(f.Provider)
		if f.FeedbackDate != nil {
			m.EventFeedbackDate = f.FeedbackDate.UTC().Format(javaDateLayout)
		}
	}
	s.deliver(ctx, sink, poolID, logEvent{
		EventTimestamp: millis(s.clk.Now()),
		EventSource:    sourceActivity,
		LogLevel:       string(cognitoidp.LogLevelInfo),
		Message:        m,
		LogSourceID:    logSourceID{UserPoolID: poolID},
	})
}
