package importjobs

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func TestUploadStoresTheFile(t *testing.T) {
	e := newEnv(t)
	j := e.create(t, e.pool)
	w := e.put(t, *j.PreSignedUrl, "first")
	if w.Code != http.StatusOK || w.Body.Len() != 0 || w.Header().Get("ETag") == "" {
		t.Fatalf("upload: %d %q ETag %q", w.Code, w.Body, w.Header().Get("ETag"))
	}
	// A second upload before the start replaces the first, as an S3 PUT does.
	if w := e.put(t, *j.PreSignedUrl, "second"); w.Code != http.StatusOK {
		t.Fatalf("second upload: %d %s", w.Code, w.Body)
	}
	data, err := e.store.GetImportData(e.ctx, e.pool, *j.JobId)
	if err != nil || string(data) != "second" {
		t.Fatalf("stored %q, %v", data, err)
	}
}

// rejected checks an upload is refused with an S3 error and stores nothing.
func rejected(t *testing.T, e *env, jobID string, w *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	if w.Code != status || !strings.Contains(w.Body.String(), "<Code>"+code+"</Code>") {
		t.Fatalf("got %d %s, want %d %s", w.Code, w.Body, status, code)
	}
	if data, err := e.store.GetImportData(e.ctx, e.pool, jobID); err == nil {
		t.Fatalf("a refused upload stored %d bytes", len(data))
	}
	if d := e.describe(t, e.pool, jobID); *d.Status != "Created" {
		t.Fatalf("status %s", *d.Status)
	}
	_, err := e.svc.StartUserImportJob(e.ctx, &cognitoidp.StartUserImportJobRequest{UserPoolId: api.Ptr(e.pool), JobId: api.Ptr(jobID)})
	wantErr(t, err, "PreconditionNotMetException", "No csv file was uploaded for "+jobID)
}

func TestUploadRefusals(t *testing.T) {
	e := newEnv(t)
	j := e.create(t, e.pool)
	id := *j.JobId
	u, _ := url.Parse(*j.PreSignedUrl)
	with := func(mod func(q url.Values)) string {
		c := *u
		q := c.Query()
		mod(q)
		c.RawQuery = q.Encode()
		return c.String()
	}
	t.Run("wrong signature", func(t *testing.T) {
		sig := u.Query().Get("signature")
		bad := "0" + sig[1:]
		if sig[0] == '0' {
			bad = "1" + sig[1:]
		}
		rejected(t, e, id, e.put(t, with(func(q url.Values) { q.Set("signature", bad) }), "x"), 403, "SignatureDoesNotMatch")
	})
	t.Run("no signature", func(t *testing.T) {
		rejected(t, e, id, e.put(t, with(func(q url.Values) { q.Del("signature") }), "x"), 403, "SignatureDoesNotMatch")
	})
	t.Run("later expiry", func(t *testing.T) {
		rejected(t, e, id, e.put(t, with(func(q url.Values) { q.Set("expires", "99999999999") }), "x"), 403, "SignatureDoesNotMatch")
	})
	t.Run("another job's path", func(t *testing.T) {
		other := e.create(t, e.pool)
		o, _ := url.Parse(*other.PreSignedUrl)
		c := *o
		c.RawQuery = u.RawQuery // this job's signature on the other job
		w := e.put(t, c.String(), "x")
		if w.Code != 403 {
			t.Fatalf("got %d", w.Code)
		}
		if _, err := e.store.GetImportData(e.ctx, e.pool, *other.JobId); err == nil {
			t.Fatal("stored")
		}
	})
	t.Run("no encryption header", func(t *testing.T) {
		rejected(t, e, id, e.put(t, *j.PreSignedUrl, "x", "x-amz-server-side-encryption", ""), 403, "SignatureDoesNotMatch")
	})
	t.Run("too large", func(t *testing.T) {
		e.svc.maxUpload = 10
		defer func() { e.svc.maxUpload = MaxUploadBytes }()
		rejected(t, e, id, e.put(t, *j.PreSignedUrl, "01234567890"), 400, "EntityTooLarge")
		// Without a Content-Length the size is found while reading.
		req := httptest.NewRequest(http.MethodPut, u.RequestURI(), strings.NewReader("01234567890"))
		req.ContentLength = -1
		req.Header.Set("x-amz-server-side-encryption", "aws:kms")
		w := httptest.NewRecorder()
		e.svc.UploadHandler().ServeHTTP(w, req)
		rejected(t, e, id, w, 400, "EntityTooLarge")
		// Exactly the limit is fine.
		if w := e.put(t, *j.PreSignedUrl, "0123456789"); w.Code != 200 {
			t.Fatalf("upload at the limit: %d", w.Code)
		}
	})
	t.Run("not PUT", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodGet, u.RequestURI(), nil)
		w := httptest.NewRecorder()
		e.svc.UploadHandler().ServeHTTP(w, req)
		if w.Code != http.StatusMethodNotAllowed {
			t.Fatalf("GET: %d", w.Code)
		}
	})
}

func TestUploadExpires(t *testing.T) {
	e := newEnv(t)
	j := e.create(t, e.pool)
	e.clk.Advance(15*time.Minute - time.Second)
	if w := e.put(t, *j.PreSignedUrl, "in time"); w.Code != 200 {
		t.Fatalf("upload within 15 minutes: %d %s", w.Code, w.Body)
	}
	e.clk.Advance(time.Second)
	w := e.put(t, *j.PreSignedUrl, "late")
	if w.Code != 403 || !strings.Contains(w.Body.String(), "<Message>Request has expired</Message>") {
		t.Fatalf("upload after 15 minutes: %d %s", w.Code, w.Body)
	}
	if data, _ := e.store.GetImportData(e.ctx, e.pool, *j.JobId); string(data) != "in time" {
		t.Fatalf("stored %q", data)
	}
}

func TestUploadAfterStartIsRefused(t *testing.T) {
	e := newEnv(t)
	j := e.create(t, e.pool)
	body := e.csvFile(t, e.pool, user("ann"))
	e.put(t, *j.PreSignedUrl, body)
	e.start(t, e.pool, *j.JobId)
	e.wait(t, e.pool, *j.JobId)
	if w := e.put(t, *j.PreSignedUrl, "late"); w.Code != 403 || !strings.Contains(w.Body.String(), "AccessDenied") {
		t.Fatalf("upload after start: %d %s", w.Code, w.Body)
	}
	// The job of a deleted pool takes no file either.
	if err := e.store.DeletePool(e.ctx, e.pool); err != nil {
		t.Fatal(err)
	}
	if w := e.put(t, *j.PreSignedUrl, "gone"); w.Code != 403 {
		t.Fatalf("upload to a deleted job: %d", w.Code)
	}
}

func TestUploadThroughMux(t *testing.T) {
	e := newEnv(t)
	mux := http.NewServeMux()
	mux.Handle(UploadPattern, e.svc.UploadHandler())
	j := e.create(t, e.pool)
	u, _ := url.Parse(*j.PreSignedUrl)
	req := httptest.NewRequest(http.MethodPut, u.RequestURI(), strings.NewReader("csv"))
	req.Header.Set("X-Amz-Server-Side-Encryption", "aws:kms")
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Fatalf("through the mux: %d %s", w.Code, w.Body)
	}
}
