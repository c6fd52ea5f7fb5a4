package webauthn

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// creationOptions is PublicKeyCredentialCreationOptionsJSON as Cognito sends
// it (members in alphabetical order, as the AWS CLI example shows them).
type creationOptions struct {
	AuthenticatorSelection authenticatorSelection `json:"authenticatorSelection"`
	Challenge              string                 `json:"challenge"`
	ExcludeCredentials     []credentialDescriptor `json:"excludeCredentials"`
	PubKeyCredParams       []credentialParameter  `json:"pubKeyCredParams"`
	RP                     rpEntity               `json:"rp"`
	Timeout                int                    `json:"timeout"`
	User                   userEntity             `json:"user"`
}

type authenticatorSelection struct {
	RequireResidentKey bool   `json:"requireResidentKey"`
	ResidentKey        string `json:"residentKey"`
	UserVerification   string `json:"userVerification"`
}

type credentialDescriptor struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type credentialParameter struct {
	Alg  int    `json:"alg"`
	Type string `json:"type"`
}

type rpEntity struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type userEntity struct {
	DisplayName string `json:"displayName"`
	ID          string `json:"id"`
	Name        string `json:"name"`
}

// StartWebAuthnRegistration answers the options a browser's
// navigator.credentials.create() takes to make a passkey for the signed-in
// user, and records the challenge CompleteWebAuthnRegistration checks.
func (s *Service) StartWebAuthnRegistration(ctx context.Context, in *cognitoidp.StartWebAuthnRegistrationRequest) (*cognitoidp.StartWebAuthnRegistrationResponse, error) {
	c, err := s.auth.Authenticate(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	rp, err := s.relyingPartyOf(ctx, c.Pool)
	if err != nil {
		return nil, err
	}
	if !rp.Enabled {
		return nil, cognitoidp.NewWebAuthnNotEnabledException(msgNotEnabled)
	}
	poolID := c.User.PoolID
	existing, err := s.userCredentials(ctx, poolID, c.User.Key)
	if err != nil {
		return nil, err
	}
	if len(existing) >= s.maxCredentials {
		return nil, cognitoidp.NewLimitExceededException(msgLimitExceeded)
	}
	challenge, err := newChallenge()
	if err != nil {
		return nil, err
	}
	opts := creationOptions{
		AuthenticatorSelection: authenticatorSelection{
			RequireResidentKey: true,
			ResidentKey:        "required",
			UserVerification:   rp.UserVerification,
		},
		Challenge:          challenge,
		ExcludeCredentials: make([]credentialDescriptor, 0, len(existing)),
		PubKeyCredParams: []credentialParameter{
			{Alg: algES256, Type: "public-key"},
			{Alg: algRS256, Type: "public-key"},
		},
		RP:      rpEntity{ID: rp.ID, Name: rp.ID},
		Timeout: RegistrationTimeoutMillis,
		User: userEntity{
			DisplayName: c.User.Username,
			ID:          userHandle(c.User.Sub),
			Name:        c.User.Username,
		},
	}
	for _, r := range existing {
		opts.ExcludeCredentials = append(opts.ExcludeCredentials, credentialDescriptor{ID: r.ID, Type: "public-key"})
	}
	doc, err := json.Marshal(opts)
	if err != nil {
		return nil, fmt.Errorf("webauthn: encoding creation options: %w", err)
	}
	err = s.putPending(ctx, poolID, c.User.Key, &pendingDoc{
		Challenge:        challenge,
		ClientID:         c.Claims.ClientID,
		RelyingPartyID:   rp.ID,
		UserVerification: rp.UserVerification,
		ExpiresAt:        s.clk.Now().Add(PendingRegistrationValidity),
	})
	if err != nil {
		return nil, err
	}
	return &cognitoidp.StartWebAuthnRegistrationResponse{CredentialCreationOptions: doc}, nil
}
