package logdelivery

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Destination sends the lines of one destination ARN to Target: "stdout",
// "stderr", an http(s) URL (each line POSTed as application/json) or a file
// path ("file:" prefix optional).
type Destination struct {
	ARN    string
	Target string
}

// Sink receives the JSON lines of one destination.
type Sink interface {
	Write(ctx context.Context, line []byte) error
}

// Sinks maps destination ARNs (a log group, bucket or stream) to where
// their lines go: the configured destinations, else a file named after the
// ARN in Dir, else (no Dir) standard output.
type Sinks struct {
	dir    string
	mapped map[string]Sink
	stdout Sink
	http   *http.Client

	mu    sync.Mutex
	files map[string]*fileSink
}

// NewSinks builds the sinks. out and errOut are standard output and error
// (nil: the process's); client posts to HTTP sinks (nil: one with
// HTTPTimeout).
func NewSinks(dir string, dests []Destination, out, errOut io.Writer, client *http.Client) (*Sinks, error) {
	if out == nil {
		out = os.Stdout
	}
	if errOut == nil {
		errOut = os.Stderr
	}
	if client == nil {
		client = &http.Client{Timeout: HTTPTimeout}
	}
	s := &Sinks{dir: dir, mapped: map[string]Sink{}, http: client, files: map[string]*fileSink{}}
	s.stdout = &writerSink{w: out}
	stderr := &writerSink{w: errOut}
	for _, d := range dests {
		switch t := d.Target; {
		case t == "stdout":
			s.mapped[d.ARN] = s.stdout
		case t == "stderr":
			s.mapped[d.ARN] = stderr
		case strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://"):
			s.mapped[d.ARN] = &httpSink{url: t, client: client}
		default:
			p := strings.TrimPrefix(t, "file:")
			if p == "" {
				return nil, fmt.Errorf("logdelivery: destination %s: empty file path", d.ARN)
			}
			s.mapped[d.ARN] = s.file(p)
		}
	}
	return s, nil
}

// For returns the sink of a destination ARN.
func (s *Sinks) For(arn string) Sink {
	if k, ok := s.mapped[arn]; ok {
		return k
	}
	if s.dir == "" {
		return s.stdout
	}
	return s.file(filepath.Join(s.dir, FileName(arn)))
}

// FileName is the file an unmapped destination's lines go to: the ARN with
// every character other than letters, digits, '.', '_' and '-' made '_',
// and ".jsonl".
func FileName(arn string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, arn) + ".jsonl"
}

func (s *Sinks) file(path string) *fileSink {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[path]
	if !ok {
		f = &fileSink{path: path}
		s.files[path] = f
	}
	return f
}

// fileSink appends lines to a file, creating it (and its directory).
type fileSink struct {
	path string
	mu   sync.Mutex
}

func (f *fileSink) Write(_ context.Context, line []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(f.path), 0o750); err != nil {
		return err
	}
	fh, err := os.OpenFile(f.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	// One write per line: O_APPEND keeps lines of several writers apart.
	_, err = fh.Write(append(bytes.Clone(line), '\n'))
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	return err
}

// writerSink writes lines to a stream.
type writerSink struct {
	w  io.Writer
	mu sync.Mutex
}

func (k *writerSink) Write(_ context.Context, line []byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	_, err := k.w.Write(append(bytes.Clone(line), '\n'))
	return err
}

// httpSink POSTs each line.
type httpSink struct {
	url    string
	client *http.Client
}

func (k *httpSink) Write(ctx context.Context, line []byte) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), HTTPTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, k.url, bytes.NewReader(line))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := k.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s answered %s", k.url, resp.Status)
	}
	return nil
}
