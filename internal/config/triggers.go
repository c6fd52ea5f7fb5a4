package config

import (
	"strconv"
	"time"

	"github.com/cogito-dev/cogito/internal/trigger"
)

// Flags and environment variables of Lambda trigger invocation
// (trigger.Settings; docs/triggers.md).
func init() {
	tr := func(dst func(*trigger.Settings) *string) func(*Config, string) error {
		return func(c *Config, v string) error { *dst(&c.Triggers) = v; return nil }
	}
	settings = append(settings, []setting{
		{flag: "lambda-endpoint", env: "COGITO_LAMBDA_ENDPOINT", usage: "Lambda Invoke API base URL for triggers, e.g. LocalStack's http://localhost:4566 (default: AWS's endpoint of the function's region)", apply: tr(func(t *trigger.Settings) *string { return &t.Lambda.Endpoint })},
		{flag: "lambda-region", env: "COGITO_LAMBDA_REGION", usage: "region signing Lambda calls (default: the function ARN's region)", apply: tr(func(t *trigger.Settings) *string { return &t.Lambda.Region })},
		{flag: "lambda-access-key-id", env: "COGITO_LAMBDA_ACCESS_KEY_ID", usage: "access key signing Lambda calls (default: placeholder credentials, fine for emulators)", apply: tr(func(t *trigger.Settings) *string { return &t.Lambda.AccessKeyID })},
		{flag: "lambda-secret-access-key", env: "COGITO_LAMBDA_SECRET_ACCESS_KEY", usage: "secret key signing Lambda calls", apply: tr(func(t *trigger.Settings) *string { return &t.Lambda.SecretAccessKey })},
		{flag: "lambda-session-token", env: "COGITO_LAMBDA_SESSION_TOKEN", usage: "session token of temporary Lambda credentials", apply: tr(func(t *trigger.Settings) *string { return &t.Lambda.SessionToken })},
		{flag: "trigger-http-url", env: "COGITO_TRIGGER_HTTP_URL", usage: "POST every trigger event to this URL instead of the Lambda API ({function} becomes the function name)", apply: tr(func(t *trigger.Settings) *string { return &t.HTTPURL })},
		{flag: "trigger-functions", env: "COGITO_TRIGGER_FUNCTIONS", usage: "ARN_OR_NAME=URL[,…] routing single functions to an HTTP handler, or to lambda+http://host:port (a Lambda API there)", apply: func(c *Config, v string) error {
			r, err := trigger.ParseRoutes(v, false)
			c.Triggers.Functions = r
			return err
		}},
		{flag: "trigger-pools", env: "COGITO_TRIGGER_POOLS", usage: "POOL_ID=URL[,…] routing every function of a pool, as --trigger-functions", apply: func(c *Config, v string) error {
			r, err := trigger.ParseRoutes(v, true)
			c.Triggers.Pools = r
			return err
		}},
		{flag: "trigger-timeout", env: "COGITO_TRIGGER_TIMEOUT", usage: "time limit of one trigger attempt (default 5s, as Cognito)", apply: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			c.Triggers.Timeout = d
			return err
		}},
		{flag: "trigger-attempts", env: "COGITO_TRIGGER_ATTEMPTS", usage: "attempts per trigger invocation that fails to run (default 3, as Cognito)", apply: func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			c.Triggers.Attempts = n
			return err
		}},
		{flag: "kms-endpoint", env: "COGITO_KMS_ENDPOINT", usage: "KMS API base URL encrypting custom sender codes (default: AWS's endpoint of the key's region)", apply: tr(func(t *trigger.Settings) *string { return &t.KMS.Endpoint })},
		{flag: "kms-region", env: "COGITO_KMS_REGION", usage: "region signing KMS calls (default: the key ARN's region)", apply: tr(func(t *trigger.Settings) *string { return &t.KMS.Region })},
		{flag: "kms-access-key-id", env: "COGITO_KMS_ACCESS_KEY_ID", usage: "access key signing KMS calls", apply: tr(func(t *trigger.Settings) *string { return &t.KMS.AccessKeyID })},
		{flag: "kms-secret-access-key", env: "COGITO_KMS_SECRET_ACCESS_KEY", usage: "secret key signing KMS calls", apply: tr(func(t *trigger.Settings) *string { return &t.KMS.SecretAccessKey })},
		{flag: "custom-sender-code", env: "COGITO_CUSTOM_SENDER_CODE", usage: "code in custom sender events: kms (default, encrypted as Cognito does) or plaintext (local use)", apply: tr(func(t *trigger.Settings) *string { return &t.CustomSenderCode })},
	}...)
}
