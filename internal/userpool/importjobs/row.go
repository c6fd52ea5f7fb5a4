package importjobs

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/password"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// Row outcomes, as Cognito's import log names them.
const (
	resultImported = "SUCCEEDED"
	resultSkipped  = "SKIPPED"
	resultFailed   = "FAILED"
)

// SettingsMFAEnabled is the member of a user's Settings document
// (storage.User.Settings) that records cognito:mfa_enabled true from an
// import: SMS MFA turned on for the user (Cognito's legacy per-user MFA).
// The MFA family reads it.
const SettingsMFAEnabled = "smsMfaEnabled"

// column is one header column.
type column struct {
	name string
	def  *attrs.Def // nil for the cognito: columns
}

// headerColumns checks a header against the pool's: every column of
// CSVHeader exactly once, in any order, and nothing else — plus the
// password-hash column for a job with a PasswordHashingAlgorithm.
func headerColumns(schema *attrs.Schema, header []string, withHash bool) ([]column, bool) {
	want := map[string]bool{}
	for _, n := range CSVHeader(schema) {
		want[n] = true
	}
	if withHash {
		want[ColumnPasswordHash] = true
	}
	if len(header) != len(want) {
		return nil, false
	}
	seen := map[string]bool{}
	cols := make([]column, len(header))
	for i, name := range header {
		if !want[name] || seen[name] {
			return nil, false
		}
		seen[name] = true
		cols[i].name = name
		if d, ok := schema.Def(name); ok && name != ColumnUsername && name != ColumnMFAEnabled && name != ColumnPasswordHash {
			cols[i].def = d
		}
	}
	return cols, true
}

// reUsername is the model's Username pattern ([\p{L}\p{M}\p{S}\p{N}\p{P}]+):
// no white space or control characters ("It can be any Unicode string.
// However, it cannot contain spaces or tabs.").
var reUsername = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)

// reCSVBirthdate is the birthdate format of the import file (mm/dd/yyyy).
var reCSVBirthdate = regexp.MustCompile(`^(\d{2})/(\d{2})/(\d{4})$`)

// rowImporter creates the users of one job.
type rowImporter struct {
	s      *Service
	ctx    context.Context
	pool   *cognitoidp.UserPoolType
	schema *attrs.Schema
	cols   []column
	// hashAlg is the job's PasswordHashingAlgorithm ("" for none).
	hashAlg string
}

