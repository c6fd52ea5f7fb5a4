package importjobs

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

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
	token := ""
	if in.PaginationToken != nil {
		var ok bool
		if token, ok = s.openPageToken(poolID, *in.PaginationToken); !ok {
			return nil, cognitoidp.NewInvalidParameterException(msgInvalidPaginationToken)
		}
	}
	jobs, next, err := s.store.ListImportJobs(ctx, poolID, storage.Page{Token: token, Limit: int(*in.MaxResults)})
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
		out.PaginationToken = api.Ptr(s.sealPageToken(poolID, next))
	}
	return out, nil
}

// sealPageToken binds the store's page token to the pool with a MAC, so a
// token that Cogito did not issue for this pool is refused.
func (s *Service) sealPageToken(poolID, token string) string {
	return token + "." + s.pageMAC(poolID, token)
}

func (s *Service) openPageToken(poolID, sealed string) (string, bool) {
	i := strings.LastIndexByte(sealed, '.')
	if i < 0 {
		return "", false
	}
	token, mac := sealed[:i], sealed[i+1:]
	return token, hmac.Equal([]byte(mac), []byte(s.pageMAC(poolID, token)))
}

func (s *Service) pageMAC(poolID, token string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("cogito-import-page-v1\n" + poolID + "\n" + token))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:12])
}
