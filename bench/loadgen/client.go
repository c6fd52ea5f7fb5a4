package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	userPoolsTarget = "AWSCognitoIdentityProviderService."
	amzJSON11       = "application/x-amz-json-1.1"
	maxRespBody     = 8 << 20 // a response larger than this is an error, not a reason to exhaust memory
)

// unsignedOps are the User Pools operations the Smithy model marks `smithy.api#auth: []` (public or
// access-token authorized); SDKs send them without an Authorization header, so the generator does the same.
var unsignedOps = map[string]bool{
	"AssociateSoftwareToken": true, "ChangePassword": true, "CompleteWebAuthnRegistration": true,
	"ConfirmDevice": true, "ConfirmForgotPassword": true, "ConfirmSignUp": true, "DeleteUser": true,
	"DeleteUserAttributes": true, "DeleteWebAuthnCredential": true, "ForgetDevice": true,
	"ForgotPassword": true, "GetDevice": true, "GetTokensFromRefreshToken": true, "GetUser": true,
	"GetUserAttributeVerificationCode": true, "GetUserAuthFactors": true, "GlobalSignOut": true,
	"InitiateAuth": true, "ListDevices": true, "ListWebAuthnCredentials": true, "ResendConfirmationCode": true,
	"RespondToAuthChallenge": true, "RevokeToken": true, "SetUserMFAPreference": true, "SetUserSettings": true,
	"SignUp": true, "StartWebAuthnRegistration": true, "UpdateAuthEventFeedback": true,
	"UpdateDeviceStatus": true, "UpdateUserAttributes": true, "VerifySoftwareToken": true,
	"VerifyUserAttribute": true,
}

// client sends AWS JSON 1.1 requests over raw HTTP. It is safe for concurrent use.
type client struct {
	endpoint string
	http     *http.Client
	auth     string // fake SigV4 Authorization header value
	amzDate  string
}

// checkEndpoint parses the endpoint and, unless remote targets are allowed, refuses any host that is not a
// loopback address (names are resolved; all their addresses must be loopback).
func checkEndpoint(raw string, allowRemote bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("endpoint: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("endpoint %q: scheme must be http or https", raw)
	}
	host := u.Hostname()
	if host == "" {
		return nil, fmt.Errorf("endpoint %q: no host", raw)
	}
	if allowRemote {
		return u, nil
	}
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return nil, fmt.Errorf("endpoint %q is not a loopback address (pass -allow-remote to load a remote server)", raw)
		}
		return u, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q: %w", raw, err)
	}
	for _, a := range addrs {
		if !a.IP.IsLoopback() {
			return nil, fmt.Errorf("endpoint %q resolves to non-loopback %s (pass -allow-remote to load a remote server)", raw, a.IP)
		}
	}
	return u, nil
}

// loopbackOnly is a dialer Control hook: it refuses, at connect time, any address that is not loopback, so
// neither DNS changes nor redirects can point the generator elsewhere.
func loopbackOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to connect to non-loopback %s", address)
	}
	return nil
}

func newClient(endpoint string, conns int, reqTimeout time.Duration, allowRemote bool) *client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	if !allowRemote {
		dialer.Control = loopbackOnly
	}
	tr := &http.Transport{
		Proxy:                 nil, // never route load through a proxy from the environment
		DialContext:           dialer.DialContext,
		MaxIdleConns:          2 * conns,
		MaxIdleConnsPerHost:   2 * conns,
		IdleConnTimeout:       90 * time.Second,
		DisableCompression:    true,
		ForceAttemptHTTP2:     false,
		ResponseHeaderTimeout: reqTimeout,
		ExpectContinueTimeout: 0,
		WriteBufferSize:       16 << 10,
		ReadBufferSize:        16 << 10,
	}
	now := time.Now().UTC()
	return &client{
		endpoint: endpoint,
		http: &http.Client{
			Transport:     tr,
			Timeout:       reqTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		// Shaped like what SDKs send; servers in local mode accept any signature.
		auth: "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/" + now.Format("20060102") +
			"/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, " +
			"Signature=" + strings.Repeat("0123456789abcdef", 4),
		amzDate: now.Format("20060102T150405Z"),
	}
}

func (c *client) close() { c.http.CloseIdleConnections() }

// apiError is a non-2xx answer from the server, or a transport failure (status 0).
type apiError struct {
	status int
	kind   string // the AWS error type (__type / X-Amzn-ErrorType), or a transport error class
	msg    string
}

func (e *apiError) Error() string {
	if e.status == 0 {
		return e.kind + ": " + e.msg
	}
	return fmt.Sprintf("HTTP %d %s: %s", e.status, e.kind, e.msg)
}

// do sends one operation and returns the response body appended to buf[:0]. Non-2xx answers return an
// *apiError. A request cut short because ctx ended returns ctx's error.
func (c *client) do(ctx context.Context, op string, body []byte, buf []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return buf[:0], err
	}
	h := req.Header
	h["Content-Type"] = []string{amzJSON11}
	h["X-Amz-Target"] = []string{userPoolsTarget + op}
	h["X-Amz-Date"] = []string{c.amzDate}
	h["User-Agent"] = []string{"cogito-loadgen/1"}
	if !unsignedOps[op] {
		h["Authorization"] = []string{c.auth}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return buf[:0], ctx.Err()
		}
		return buf[:0], &apiError{kind: transportKind(err), msg: err.Error()}
	}
	buf, err = readBody(resp.Body, buf[:0])
	resp.Body.Close()
	if err != nil {
		if ctx.Err() != nil {
			return buf, ctx.Err()
		}
		return buf, &apiError{status: resp.StatusCode, kind: transportKind(err), msg: err.Error()}
	}
	if resp.StatusCode/100 != 2 {
		return buf, errorFrom(resp, buf)
	}
	return buf, nil
}

func readBody(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			if len(buf) >= maxRespBody {
				return buf, errors.New("response body too large")
			}
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func errorFrom(resp *http.Response, body []byte) *apiError {
	e := &apiError{status: resp.StatusCode}
	var doc struct {
		Type     string `json:"__type"`
		Message  string `json:"message"`
		Message2 string `json:"Message"`
	}
	_ = json.Unmarshal(body, &doc)
	kind := doc.Type
	if kind == "" {
		kind = resp.Header.Get("X-Amzn-ErrorType")
	}
	// "aws.protocoltests#Name" and "Name:http://..." both mean Name.
	if i := strings.LastIndexByte(kind, '#'); i >= 0 {
		kind = kind[i+1:]
	}
	if i := strings.IndexByte(kind, ':'); i >= 0 {
		kind = kind[:i]
	}
	if kind == "" {
		kind = "HTTP" + strconv.Itoa(resp.StatusCode)
	}
	e.kind = kind
	e.msg = doc.Message
	if e.msg == "" {
		e.msg = doc.Message2
	}
	if e.msg == "" && len(body) > 0 {
		e.msg = string(body[:min(len(body), 200)])
	}
	return e
}

func transportKind(err error) string {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "conn-refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "conn-reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "conn-closed"
	default:
		return "transport"
	}
}

// call is do for setup code: it decodes a successful JSON answer into out (when out is not nil).
func (c *client) call(ctx context.Context, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	resp, err := c.do(ctx, op, body, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if out != nil {
		if err := json.Unmarshal(resp, out); err != nil {
			return fmt.Errorf("%s: decoding response: %w", op, err)
		}
	}
	return nil
}
