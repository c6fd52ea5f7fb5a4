// Package importjobs implements user import from CSV files as Amazon Cognito
// does it: GetCSVHeader, CreateUserImportJob, StartUserImportJob,
// StopUserImportJob, DescribeUserImportJob and ListUserImportJobs, the upload
// endpoint the job's pre-signed URL points at, and the background workers
// that import the rows.
//
// # Lifecycle
//
// CreateUserImportJob stores a job in Created with a pre-signed URL valid
// for 15 minutes; the file is PUT there (UploadHandler) and kept in the store
// (storage.ImportStore). StartUserImportJob moves the job to Pending and
// hands it to a worker goroutine of the Service; at most MaxConcurrentJobs
// jobs import at once (Cognito runs one per account), the others wait in
// Pending. A worker claims the job (InProgress, with its owner id and a
// heartbeat), creates the users row by row, and every BatchSize rows writes
// the counts and a new heartbeat in one compare-and-swap update, where it
// also notices a stop request (Stopping → Stopped). At the end the job is
// Succeeded or Failed with Cognito's CompletionMessage, and the uploaded
// file is dropped. StopUserImportJob stops a Pending job at once and asks a
// running one to stop at its next checkpoint.
//
// Workers run on a context derived from the Service's own, not the
// request's; Close cancels it and waits for them.
//
// # Restart safety
//
// A job is Failed with "The import job was interrupted before it
// completed." when the process importing it stopped: at Close (shutdown), at
// Recover (start-up) for every job left InProgress when the process is the
// store's only user (Config.Exclusive, SQLite), and otherwise when a job has
// gone jobLease without a checkpoint (noticed by Recover or by any read of
// the job, in any replica). Users created before the interruption stay, as
// with a Cognito job that failed part-way. A job left Pending had imported
// nothing and is started again by Recover; one left Stopping becomes Stopped.
// Created jobs expire after 24 hours, also noticed on read.
//
// Cognito facts the package relies on, with how sure we are of each, are in
// defaults.go.
package importjobs

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/clock"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// Store is what the service needs of the storage backend (storage.Store
// provides it).
type Store interface {
	storage.PoolStore
	storage.UserStore
	storage.ImportStore
}

// Config holds the service's dependencies and settings. Store is required;
// a nil Clock is the real clock and a nil Logger discards.
type Config struct {
	Store  Store
	Clock  clock.Clock
	Logger *slog.Logger

	// BaseURL is Cogito's public base URL (scheme://host[:port][/prefix]);
	// pre-signed URLs are BaseURL + UploadPathPrefix + "{poolId}/{jobId}?…".
	BaseURL string
	// UploadKey is the HMAC key that signs upload URLs (32 bytes; replicas
	// sharing a database must share it). When empty a random key is made,
	// so URLs work only in this process until it stops.
	UploadKey []byte
	// Exclusive says this process is the only user of the store (SQLite):
	// Recover then takes every job left InProgress for interrupted at once,
	// instead of waiting for its lease to lapse.
	Exclusive bool
	// MaxConcurrentJobs bounds the jobs importing at once (default 1).
	MaxConcurrentJobs int
	// BatchSize is the number of rows between progress checkpoints
	// (default 500).
	BatchSize int
}

// Service implements the user import operations.
type Service struct {
	store     Store
	clk       clock.Clock
	log       *slog.Logger
	baseURL   string
	key       []byte
	exclusive bool
	batch     int
	owner     string // this Service's id, recorded in the jobs it runs

	ctx    context.Context // parent of every worker's context; cancelled by Close
	cancel context.CancelFunc
	sem    chan struct{} // one token per running job
	wg     sync.WaitGroup

	mu      sync.Mutex
	running map[string]chan struct{} // pool/job → closed when its worker ends
	closed  bool

	// The quotas (tests lower them).
	maxJobs   int
	maxUpload int64

	// afterBatch, for tests, is called by a worker after each checkpoint.
	afterBatch func(poolID, jobID string)
}

