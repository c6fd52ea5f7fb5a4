package token

import (
	"crypto/sha256"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// minted holds what both tokens of one issuance share.
type minted struct {
	iss                string
	originJTI, eventID string
	authTime, iat      int64
	idExp, accessExp   int64
	scopes             []string
	idJTI, accessJTI   string
	identities         string
	attrNames          []string // the ID token's attributes, sorted
	accessToken        string   // for at_hash
}

// accessClaims is the access token's payload, in the order of the developer
// guide's example: sub, cognito:groups, device_key, iss, client_id,
// origin_jti, event_id, token_use, scope, auth_time, exp, iat, jti,
// (version), username.
func accessClaims(sub *Subject, m *minted) ([]byte, error) {
	c := newClaimSet(16)
	c.str("sub", sub.Sub)
	if len(sub.Groups) > 0 {
		c.strs("cognito:groups", sub.Groups)
	}
	if sub.DeviceKey != "" {
		c.str("device_key", sub.DeviceKey)
	}
	c.str("iss", m.iss)
	c.str("client_id", sub.ClientID)
	c.str("origin_jti", m.originJTI)
	c.str("event_id", m.eventID)
	c.str("token_use", "access")
	c.str("scope", strings.Join(m.scopes, " "))
	c.num("auth_time", m.authTime)
	authContext(c, sub)
	c.num("exp", m.accessExp)
	c.num("iat", m.iat)
	c.str("jti", m.accessJTI)
	if sub.Version != 0 {
		c.num("version", int64(sub.Version))
	}
	c.str("username", sub.Username)
	if err := c.apply(sub.AccessOverride, true); err != nil {
		return nil, err
	}
	return c.marshal(), nil
}

// idClaims is the ID token's payload: (at_hash), sub, the group claims, the
// attributes by name, iss, cognito:username, origin_jti, aud, event_id,
// token_use, auth_time, exp, iat, jti, (nonce), (identities).
func idClaims(sub *Subject, m *minted) ([]byte, error) {
	c := newClaimSet(20 + len(m.attrNames))
	if sub.AtHash {
		sum := sha256.Sum256([]byte(m.accessToken))
		c.str("at_hash", b64.EncodeToString(sum[:len(sum)/2]))
	}
	c.str("sub", sub.Sub)
	if len(sub.Groups) > 0 {
		c.strs("cognito:groups", sub.Groups)
	}
	if len(sub.Roles) > 0 {
		c.strs("cognito:roles", sub.Roles)
	}
	if sub.PreferredRole != "" {
		c.str("cognito:preferred_role", sub.PreferredRole)
	}
	for _, name := range m.attrNames {
		addAttribute(c, name, sub.Attributes[name], attrType(sub.Types, name))
	}
	c.str("iss", m.iss)
	c.str("cognito:username", sub.Username)
	c.str("origin_jti", m.originJTI)
	c.str("aud", sub.ClientID)
	c.str("event_id", m.eventID)
	c.str("token_use", "id")
	c.num("auth_time", m.authTime)
	authContext(c, sub)
	c.num("exp", m.idExp)
	c.num("iat", m.iat)
	c.str("jti", m.idJTI)
	if sub.Nonce != "" {
		c.str("nonce", sub.Nonce)
	}
	if m.identities != "" {
		if json.Valid([]byte(m.identities)) {
			c.raw("identities", []byte(m.identities))
		} else {
			c.str("identities", m.identities)
		}
	}
	if err := c.apply(sub.IDOverride, false); err != nil {
		return nil, err
	}
	return c.marshal(), nil
}

// authContext adds the acr and amr claims of a sign-in that has them
// (both tokens, after auth_time; unverified placement).
func authContext(c *claimSet, sub *Subject) {
	if sub.ACR != "" {
		c.str("acr", sub.ACR)
	}
	if len(sub.AMR) > 0 {
		c.strs("amr", sub.AMR)
	}
}

// attributeNames lists the attributes the ID token shows, by name: all but
// sub and identities (claims of their own) and any that would shadow a
// token claim.
func attributeNames(attrs map[string]string) []string {
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		if !attributeClaim(name) {
			continue
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// attributeClaim reports whether an attribute may appear as an ID-token claim.
func attributeClaim(name string) bool {
	switch name {
	case "sub", "identities", "iss", "aud", "exp", "iat", "jti", "auth_time", "token_use",
		"origin_jti", "event_id", "nonce", "at_hash", "cognito:username", "cognito:groups",
		"cognito:roles", "cognito:preferred_role", "acr", "amr":
		return false
	}
	return name != ""
}

// attrType is the schema type of an attribute: custom attributes are always
// strings in tokens; others per types, or per defaultType when types is nil.
func attrType(types map[string]string, name string) string {
	if strings.HasPrefix(name, "custom:") || strings.HasPrefix(name, "dev:") {
		return typeString
	}
	if types == nil {
		return defaultType(name)
	}
	if t, ok := types[name]; ok {
		return t
	}
	return typeString
}

// addAttribute adds one attribute claim typed per its schema: Boolean
// "true"/"false" as a JSON boolean, Number as a JSON number; anything that
// does not parse as its type stays a string.
func addAttribute(c *claimSet, name, v, typ string) {
	switch typ {
	case typeBoolean:
		switch strings.ToLower(v) {
		case "true":
			c.boolean(name, true)
			return
		case "false":
			c.boolean(name, false)
			return
		}
	case typeNumber:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			c.num(name, n)
			return
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil && !strings.ContainsAny(v, "xXpP_") && isFinite(f) {
			start := len(c.arena)
			c.arena = strconv.AppendFloat(c.arena, f, 'f', -1, 64)
			c.add(name, start)
			return
		}
	}
	c.str(name, v)
}

func isFinite(f float64) bool { return f-f == 0 }
