package pools

import (
	"errors"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestUpdateForAnotherFamily(t *testing.T) {
	e := newEnv(t, false)
	up := e.create(t, &cognitoidp.CreateUserPoolRequest{PoolName: api.Ptr("p")})
	id := *up.Id
	e.clk.Advance(time.Minute)
	got, err := Update(e.ctx, e.store, id, e.clk.Now(), func(up *cognitoidp.UserPoolType) error {
		up.MfaConfiguration = api.Ptr(cognitoidp.UserPoolMfaTypeOptional)
		up.SmsAuthenticationMessage = api.Ptr("Code {####}")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if api.Deref(got.MfaConfiguration) != cognitoidp.UserPoolMfaTypeOptional {
		t.Fatalf("returned %v", got.MfaConfiguration)
	}
	d := e.describe(t, id)
	if api.Deref(d.MfaConfiguration) != cognitoidp.UserPoolMfaTypeOptional || api.Deref(d.SmsAuthenticationMessage) != "Code {####}" {
		t.Fatalf("DescribeUserPool shows %v / %v", d.MfaConfiguration, d.SmsAuthenticationMessage)
	}
	if !d.LastModifiedDate.Time.Equal(e.clk.Now()) || *d.Name != "p" || api.Deref(d.Arn) == "" {
		t.Fatalf("record: modified %v name %v arn %v", d.LastModifiedDate.Time, *d.Name, d.Arn)
	}

	// An error from fn changes nothing and comes back as it is.
	refuse := cognitoidp.NewInvalidParameterException("no")
	if _, err := Update(e.ctx, e.store, id, e.clk.Now(), func(up *cognitoidp.UserPoolType) error {
		up.MfaConfiguration = api.Ptr(cognitoidp.UserPoolMfaTypeOn)
		return refuse
	}); !errors.Is(err, refuse) {
		t.Fatalf("err = %v", err)
	}
	if d := e.describe(t, id); api.Deref(d.MfaConfiguration) != cognitoidp.UserPoolMfaTypeOptional {
		t.Fatal("a refused update was stored")
	}

	_, err = Update(e.ctx, e.store, "us-east-1_missing", e.clk.Now(), func(*cognitoidp.UserPoolType) error { return nil })
	wantErr(t, err, "ResourceNotFoundException", "User pool us-east-1_missing does not exist.")
}