// New returns a Service. Call Close when done with it.
func New(cfg Config) *Service {
	s := &Service{
		store:     cfg.Store,
		clk:       cfg.Clock,
		log:       cfg.Logger,
		baseURL:   strings.TrimRight(cfg.BaseURL, "/"),
		key:       cfg.UploadKey,
		exclusive: cfg.Exclusive,
		batch:     cfg.BatchSize,
		running:   map[string]chan struct{}{},
		maxJobs:   MaxJobsPerPool,
		maxUpload: MaxUploadBytes,
	}
	if s.clk == nil {
		s.clk = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if len(s.key) == 0 {
		s.key = make([]byte, 32)
		_, _ = rand.Read(s.key)
		s.log.Warn("import jobs: no upload signing key configured; upload URLs are valid only in this process")
	}
	if s.batch <= 0 {
		s.batch = defaultBatchSize
	}
	n := cfg.MaxConcurrentJobs
	if n <= 0 {
		n = defaultMaxConcurrentJobs
	}
	s.sem = make(chan struct{}, n)
	s.owner = rand.Text()
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Register fills the import operations of h.
func (s *Service) Register(h *cognitoidp.Handlers) {
	h.GetCSVHeader = s.GetCSVHeader
	h.CreateUserImportJob = s.CreateUserImportJob
	h.StartUserImportJob = s.StartUserImportJob
	h.StopUserImportJob = s.StopUserImportJob
	h.DescribeUserImportJob = s.DescribeUserImportJob
	h.ListUserImportJobs = s.ListUserImportJobs
}

// Close stops the workers: each running job is Failed as interrupted at its
// next row, and Close returns once every worker has ended.
func (s *Service) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	return nil
}

// jobSettings is the job's Settings document (storage.ImportJob.Settings).
type jobSettings struct {
	// PreSignedURL is the upload URL given at creation.
	PreSignedURL string `json:"preSignedUrl,omitempty"`
	// UploadExpires is when the URL stops working (unix seconds).
	UploadExpires int64 `json:"uploadExpires,omitempty"`
	// Uploaded is set once a file was stored.
	Uploaded bool `json:"uploaded,omitempty"`
	// Owner is the id of the Service whose worker runs (or ran) the job.
	Owner string `json:"owner,omitempty"`
	// Heartbeat is the last checkpoint of the running job (unix ms), or when
	// it was started while Pending.
	Heartbeat int64 `json:"heartbeat,omitempty"`
	// Rows is the number of rows processed so far.
	Rows int64 `json:"rows,omitempty"`
	// PasswordHashingAlgorithm is the job's: its file has a password-hash
	// column hashed with it ("" for none).
	PasswordHashingAlgorithm string `json:"passwordHashingAlgorithm,omitempty"`
}

func decodeSettings(j *storage.ImportJob) (jobSettings, error) {
	var st jobSettings
	if len(j.Settings) == 0 {
		return st, nil
	}
	if err := json.Unmarshal(j.Settings, &st); err != nil {
		return st, fmt.Errorf("importjobs: decoding settings of job %s in pool %s: %w", j.JobID, j.PoolID, err)
	}
	return st, nil
}

func encodeSettings(j *storage.ImportJob, st jobSettings) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("importjobs: encoding settings of job %s: %w", j.JobID, err)
	}
	j.Settings = b
	return nil
}

// render is the job as the API shows it.
func render(j *storage.ImportJob) (cognitoidp.UserImportJobType, error) {
	st, err := decodeSettings(j)
	if err != nil {
		return cognitoidp.UserImportJobType{}, err
	}
	out := cognitoidp.UserImportJobType{
		JobName:               api.Ptr(j.Name),
		JobId:                 api.Ptr(j.JobID),
		UserPoolId:            api.Ptr(j.PoolID),
		CreationDate:          api.NewTime(j.CreatedAt),
		Status:                api.Ptr(cognitoidp.UserImportJobStatusType(j.Status)),
		CloudWatchLogsRoleArn: api.Ptr(j.RoleARN),
		ImportedUsers:         j.Imported,
		SkippedUsers:          j.Skipped,
		FailedUsers:           j.Failed,
	}
	if st.PreSignedURL != "" {
		out.PreSignedUrl = api.Ptr(st.PreSignedURL)
	}
	if st.PasswordHashingAlgorithm != "" {
		out.PasswordHashingAlgorithm = api.Ptr(cognitoidp.PasswordHashingAlgorithmType(st.PasswordHashingAlgorithm))
	}
	if j.StartedAt != nil {
		out.StartDate = api.NewTime(*j.StartedAt)
	}
	if j.CompletedAt != nil {
		out.CompletionDate = api.NewTime(*j.CompletedAt)
	}
	if j.CompletionMessage != "" {
		out.CompletionMessage = api.Ptr(j.CompletionMessage)
	}
	return out, nil
}

// loadPool checks the pool exists (ResourceNotFoundException otherwise).
func (s *Service) loadPool(ctx context.Context, poolID string) (*cognitoidp.UserPoolType, error) {
	return pools.Load(ctx, s.store, poolID)
}

// getJob reads a job of an existing pool, applying the transitions time
// brought (settle). An unknown job is ResourceNotFoundException.
func (s *Service) getJob(ctx context.Context, poolID, jobID string) (*storage.ImportJob, error) {
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	j, err := s.store.GetImportJob(ctx, poolID, jobID)
	if err != nil {
		return nil, s.jobErr(err, poolID, jobID, "reading import job")
	}
	return s.settle(ctx, j, false)
}

// jobErr maps a store error about a job to Cognito's exception.
func (s *Service) jobErr(err error, poolID, jobID, op string) error {
	if _, ok := awserr.As(err); ok {
		return err
	}
	if errors.Is(err, storage.ErrNotFound) {
		return cognitoidp.NewResourceNotFoundException(fmt.Sprintf(msgJobNotFound, jobID))
	}
	var ce *storage.ConflictError
	if errors.As(err, &ce) {
		return cognitoidp.NewTooManyRequestsException("Too many requests")
	}
	return fmt.Errorf("importjobs: %s %s in pool %s: %w", op, jobID, poolID, err)
}

// runKey names a job in the running map.
func runKey(poolID, jobID string) string { return poolID + "/" + jobID }

// isLocal reports whether a worker of this Service has the job.
func (s *Service) isLocal(poolID, jobID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.running[runKey(poolID, jobID)]
	return ok
}
