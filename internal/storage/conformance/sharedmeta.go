package conformance

import (
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/cogito-dev/cogito/internal/storage"
)

func init() {
	register("SharedMetaUpdate", testSharedMetaUpdate)
	register("SharedMetaNoLostUpdates", testSharedMetaNoLostUpdates)
}

func testSharedMetaUpdate(t *testing.T, s storage.Store) {
	ctx := t.Context()
	if _, err := s.GetMeta(ctx, "limits"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("GetMeta of a missing key = %v; want ErrNotFound", err)
	}
	// A skipped update of a missing key leaves nothing behind.
	got, err := s.UpdateMeta(ctx, "limits", func(cur []byte) ([]byte, error) {
		if cur != nil {
			t.Errorf("first UpdateMeta saw %q; want nil", cur)
		}
		return nil, storage.ErrSkip
	})
	if err != nil || got != nil {
		t.Fatalf("skipped UpdateMeta = %q, %v; want nil, nil", got, err)
	}
	if _, err := s.GetMeta(ctx, "limits"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("GetMeta after a skipped update = %v; want ErrNotFound", err)
	}
	got, err = s.UpdateMeta(ctx, "limits", func(cur []byte) ([]byte, error) { return []byte("v1"), nil })
	if err != nil || string(got) != "v1" {
		t.Fatalf("UpdateMeta = %q, %v; want v1", got, err)
	}
	got, err = s.UpdateMeta(ctx, "limits", func(cur []byte) ([]byte, error) {
		if string(cur) != "v1" {
			t.Errorf("UpdateMeta saw %q; want v1", cur)
		}
		return append(cur, '+'), nil
	})
	if err != nil || string(got) != "v1+" {
		t.Fatalf("UpdateMeta = %q, %v; want v1+", got, err)
	}
	if v, err := s.GetMeta(ctx, "limits"); err != nil || string(v) != "v1+" {
		t.Fatalf("GetMeta = %q, %v; want v1+", v, err)
	}
	// ErrSkip on an existing key returns the stored value; other errors abort.
	got, err = s.UpdateMeta(ctx, "limits", func([]byte) ([]byte, error) { return nil, storage.ErrSkip })
	if err != nil || string(got) != "v1+" {
		t.Fatalf("skipped UpdateMeta = %q, %v; want v1+", got, err)
	}
	boom := errors.New("boom")
	if _, err := s.UpdateMeta(ctx, "limits", func([]byte) ([]byte, error) { return []byte("x"), boom }); !errors.Is(err, boom) {
		t.Fatalf("failing UpdateMeta = %v; want boom", err)
	}
	if v, _ := s.GetMeta(ctx, "limits"); string(v) != "v1+" {
		t.Fatalf("value after an aborted update = %q; want v1+", v)
	}
	// Keys are independent, and GetOrPutMeta sees UpdateMeta's values.
	if got, err := s.GetOrPutMeta(ctx, "limits", []byte("other")); err != nil || string(got) != "v1+" {
		t.Fatalf("GetOrPutMeta = %q, %v; want v1+", got, err)
	}
	if _, err := s.GetMeta(ctx, "other"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("GetMeta(other) = %v; want ErrNotFound", err)
	}
}

func testSharedMetaNoLostUpdates(t *testing.T, s storage.Store) {
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				_, err := s.UpdateMeta(t.Context(), "counter", func(cur []byte) ([]byte, error) {
					n := 0
					if cur != nil {
						var err error
						if n, err = strconv.Atoi(string(cur)); err != nil {
							return nil, err
						}
					}
					return []byte(strconv.Itoa(n + 1)), nil
				})
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("UpdateMeta: %v", err)
	}
	v, err := s.GetMeta(t.Context(), "counter")
	if err != nil || string(v) != strconv.Itoa(workers*each) {
		t.Fatalf("counter = %q, %v; want %d", v, err, workers*each)
	}
}
