package importjobs

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/awserr"
	"github.com/cogito-dev/cogito/internal/storage"
)

// jobIDAlphabet and jobIDLength: observed job ids are "import-" and ten
// letters and digits (import-9sHxosU7BP, import-TZqNQvDRnW, import-mAgUtd8PMm).
const (
	jobIDPrefix   = "import-"
	jobIDAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	jobIDLength   = 10
)

// newJobID returns a fresh job id.
func newJobID() string {
	b := make([]byte, 0, len(jobIDPrefix)+jobIDLength)
	b = append(b, jobIDPrefix...)
	var buf [1]byte
	for len(b) < cap(b) {
		_, _ = rand.Read(buf[:])
		// 62*4 = 248: reject the top bytes so every character is equally likely.
		if buf[0] >= 248 {
			continue
		}
		b = append(b, jobIDAlphabet[buf[0]%62])
	}
	return string(b)
}

// CreateUserImportJob creates a job in Created with a pre-signed URL where
// the CSV file is to be PUT within 15 minutes.
func (s *Service) CreateUserImportJob(ctx context.Context, in *cognitoidp.CreateUserImportJobRequest) (*cognitoidp.CreateUserImportJobResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	jobs, _, err := s.store.ListImportJobs(ctx, poolID, storage.Page{Limit: s.maxJobs})
	if err != nil {
		return nil, fmt.Errorf("importjobs: counting the import jobs of pool %s: %w", poolID, err)
	}
	if len(jobs) >= s.maxJobs {
		return nil, cognitoidp.NewLimitExceededException(fmt.Sprintf(msgTooManyJobs, s.maxJobs))
	}

	now := s.clk.Now()
	for attempt := 0; ; attempt++ {
		jobID := newJobID()
		expires := now.Add(uploadValidity).Unix()
		j := &storage.ImportJob{
			PoolID:    poolID,
			JobID:     jobID,
			Name:      *in.JobName,
			Status:    string(cognitoidp.UserImportJobStatusTypeCreated),
			RoleARN:   *in.CloudWatchLogsRoleArn,
			CreatedAt: now,
		}
		if err := encodeSettings(j, jobSettings{
			PreSignedURL:             s.uploadURL(poolID, jobID, expires),
			UploadExpires:            expires,
			PasswordHashingAlgorithm: string(api.Deref(in.PasswordHashingAlgorithm)),
		}); err != nil {
			return nil, err
		}
		err := s.store.CreateImportJob(ctx, j)
		if errors.Is(err, storage.ErrAlreadyExists) && attempt < 3 {
			continue // an id clash: draw another
		}
		if errors.Is(err, storage.ErrNotFound) {
			_, err = s.loadPool(ctx, poolID) // deleted meanwhile: its ResourceNotFoundException
			if err == nil {
				err = storage.ErrNotFound
			}
		}
		if err != nil {
			if _, ok := awserr.As(err); ok {
				return nil, err
			}
			return nil, fmt.Errorf("importjobs: creating an import job in pool %s: %w", poolID, err)
		}
		out, err := render(j)
		if err != nil {
			return nil, err
		}
		return &cognitoidp.CreateUserImportJobResponse{UserImportJob: api.Ptr(out)}, nil
	}
}
