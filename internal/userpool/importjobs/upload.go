package importjobs

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// UploadPathPrefix is where the upload endpoint lives:
// PUT {UploadPathPrefix}{poolId}/{jobId}?expires=…&signature=….
const UploadPathPrefix = "/_cogito/import/"

// UploadPattern is the http.ServeMux pattern to mount UploadHandler on.
const UploadPattern = "PUT " + UploadPathPrefix + "{poolID}/{jobID}"

// sseHeader is the header the real pre-signed URL signs
// (X-Amz-SignedHeaders=host;x-amz-server-side-encryption) and the documented
// upload command sends ("x-amz-server-side-encryption:aws:kms"). S3 refuses
// an upload without it, so Cogito does too.
const (
	sseHeader = "X-Amz-Server-Side-Encryption"
	sseValue  = "aws:kms"
)

// uploadURL is the pre-signed URL of a job.
func (s *Service) uploadURL(poolID, jobID string, expires int64) string {
	q := url.Values{}
	q.Set("expires", strconv.FormatInt(expires, 10))
	q.Set("signature", s.sign(poolID, jobID, expires))
	return s.baseURL + UploadPathPrefix + url.PathEscape(poolID) + "/" + url.PathEscape(jobID) + "?" + q.Encode()
}

// sign is the hex HMAC-SHA256 of pool, job and expiry.
func (s *Service) sign(poolID, jobID string, expires int64) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("cogito-user-import-v1\n" + poolID + "\n" + jobID + "\n" + strconv.FormatInt(expires, 10)))
	return hex.EncodeToString(m.Sum(nil))
}

// validSignature checks a signature in constant time.
func (s *Service) validSignature(poolID, jobID string, expires int64, sig string) bool {
	got, err := hex.DecodeString(sig)
	if err != nil {
		return false
	}
	want, _ := hex.DecodeString(s.sign(poolID, jobID, expires))
	return hmac.Equal(got, want)
}

// UploadHandler serves PUT {UploadPathPrefix}{poolId}/{jobId}: the upload of
// a job's CSV file to its pre-signed URL. It answers like S3: 200 with an
// empty body when the file is stored, 403 with an S3 XML error for a
// missing, wrong or expired signature, a missing server-side-encryption
// header, or a job that no longer takes a file (not in Created), and 400
// EntityTooLarge over 100 MB. The body is stored only when everything
// checks out.
func (s *Service) UploadHandler() http.Handler {
	return http.HandlerFunc(s.serveUpload)
}

func (s *Service) serveUpload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut {
		w.Header().Set("Allow", http.MethodPut)
		s3Error(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
		return
	}
	poolID, jobID, ok := uploadTarget(r)
	q := r.URL.Query()
	expires, err := strconv.ParseInt(q.Get("expires"), 10, 64)
	if !ok || err != nil || !s.validSignature(poolID, jobID, expires, q.Get("signature")) {
		s3Error(w, http.StatusForbidden, "SignatureDoesNotMatch",
			"The request signature we calculated does not match the signature you provided. Check your key and signing method.")
		return
	}
	if !s.clk.Now().Before(time.Unix(expires, 0)) {
		s3Error(w, http.StatusForbidden, "AccessDenied", "Request has expired")
		return
	}
	if !strings.EqualFold(strings.TrimSpace(r.Header.Get(sseHeader)), sseValue) {
		s3Error(w, http.StatusForbidden, "SignatureDoesNotMatch",
			"The request signature we calculated does not match the signature you provided. Check your key and signing method.")
		return
	}
	if r.ContentLength > s.maxUpload {
		s3Error(w, http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
		return
	}
	ctx := r.Context()
	j, err := s.store.GetImportJob(ctx, poolID, jobID)
	if errors.Is(err, storage.ErrNotFound) {
		s3Error(w, http.StatusForbidden, "AccessDenied", "Access Denied")
		return
	}
	if err != nil {
		s.log.Error("import upload: reading job", "pool", poolID, "job", jobID, "err", err)
		s3Error(w, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
		return
	}
	if j.Status != string(cognitoidp.UserImportJobStatusTypeCreated) {
		s3Error(w, http.StatusForbidden, "AccessDenied", "Access Denied")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxUpload))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s3Error(w, http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
			return
		}
		s3Error(w, http.StatusBadRequest, "IncompleteBody", "The request body terminated unexpectedly")
		return
	}
	if err := s.storeUpload(ctx, poolID, jobID, body); err != nil {
		if errors.Is(err, errNotCreated) || errors.Is(err, storage.ErrNotFound) {
			s3Error(w, http.StatusForbidden, "AccessDenied", "Access Denied")
			return
		}
		s.log.Error("import upload: storing file", "pool", poolID, "job", jobID, "err", err)
		s3Error(w, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
		return
	}
	sum := sha256.Sum256(body)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	w.Header().Set(sseHeader, sseValue)
	w.WriteHeader(http.StatusOK)
}

var errNotCreated = errors.New("importjobs: job is not in Created")

// storeUpload keeps the file and marks the job uploaded, as long as the job
// is still Created.
func (s *Service) storeUpload(ctx context.Context, poolID, jobID string, body []byte) error {
	if err := s.store.PutImportData(ctx, poolID, jobID, body); err != nil {
		return err
	}
	_, err := s.store.UpdateImportJob(ctx, poolID, jobID, func(j *storage.ImportJob) error {
		if j.Status != string(cognitoidp.UserImportJobStatusTypeCreated) {
			return errNotCreated
		}
		st, err := decodeSettings(j)
		if err != nil {
			return err
		}
		if st.Uploaded {
			return storage.ErrSkip
		}
		st.Uploaded = true
		return encodeSettings(j, st)
	})
	return err
}

// uploadTarget takes pool and job ids from the request path.
func uploadTarget(r *http.Request) (poolID, jobID string, ok bool) {
	poolID, jobID = r.PathValue("poolID"), r.PathValue("jobID")
	if poolID != "" && jobID != "" {
		return poolID, jobID, true
	}
	rest, found := strings.CutPrefix(r.URL.Path, UploadPathPrefix)
	if !found {
		return "", "", false
	}
	poolID, jobID, found = strings.Cut(rest, "/")
	if !found || poolID == "" || jobID == "" || strings.Contains(jobID, "/") {
		return "", "", false
	}
	return poolID, jobID, true
}

// s3Error writes an S3-style XML error.
func s3Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Error><Code>"+code+"</Code><Message>"+msg+"</Message></Error>")
}
