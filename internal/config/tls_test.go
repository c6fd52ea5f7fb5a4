package config

import "testing"

func TestTLSValidate(t *testing.T) {
	for _, tc := range []struct {
		tls TLSConfig
		ok  bool
	}{
		{TLSConfig{}, true},
		{TLSConfig{Listen: "127.0.0.1:9443", SelfSigned: true}, true},
		{TLSConfig{Listen: "127.0.0.1:9443", CertFile: "c.pem", KeyFile: "k.pem"}, true},
		{TLSConfig{Listen: "127.0.0.1:9443"}, false},
		{TLSConfig{Listen: "127.0.0.1:9443", CertFile: "c.pem"}, false},
		{TLSConfig{Listen: "127.0.0.1:9443", CertFile: "c.pem", KeyFile: "k.pem", SelfSigned: true}, false},
		{TLSConfig{SelfSigned: true}, false},
		{TLSConfig{Listen: "9443", SelfSigned: true}, false},
	} {
		if err := tc.tls.validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: %v", tc.tls, err)
		}
	}
	if _, err := Load([]string{"--listen-tls", "127.0.0.1:9443", "--tls-self-signed"}, func(string) string { return "" }, nil); err != nil {
		t.Errorf("flags: %v", err)
	}
}
