package trigger

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Settings is the operator's configuration of trigger invocation (the
// `triggers` section of Cogito's configuration; docs/triggers.md).
type Settings struct {
	// Lambda is the Lambda Invoke API used by default.
	Lambda LambdaSettings `yaml:"lambda"`
	// HTTPURL, when set, makes plain HTTP the default: every function's
	// event is POSTed there ("{function}" in it becomes the function name).
	HTTPURL string `yaml:"http_url"`
	// Functions and Pools route single functions (by ARN or name) and
	// whole pools elsewhere; a function's route wins over its pool's.
	Functions []Route `yaml:"functions"`
	Pools     []Route `yaml:"pools"`
	// Timeout of one attempt (default 5s) and attempts per invocation
	// (default 3), as Cognito.
	Timeout  time.Duration `yaml:"timeout"`
	Attempts int           `yaml:"attempts"`
	// KMS encrypts the custom senders' codes.
	KMS KMSSettings `yaml:"kms"`
	// CustomSenderCode is "kms" (default: the code is encrypted under the
	// pool's KMSKeyID as Cognito does) or "plaintext" (local use: the code
	// is sent as it is).
	CustomSenderCode string `yaml:"custom_sender_code"`
}

// LambdaSettings says where the Lambda Invoke API is and how to sign.
type LambdaSettings struct {
	Endpoint        string `yaml:"endpoint"`
	Region          string `yaml:"region"`
	AccessKeyID     string `yaml:"access_key_id"`
	SecretAccessKey string `yaml:"secret_access_key"`
	SessionToken    string `yaml:"session_token"`
}

// KMSSettings says where KMS is and how to sign.
type KMSSettings struct {
	Endpoint        string `yaml:"endpoint"`
	Region          string `yaml:"region"`
	AccessKeyID     string `yaml:"access_key_id"`
	SecretAccessKey string `yaml:"secret_access_key"`
	SessionToken    string `yaml:"session_token"`
}

// Route sends one function (Function: its ARN or name) or one pool
// (PoolID) to an HTTP handler (URL) or to the Lambda Invoke API at another
// endpoint (LambdaEndpoint, signed as Settings.Lambda says).
type Route struct {
	Function       string `yaml:"function,omitempty"`
	PoolID         string `yaml:"pool_id,omitempty"`
	URL            string `yaml:"url,omitempty"`
	LambdaEndpoint string `yaml:"lambda_endpoint,omitempty"`
}

// Code modes of the custom senders.
const (
	CodeKMS       = "kms"
	CodePlaintext = "plaintext"
)

// lambdaScheme prefixes a route target that names a Lambda Invoke API
// endpoint in the compact KEY=TARGET form (ParseRoutes).
const lambdaScheme = "lambda+"

// ParseRoutes reads the compact form of routes, "KEY=TARGET[,KEY=TARGET]":
// KEY is a function ARN or name (pools false) or a pool id (pools true);
// TARGET is an http(s) URL (an HTTP handler) or lambda+http(s)://host:port
// (the Lambda Invoke API there). ARNs hold neither '=' nor ','.
func ParseRoutes(s string, pools bool) ([]Route, error) {
	var out []Route
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		k, v, ok := strings.Cut(pair, "=")
		if !ok || k == "" || v == "" {
			return nil, errors.New("want KEY=URL pairs separated by commas")
		}
		r := Route{}
		if pools {
			r.PoolID = k
		} else {
			r.Function = k
		}
		if rest, ok := strings.CutPrefix(v, lambdaScheme); ok {
			r.LambdaEndpoint = rest
		} else {
			r.URL = v
		}
		out = append(out, r)
	}
	return out, nil
}

