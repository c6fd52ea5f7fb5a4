package trigger

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// CustomSenderInput is what a custom email or SMS sender event tells.
type CustomSenderInput struct {
	// Source is the matching custom message source (CustomMessage_SignUp,
	// ...): the sender's own (CustomEmailSender_SignUp,
	// CustomSMSSender_SignUp, ...) follows from it and the medium.
	Source         string
	Medium         cognitoidp.DeliveryMediumType
	Username       string
	UserAttributes map[string]string
	// Code is the code or temporary password, plaintext; the event carries
	// it encrypted (or, in plaintext mode, as it is).
	Code string
	Caller
}

// HasCustomSender reports whether the pool sends messages of the medium
// through a custom sender trigger.
func HasCustomSender(pool *cognitoidp.UserPoolType, medium cognitoidp.DeliveryMediumType) bool {
	return customSenderARN(pool, medium) != ""
}

func customSenderARN(pool *cognitoidp.UserPoolType, medium cognitoidp.DeliveryMediumType) string {
	lc := lambdaConfig(pool)
	if medium == cognitoidp.DeliveryMediumTypeSms {
		if lc.CustomSMSSender != nil {
			return arnOf(lc.CustomSMSSender.LambdaArn)
		}
		return ""
	}
	if lc.CustomEmailSender != nil {
		return arnOf(lc.CustomEmailSender.LambdaArn)
	}
	return ""
}

// CustomSenderSource is the custom sender trigger source for a custom
// message source and medium: CustomMessage_SignUp by SMS is
// CustomSMSSender_SignUp.
func CustomSenderSource(customMessageSource string, medium cognitoidp.DeliveryMediumType) string {
	rest := strings.TrimPrefix(customMessageSource, "CustomMessage_")
	if medium == cognitoidp.DeliveryMediumTypeSms {
		return nameCustomSMSSender + "_" + rest
	}
	return nameCustomEmailSender + "_" + rest
}

// CustomSender hands a message to the pool's custom email or SMS sender
// trigger instead of delivering it: handled reports whether the pool has
// one for the medium. As in Cognito the function is invoked asynchronously
// (Lambda's Event invocation type) and its failures do not reach the
// caller: they are logged. The code is encrypted under the pool's KMSKeyID
// with the configured CodeEncrypter, or sent as it is in plaintext mode (no
// CodeEncrypter). A pool with a custom sender but no KMSKeyID outside
// plaintext mode gets nothing sent, and a logged error.
func (s *Service) CustomSender(ctx context.Context, pool *cognitoidp.UserPoolType, in *CustomSenderInput) (handled bool, err error) {
	arn := customSenderARN(pool, in.Medium)
	if arn == "" {
		return false, nil
	}
	name, typ := nameCustomEmailSender, typeCustomEmailSender
	if in.Medium == cognitoidp.DeliveryMediumTypeSms {
		name, typ = nameCustomSMSSender, typeCustomSMSSender
	}
	var code *string
	if in.Code != "" {
		code = ptr(in.Code)
	}
	if s.codes != nil && code != nil {
		keyID := arnOf(lambdaConfig(pool).KMSKeyID)
		if keyID == "" {
			s.log.ErrorContext(ctx, "custom sender trigger not invoked: the pool has no KMSKeyID to encrypt the code with", "pool", poolID(pool), "trigger", name)
			return true, nil
		}
		enc, err := s.codes.EncryptCode(ctx, keyID, []byte(in.Code), map[string]string{encryptionContextKey: poolID(pool)})
		if err != nil {
			s.log.ErrorContext(ctx, "custom sender trigger not invoked: encrypting the code failed", "pool", poolID(pool), "trigger", name, "err", err)
			return true, nil
		}
		code = &enc
	}
	ev := &Event[CustomSenderRequest, Empty]{
		Version: eventVersion1, TriggerSource: CustomSenderSource(in.Source, in.Medium), Region: s.region,
		UserPoolID: poolID(pool), UserName: ptr(in.Username),
		CallerContext: callerContext(ctx, in.Caller),
		Request: CustomSenderRequest{
			Type: typ, Code: code, UserAttributes: nonNil(in.UserAttributes), ClientMetadata: in.ClientMetadata,
		},
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		s.log.ErrorContext(ctx, "custom sender trigger not invoked: encoding the event failed", "err", err)
		return true, nil
	}
	if _, err := s.invoke(ctx, &Request{
		PoolID: poolID(pool), Function: arn, Trigger: name, Source: ev.TriggerSource, Payload: payload, Async: true,
	}); err != nil {
		s.log.WarnContext(ctx, "custom sender trigger failed", "pool", poolID(pool), "trigger", name, "function", arn, "err", err)
	}
	return true, nil
}
