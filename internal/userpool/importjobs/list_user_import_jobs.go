package importjobs

import (
	"context"
	"errors"
	"fmt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

// ListUserImportJobs pages through a pool's jobs, newest first (documented:
// "Jobs are listed in chronological order from last created to first
// created"). MaxResults (1–60) is required by the model.
func (s *Service) ListUserImportJobs(ctx context.Context, in *cognitoidp.ListUserImportJobsRequest) (*cognitoidp.ListUserImportJobsResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	poolID := *in.UserPoolId
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	jobs, next, err := s.store.ListImportJobs(ctx, poolID, storage.Page{
		Token: api.Deref(in.PaginationToken),
		Limit: int(*in.MaxResults),
	})
	if errors.Is(err, storage.ErrInvalidPageToken) {
		return nil, cognitoidp.NewInvalidParameterException(msgInvalidPaginationToken)
	}
	if err != nil {
		return nil, fmt.Errorf("importjobs: listing the import jobs of pool %s: %w", poolID, err)
	}
	out := &cognitoidp.ListUserImportJobsResponse{UserImportJobs: make([]cognitoidp.UserImportJobType, 0, len(jobs))}
	for _, j := range jobs {
		j, err := s.settle(ctx, j, false)
		if err != nil {
			return nil, err
		}
		t, err := render(j)
		if err != nil {
			return nil, err
		}
		out.UserImportJobs = append(out.UserImportJobs, t)
	}
	if next != "" {
		out.PaginationToken = api.Ptr(next)
	}
	return out, nil
}