// Validate checks the settings.
func (st *Settings) Validate() error {
	for _, u := range []string{st.Lambda.Endpoint, st.HTTPURL, st.KMS.Endpoint} {
		if u == "" {
			continue
		}
		if err := checkURL(u); err != nil {
			return err
		}
	}
	if (st.Lambda.AccessKeyID == "") != (st.Lambda.SecretAccessKey == "") {
		return errors.New("lambda credentials need both an access key id and a secret")
	}
	if (st.KMS.AccessKeyID == "") != (st.KMS.SecretAccessKey == "") {
		return errors.New("kms credentials need both an access key id and a secret")
	}
	check := func(r Route, what, key string) error {
		if key == "" {
			return fmt.Errorf("a %s route needs its %s", what, map[string]string{"function": "function", "pool": "pool_id"}[what])
		}
		if (r.URL == "") == (r.LambdaEndpoint == "") {
			return fmt.Errorf("%s route %s: give exactly one of url and lambda_endpoint", what, key)
		}
		if r.URL != "" {
			return checkURL(r.URL)
		}
		return checkURL(r.LambdaEndpoint)
	}
	for _, r := range st.Functions {
		if err := check(r, "function", r.Function); err != nil {
			return err
		}
	}
	for _, r := range st.Pools {
		if err := check(r, "pool", r.PoolID); err != nil {
			return err
		}
	}
	if st.Timeout < 0 {
		return errors.New("trigger timeout must not be negative")
	}
	if st.Attempts < 0 || st.Attempts > 10 {
		return errors.New("trigger attempts must be between 1 and 10")
	}
	switch st.CustomSenderCode {
	case "", CodeKMS, CodePlaintext:
	default:
		return fmt.Errorf("custom sender code %q: want kms or plaintext", st.CustomSenderCode)
	}
	return nil
}

func checkURL(s string) error {
	u, err := url.Parse(strings.ReplaceAll(s, "{function}", "f"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	return nil
}

// Build makes the Router and the code encrypter the settings describe;
// region is the server's (the fallback signing region).
func (st *Settings) Build(region string) (*Router, CodeEncrypter) {
	lambdaAt := func(endpoint string) *LambdaInvoker {
		return NewLambdaInvoker(LambdaConfig{
			Endpoint: endpoint, Region: st.Lambda.Region, FallbackRegion: region,
			AccessKeyID: st.Lambda.AccessKeyID, SecretAccessKey: st.Lambda.SecretAccessKey, SessionToken: st.Lambda.SessionToken,
		})
	}
	r := &Router{ByFunction: map[string]Invoker{}, ByPool: map[string]Invoker{}}
	if st.HTTPURL != "" {
		r.Default = &HTTPInvoker{URL: st.HTTPURL}
	} else {
		r.Default = lambdaAt(st.Lambda.Endpoint)
	}
	target := func(rt Route) Invoker {
		if rt.URL != "" {
			return &HTTPInvoker{URL: rt.URL}
		}
		return lambdaAt(rt.LambdaEndpoint)
	}
	for _, rt := range st.Functions {
		r.ByFunction[rt.Function] = target(rt)
	}
	for _, rt := range st.Pools {
		r.ByPool[rt.PoolID] = target(rt)
	}
	if st.CustomSenderCode == CodePlaintext {
		return r, nil
	}
	return r, &ESDKEncrypter{Wrapper: NewKMSWrapper(KMSConfig{
		Endpoint: st.KMS.Endpoint, Region: st.KMS.Region, FallbackRegion: region,
		AccessKeyID: st.KMS.AccessKeyID, SecretAccessKey: st.KMS.SecretAccessKey, SessionToken: st.KMS.SessionToken,
	})}
}

// String describes the settings without secrets.
func (st Settings) String() string {
	def := "lambda " + orAWS(st.Lambda.Endpoint)
	if st.HTTPURL != "" {
		def = "http " + redactURL(st.HTTPURL)
	}
	return fmt.Sprintf("{default:%s functions:%d pools:%d kms:%s custom_sender_code:%s}",
		def, len(st.Functions), len(st.Pools), orAWS(st.KMS.Endpoint), orDefault(st.CustomSenderCode, CodeKMS))
}

func orAWS(endpoint string) string {
	if endpoint == "" {
		return "AWS"
	}
	return redactURL(endpoint)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
