package importjobs

import (
	"context"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

// DescribeUserImportJob returns a job with its current counts.
func (s *Service) DescribeUserImportJob(ctx context.Context, in *cognitoidp.DescribeUserImportJobRequest) (*cognitoidp.DescribeUserImportJobResponse, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	j, err := s.getJob(ctx, *in.UserPoolId, *in.JobId)
	if err != nil {
		return nil, err
	}
	out, err := render(j)
	if err != nil {
		return nil, err
	}
	return &cognitoidp.DescribeUserImportJobResponse{UserImportJob: api.Ptr(out)}, nil
}
