package users

import (
	"context"
	"slices"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/message"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/attrs"
)

// contacts are the attributes with a *_verified companion.
var contacts = []string{attrs.Email, attrs.PhoneNumber}

func verifiedOf(contact string) string { return contact + "_verified" }

func isContactFlag(name string) bool {
	return name == attrs.EmailVerified || name == attrs.PhoneNumberVerified
}

// verification is a new contact value a code must be sent to.
type verification struct {
	attr, value string
}

// applyWrite applies checked attribute values (schema.CheckWrite's result;
// "" deletes) to a user's attributes and pending values, as
// (Admin)UpdateUserAttributes does:
//
//   - a new email or phone_number is unverified unless the same write sets
//     its *_verified; deleting one deletes its *_verified too;
//   - for attributes in AttributesRequireVerificationBeforeUpdate whose
//     current value is verified, the new value waits in pending (the current
//     one stays) unless the write also sets *_verified to true;
//   - a new unverified value of an auto-verified attribute needs a code,
//     returned as a verification.
//
// The caller recomputes the aliases.
func applyWrite(schema *attrs.Schema, cur, pending attrs.Values, vals attrs.Values) []verification {
	for name, v := range vals {
		if slices.Contains(contacts, name) || isContactFlag(name) {
			continue
		}
		set(cur, name, v)
	}
	var out []verification
	for _, c := range contacts {
		cv := verifiedOf(c)
		flag, flagGiven := vals[cv]
		v, given := vals[c]
		if !given {
			if flagGiven {
				set(cur, cv, flag)
			}
			continue
		}
		old, had := cur[c]
		switch {
		case v == "":
			delete(cur, c)
			delete(pending, c)
			if flagGiven {
				set(cur, cv, flag)
			} else if deletingContactDeletesVerified {
				delete(cur, cv)
			}
		case had && v == old:
			// The current value again: a pending change is dropped.
			delete(pending, c)
			if flagGiven {
				set(cur, cv, flag)
			}
		case flagGiven && flag == "true":
			cur[c] = v
			cur[cv] = "true"
			delete(pending, c)
		case schema.VerifyBeforeUpdate[c] && had && old != "" &&
			(!pendingOnlyWhenVerified || cur[cv] == "true"):
			pending[c] = v
			if flagGiven {
				set(cur, cv, flag)
			}
			if schema.AutoVerified[c] {
				out = append(out, verification{c, v})
			}
		default:
			cur[c] = v
			delete(pending, c)
			if flagGiven {
				set(cur, cv, flag)
			} else {
				cur[cv] = "false"
			}
			if cur[cv] != "true" && schema.AutoVerified[c] {
				out = append(out, verification{c, v})
			}
		}
	}
	return out
}

// set stores v under name, or deletes name for "".
func set(m attrs.Values, name, v string) {
	if v == "" {
		delete(m, name)
		return
	}
	m[name] = v
}

// writeAttributes checks and applies an administrator's attribute write
// (AdminUpdateUserAttributes, AdminDeleteUserAttributes); see WriteAttributes.
func (s *Service) writeAttributes(ctx context.Context, up *cognitoidp.UserPoolType, schema *attrs.Schema, u *storage.User, in []cognitoidp.AttributeType) (*storage.User, error) {
	u, _, err := s.write(ctx, up, schema, u, in, attrs.AdminCaller, nil)
	return u, err
}

// WriteAttributes applies an attribute write of caller to the user u found
// earlier, with the rules of AdminUpdateUserAttributes (applyWrite) and the
// caller's write permissions (attrs.ClientCaller for an app client's
// WriteAttributes), and returns the CodeDeliveryDetails of the codes it sent
// (kind UPDATE_ATTRIBUTE). The account family's UpdateUserAttributes and
// DeleteUserAttributes use it (account.Config.WriteAttributes).
// clientMetadata goes to the custom message trigger.
func (s *Service) WriteAttributes(ctx context.Context, up *cognitoidp.UserPoolType, schema *attrs.Schema, u *storage.User, in []cognitoidp.AttributeType, caller attrs.Caller, clientMetadata map[string]string) ([]cognitoidp.CodeDeliveryDetailsType, error) {
	_, details, err := s.write(ctx, up, schema, u, in, caller, clientMetadata)
	return details, err
}

// write checks and applies an attribute write to the user found earlier in
// one compare-and-swap update (the checks see the current attributes),
// recomputing the aliases, then sends the verification codes the write calls
// for.
func (s *Service) write(ctx context.Context, up *cognitoidp.UserPoolType, schema *attrs.Schema, u *storage.User, in []cognitoidp.AttributeType, caller attrs.Caller, meta map[string]string) (*storage.User, []cognitoidp.CodeDeliveryDetailsType, error) {
	now := s.clk.Now()
	var verify []verification
	u, err := s.update(ctx, schema, u, func(cur *storage.User) error {
		vals, err := schema.CheckWrite(in, attrs.OpUpdate, caller, cur.Attributes)
		if err != nil {
			return err
		}
		pending, err := PendingAttributes(cur)
		if err != nil {
			return err
		}
		if cur.Attributes == nil {
			cur.Attributes = attrs.Values{}
		}
		verify = applyWrite(schema, cur.Attributes, pending, vals)
		if err := SetPendingAttributes(cur, pending); err != nil {
			return err
		}
		cur.Aliases = schema.Aliases(cur.Attributes)
		cur.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	var details []cognitoidp.CodeDeliveryDetailsType
	for _, v := range verify {
		d, err := s.sendCode(ctx, up, u, message.KindUpdateAttribute, message.PurposeVerifyAttribute(v.attr), v.attr, v.value, []byte(v.value), meta)
		if err != nil {
			return nil, nil, err
		}
		details = append(details, *d)
	}
	return u, details, nil
}
