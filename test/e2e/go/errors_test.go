package e2e

import (
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

// The SDK checks only that required members are present; everything else is
// the service's to refuse, with InvalidParameterException and the AWS text.
func testValidationErrors(t *testing.T, c *cogito) {
	cases := []struct {
		name string
		call func() error
		msg  string
	}{
		{"CreateUserPool empty PoolName", func() error {
			_, err := c.IDP.CreateUserPool(ctx(t), &idp.CreateUserPoolInput{PoolName: aws.String("")})
			return err
		}, "Value '' at 'poolName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"CreateUserPool PoolName pattern", func() error {
			_, err := c.IDP.CreateUserPool(ctx(t), &idp.CreateUserPoolInput{PoolName: aws.String("bad/name!")})
			return err
		}, "Value 'bad/name!' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		{"CreateUserPool MinimumLength out of range", func() error {
			_, err := c.IDP.CreateUserPool(ctx(t), &idp.CreateUserPoolInput{PoolName: aws.String(uniq("bad")),
				Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(3)}}})
			return err
		}, "at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6"},
		{"DescribeUserPool malformed id", func() error {
			_, err := c.IDP.DescribeUserPool(ctx(t), &idp.DescribeUserPoolInput{UserPoolId: aws.String("not a pool id")})
			return err
		}, "Value 'not a pool id' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		{"ListUserPools MaxResults 0", func() error {
			_, err := c.IDP.ListUserPools(ctx(t), &idp.ListUserPoolsInput{MaxResults: aws.Int32(0)})
			return err
		}, "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"ListUserPools MaxResults 61", func() error {
			_, err := c.IDP.ListUserPools(ctx(t), &idp.ListUserPoolsInput{MaxResults: aws.Int32(61)})
			return err
		}, "Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60"},
		{"CreateUserPoolClient empty ClientName", func() error {
			_, err := c.IDP.CreateUserPoolClient(ctx(t), &idp.CreateUserPoolClientInput{UserPoolId: aws.String("us-east-1_Abc"), ClientName: aws.String("")})
			return err
		}, "at 'clientName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"two violations", func() error {
			_, err := c.IDP.CreateUserPoolClient(ctx(t), &idp.CreateUserPoolClientInput{UserPoolId: aws.String("bad id"), ClientName: aws.String("")})
			return err
		}, "validation error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantClientError(t, tc.call(), "InvalidParameterException", tc.msg)
		})
	}
	// The SDK's own check of required members never reaches the server.
	_, err := c.IDP.ListUserPools(ctx(t), &idp.ListUserPoolsInput{})
	var inv smithy.InvalidParamsError
	if !errors.As(err, &inv) {
		t.Errorf("ListUserPools without MaxResults: got %v, want the SDK's InvalidParamsError", err)
	}
}

func testNotFoundErrors(t *testing.T, c *cogito) {
	needs(t, "DescribeUserPool", "UpdateUserPool", "DeleteUserPool")
	missing := "us-east-1_NoSuchPool6"
	_, err := c.IDP.DescribeUserPool(ctx(t), &idp.DescribeUserPoolInput{UserPoolId: &missing})
	wantClientError(t, err, "ResourceNotFoundException", missing)
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("DescribeUserPool error is %T, want the SDK's modeled *types.ResourceNotFoundException", err)
	}
	_, err = c.IDP.UpdateUserPool(ctx(t), &idp.UpdateUserPoolInput{UserPoolId: &missing})
	wantClientError(t, err, "ResourceNotFoundException")
	_, err = c.IDP.DeleteUserPool(ctx(t), &idp.DeleteUserPoolInput{UserPoolId: &missing})
	wantClientError(t, err, "ResourceNotFoundException")
	// Another region's pool id is well formed but unknown here.
	other := "eu-west-1_AbCdEfGhI"
	_, err = c.IDP.DescribeUserPool(ctx(t), &idp.DescribeUserPoolInput{UserPoolId: &other})
	wantClientError(t, err, "ResourceNotFoundException")
	// Errors carry a request id, like every response.
	var re interface{ ServiceRequestID() string }
	if !errors.As(err, &re) || re.ServiceRequestID() == "" {
		t.Errorf("error carries no request id: %v", err)
	}
}

// The identity-pool client reaches the same server: a malformed id is a
// validation error; a listing is either served or NotImplemented, never a
// crash or a protocol error.
func testIdentityPoolsSmoke(t *testing.T, c *cogito) {
	_, err := c.Identity.DescribeIdentityPool(ctx(t), &cognitoidentity.DescribeIdentityPoolInput{IdentityPoolId: aws.String("not-an-identity-pool")})
	wantClientError(t, err, "InvalidParameterException", "at 'identityPoolId' failed to satisfy constraint")

	_, err = c.Identity.ListIdentityPools(ctx(t), &cognitoidentity.ListIdentityPoolsInput{MaxResults: aws.Int32(10)})
	if err != nil {
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "NotImplementedException" || httpStatus(err) != http.StatusNotImplemented {
			t.Errorf("ListIdentityPools: %v, want success or NotImplementedException (501)", err)
		}
	}
}
