package config

import (
	"io"
	"testing"
	"time"
)

func TestTriggerSettings(t *testing.T) {
	env := map[string]string{"COGITO_LAMBDA_ENDPOINT": "http://localhost:4566", "COGITO_CUSTOM_SENDER_CODE": "plaintext"}
	cfg, err := Load([]string{
		"--trigger-functions", "arn:aws:lambda:us-east-1:000000000000:function:pre=http://localhost:3000/pre,msg=lambda+http://127.0.0.1:3001",
		"--trigger-pools", "us-east-1_abc=http://localhost:4000/{function}",
		"--trigger-timeout", "2s", "--trigger-attempts", "2",
		"--kms-endpoint", "http://localhost:4566", "--lambda-access-key-id", "a", "--lambda-secret-access-key", "b",
	}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	tr := cfg.Triggers
	if tr.Lambda.Endpoint != "http://localhost:4566" || tr.CustomSenderCode != "plaintext" || tr.Timeout != 2*time.Second || tr.Attempts != 2 ||
		len(tr.Functions) != 2 || tr.Functions[1].LambdaEndpoint != "http://127.0.0.1:3001" || tr.Pools[0].PoolID != "us-east-1_abc" ||
		tr.KMS.Endpoint != "http://localhost:4566" || tr.Lambda.AccessKeyID != "a" {
		t.Errorf("triggers = %+v", tr)
	}
	for _, args := range [][]string{
		{"--lambda-endpoint", "localhost:4566"},
		{"--trigger-functions", "f"},
		{"--custom-sender-code", "clear"},
		{"--trigger-timeout", "soon"},
		{"--lambda-access-key-id", "only-half"},
	} {
		if _, err := Load(args, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