// importRow creates the user of one record. It returns the outcome and its
// reason; an error means the import cannot go on (the Service is closing).
func (im *rowImporter) importRow(rec record) (result, reason string, err error) {
	failed := func(why string) (string, string, error) { return resultFailed, why, nil }
	if rec.chars > maxRowChars {
		return failed(rowTooLong)
	}
	if len(rec.fields) != len(im.cols) {
		return failed(rowFieldCount)
	}
	var (
		given, mfa, hash string
		in               []cognitoidp.AttributeType
	)
	for i, c := range im.cols {
		v := rec.fields[i]
		switch c.name {
		case ColumnUsername:
			given = v
			continue
		case ColumnMFAEnabled:
			mfa = v
			continue
		case ColumnPasswordHash:
			hash = v
			continue
		}
		if v == "" {
			continue
		}
		in = append(in, cognitoidp.AttributeType{Name: api.Ptr(c.name), Value: api.Ptr(fileValue(c.def, v))})
	}
	if given == "" {
		return failed(rowNoUsername)
	}
	if utf8.RuneCountInString(given) > maxUsernameChars || !reUsername.MatchString(given) {
		return failed(rowBadUsername)
	}
	mfaOn, ok := im.mfaEnabled(mfa)
	if !ok {
		return failed(rowMFA)
	}
	vals, err := im.schema.CheckWrite(in, attrs.OpCreate, attrs.AdminCaller, nil)
	if err != nil {
		return failed(clientMessage(err))
	}
	sub := ids.Sub()
	username, err := im.schema.NewUsername(given, sub, vals)
	if err != nil {
		return failed(clientMessage(err))
	}
	for _, kind := range []string{attrs.Email, attrs.PhoneNumber} {
		if vals[kind+"_verified"] == "true" && vals[kind] == "" {
			return failed(fmt.Sprintf(rowVerifiedWithoutValue, kind+"_verified", kind))
		}
	}
	if !im.autoVerified(vals) {
		return failed(rowNoAutoVerified)
	}
	if err := im.schema.CheckRequired(vals); err != nil {
		return failed(clientMessage(err))
	}

	now := im.s.clk.Now()
	status := cognitoidp.UserStatusTypeResetRequired
	var creds []byte
	if hash != "" {
		// A user imported with their password hash signs in with their old
		// password: CONFIRMED, not RESET_REQUIRED.
		c, err := password.NewImported(im.schema.PoolID, username, im.hashAlg, hash, now)
		if err != nil {
			return failed(rowBadHash)
		}
		if creds, err = c.Encode(); err != nil {
			return "", "", fmt.Errorf("importjobs: encoding imported credentials: %w", err)
		}
		status = cognitoidp.UserStatusTypeConfirmed
	}
	u := &storage.User{
		PoolID:     im.schema.PoolID,
		Key:        im.schema.Key(username),
		Username:   username,
		Sub:        sub,
		Status:     string(status),
		Enabled:    true,
		Password:   creds,
		Attributes: vals,
		Aliases:    im.schema.Aliases(vals),
		CreatedAt:  now,
		UpdatedAt:  now,
	}
	if mfaOn {
		u.Settings = []byte(`{"` + SettingsMFAEnabled + `":true}`)
	}
	err = im.s.store.CreateUser(im.ctx, u)
	var ue *storage.UniqueError
	switch {
	case err == nil:
		return resultImported, rowSucceeded, nil
	case errors.As(err, &ue) && (ue.Field == "username" || ue.Field == "sub"):
		return resultSkipped, rowExists, nil
	case errors.As(err, &ue):
		return failed(clientMessage(im.schema.AliasClash(err)))
	case im.ctx.Err() != nil:
		return "", "", im.ctx.Err()
	case errors.Is(err, storage.ErrNotFound):
		return failed(msgPoolDeleted) // the job goes with the pool at its next checkpoint
	}
	im.s.log.Error("import job: creating a user", "pool", im.schema.PoolID, "line", rec.line, "err", err)
	return failed(rowInternal)
}

// mfaEnabled reads cognito:mfa_enabled: required, a boolean, true for every
// user of a pool whose MFA is ON and false for every user of a pool whose MFA
// is OFF (documented).
func (im *rowImporter) mfaEnabled(v string) (on, ok bool) {
	switch {
	case strings.EqualFold(v, "true"):
		on = true
	case strings.EqualFold(v, "false"):
	default:
		return false, false
	}
	switch api.Deref(im.pool.MfaConfiguration) {
	case cognitoidp.UserPoolMfaTypeOn:
		return on, on
	case cognitoidp.UserPoolMfaTypeOptional:
		return on, true
	default: // OFF, or not set (OFF)
		return on, !on
	}
}

// autoVerified reports whether one of the pool's auto-verified attributes is
// verified.
func (im *rowImporter) autoVerified(vals attrs.Values) bool {
	for kind := range im.schema.AutoVerified {
		if vals[kind+"_verified"] == "true" {
			return true
		}
	}
	return false
}

// fileValue turns a value as the import file writes it into the value the
// API uses: booleans in any case (the documented sample writes TRUE), and
// birthdate as mm/dd/yyyy.
func fileValue(d *attrs.Def, v string) string {
	if d == nil {
		return v
	}
	if d.Type == "Boolean" && (strings.EqualFold(v, "true") || strings.EqualFold(v, "false")) {
		return strings.ToLower(v)
	}
	if d.Name == attrs.Birthdate {
		if m := reCSVBirthdate.FindStringSubmatch(v); m != nil {
			return m[3] + "-" + m[1] + "-" + m[2]
		}
	}
	return v
}

// clientMessage is the message of a Cognito error, for the row log.
func clientMessage(err error) string {
	if e, ok := awserr.As(err); ok {
		return e.Message
	}
	return err.Error()
}
