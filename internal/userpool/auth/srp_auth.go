package auth

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"

	"github.com/google/uuid"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/srp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// USER_SRP_AUTH: InitiateAuth{USERNAME, SRP_A} answers PASSWORD_VERIFIER
// with SALT, SRP_B, SECRET_BLOCK, USERNAME and USER_ID_FOR_SRP; the client
// answers with PASSWORD_CLAIM_SIGNATURE over SECRET_BLOCK and TIMESTAMP.
// SECRET_BLOCK carries the server's whole state (internal/srp.State: pool,
// client, user, A, B and b), sealed, so the answer needs no Session; the
// pool and user the proof is checked for come only from it.

// startSRP is the first step.
func (s *Service) startSRP(ctx context.Context, c *call, params map[string]string) (*result, error) {
	name, err := required(params, pUsername)
	if err != nil {
		return nil, err
	}
	if err := c.checkSecretHash(params, name); err != nil {
		return nil, err
	}
	aHex, err := required(params, pSRPA)
	if err != nil {
		return nil, err
	}
	A, err := srp.ParsePublic(aHex)
	if err != nil {
		return nil, cognitoidp.NewInvalidParameterException(msgInvalidSRPA)
	}
	u, err := s.findUser(ctx, c, name)
	if errors.Is(err, storage.ErrNotFound) {
		if !c.hideExistence() {
			return nil, c.unknownUser()
		}
		if err := s.preAuthentication(ctx, c, nil, name); err != nil {
			return nil, err
		}
		id, salt, v := s.simulated(c.poolID(), "name:"+c.schema.Key(name))
		return s.srpChallenge(c, id, A, salt, v)
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.precheck(ctx, c, u); err != nil {
		return nil, err
	}
	if err := s.preAuthentication(ctx, c, u, name); err != nil {
		return nil, err
	}
	creds, err := credentials(u)
	if err != nil {
		return nil, err
	}
	if creds == nil {
		// No password to prove (passwordless or imported): a challenge no
		// answer can meet, like Cognito's for unknown users.
		_, salt, v := s.simulated(c.poolID(), "user:"+u.Key)
		return s.srpChallenge(c, u.Username, A, salt, v)
	}
	return s.srpChallenge(c, u.Username, A, creds.Salt(), creds.Verifier())
}

// srpChallenge draws the server's secret and answers PASSWORD_VERIFIER for
// the user whose USER_ID_FOR_SRP is userID.
func (s *Service) srpChallenge(c *call, userID string, A *big.Int, salt []byte, v *big.Int) (*result, error) {
	b, B := srp.NewServerSession(v)
	sealed, err := srp.SealState(s.srpKey, srp.State{
		PoolID:   c.poolID(),
		ClientID: c.client.ID,
		Username: userID,
		A:        A,
		B:        B,
		Secret:   b,
		IssuedAt: s.clock.Now(),
	})
	if err != nil {
		return nil, fmt.Errorf("auth: sealing an SRP state: %w", err)
	}
	return &result{
		challenge: cognitoidp.ChallengeNameTypePasswordVerifier,
		parameters: map[string]string{
			pSalt:         srp.SaltHex(salt),
			pSRPB:         B.Text(16),
			pSecretBlock:  base64.StdEncoding.EncodeToString(sealed),
			pUsername:     userID,
			pUserIDForSRP: userID,
		},
	}, nil
}

// simulated derives, for a name, the stand-ins Cognito answers for a user
// it does not have (or who has no password): a UUID-shaped USER_ID_FOR_SRP,
// a salt and a verifier, the same every time for the same pool and name
// (and on every replica) and unrelated to any real user. Nobody knows a
// password for the verifier, so the answer always fails.
func (s *Service) simulated(poolID, name string) (userID string, salt []byte, v *big.Int) {
	mac := func(label string) []byte {
		m := hmac.New(sha256.New, s.simulatedKey)
		m.Write([]byte(label))
		m.Write([]byte{0})
		m.Write([]byte(poolID))
		m.Write([]byte{0})
		m.Write([]byte(name))
		return m.Sum(nil)
	}
	id := mac("user-id")[:16]
	id[6] = id[6]&0x0f | 0x40 // version 4
	id[8] = id[8]&0x3f | 0x80 // RFC 4122 variant
	u, _ := uuid.FromBytes(id)
	salt = mac("salt")[:srp.SaltSize]
	vb, err := hkdf.Key(sha256.New, mac("verifier"), nil, "cogito simulated verifier", len(srp.NHex)/2)
	if err != nil {
		panic("auth: hkdf: " + err.Error()) // only for lengths beyond 255 blocks
	}
	v = new(big.Int).SetBytes(vb)
	v.Mod(v, srp.N())
	if v.Cmp(big.NewInt(2)) < 0 {
		v.SetInt64(2)
	}
	return u.String(), salt, v
}

// verifySRP is the second step: RespondToAuthChallenge PASSWORD_VERIFIER.
func (s *Service) verifySRP(ctx context.Context, c *call, rawSession string, responses map[string]string) (*result, error) {
	name, err := required(responses, pUsername)
	if err != nil {
		return nil, err
	}
	if err := c.checkSecretHash(responses, name); err != nil {
		return nil, err
	}
	block, err := required(responses, pClaimBlock)
	if err != nil {
		return nil, err
	}
	claim, err := required(responses, pClaimSignature)
	if err != nil {
		return nil, err
	}
	ts, err := required(responses, pTimestamp)
	if err != nil {
		return nil, err
	}
	if _, err := srp.ParseTimestamp(ts); err != nil {
		return nil, cognitoidp.NewInvalidParameterException(msgBadTimestamp)
	}
	raw, err := base64.StdEncoding.DecodeString(block)
	if err != nil {
		return nil, incorrect()
	}
	now := s.clock.Now()
	validity := c.client.AuthSessionValidity()
	st, err := srp.OpenState(s.srpKey, raw, now, validity)
	switch {
	case errors.Is(err, srp.ErrStateExpired):
		return nil, cognitoidp.NewNotAuthorizedException(msgSessionExpired)
	case err != nil:
		return nil, incorrect()
	}
	if st.PoolID != c.poolID() || st.ClientID != c.client.ID || st.DeviceKey != "" {
		return nil, incorrect()
	}
	if _, err := srp.CheckTimestamp(ts, now, s.tolerance); err != nil {
		return nil, incorrect()
	}
	if err := s.consume(ctx, c, "srp-block:"+digest(block), st.IssuedAt.Add(validity), incorrect()); err != nil {
		return nil, err
	}
	u, err := s.getUser(ctx, c, st.Username)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, c.unknownUser()
	}
	if err != nil {
		return nil, err
	}
	failures, err := s.precheck(ctx, c, u)
	if err != nil {
		return nil, err
	}
	creds, err := credentials(u)
	if err != nil {
		return nil, err
	}
	if creds == nil {
		return nil, s.wrongPassword(ctx, c, u)
	}
	key, err := srp.ServerKey(st.A, st.B, st.Secret, creds.Verifier())
	if err != nil || !srp.CheckSignature(key, srp.PoolName(c.poolID()), st.Username, raw, ts, claim) {
		return nil, s.wrongPassword(ctx, c, u)
	}
	if s.isCustomSession(rawSession) {
		// CUSTOM_AUTH that began with SRP_A: the define auth challenge
		// trigger decides what follows the password.
		return s.customPasswordVerified(ctx, c, rawSession, responses, u, creds, failures)
	}
	flow, deviceKey, acr := s.srpFlow(c, rawSession, st.Username)
	a := c.attempt(u, flow, responses)
	a.acr = acr
	if a.DeviceKey == "" {
		a.DeviceKey = deviceKey
	}
	r, err := s.passwordVerified(ctx, c, a, creds, failures, "")
	if err != nil && a.DeviceKey != "" && awserr.Is(err, "ResourceNotFoundException") {
		// "Device does not exist.": Amplify drops its device and sends the
		// same answer (same SECRET_BLOCK) again without DEVICE_KEY, which
		// Cognito accepts, so an answer refused for its device does not
		// spend the block.
		if rerr := s.store.ResetCounter(ctx, c.poolID(), "srp-block:"+digest(block)); rerr != nil {
			return nil, fmt.Errorf("auth: releasing an SRP secret block of pool %s: %w", c.poolID(), rerr)
		}
	}
	return r, err
}
