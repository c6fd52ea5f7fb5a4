package keys

import (
	"crypto/rand"
	"crypto/rsa"
	"log/slog"
	"sync"
	"time"
)

// RSABits is the size of generated signing keys.
const RSABits = 2048

// bufferSize is how many pre-generated keys wait for new pools (two per pool).
const bufferSize = 4

// generator hands out RSA keys. Generating one takes tens to hundreds of
// milliseconds, so after the first request a background goroutine keeps a
// small buffer filled; a request that finds the buffer empty generates its
// own keys in parallel instead of waiting for the filler.
type generator struct {
	newKey func() (*rsa.PrivateKey, error)
	log    *slog.Logger
	buf    chan *rsa.PrivateKey

	once    sync.Once // starts the filler, or (from close) prevents it from starting
	started bool      // written inside once
	stop    chan struct{}
	done    chan struct{}

	closeOnce sync.Once
}

func newGenerator(log *slog.Logger) *generator {
	return &generator{
		newKey: func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, RSABits) },
		log:    log,
		buf:    make(chan *rsa.PrivateKey, bufferSize),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
}

// start launches the filler unless it already runs or the generator is closed.
func (g *generator) start() {
	g.once.Do(func() {
		g.started = true
		go g.fill()
	})
}

func (g *generator) fill() {
	defer close(g.done)
	for {
		select {
		case <-g.stop:
			return
		default:
		}
		k, err := g.newKey()
		if err != nil {
			g.log.Error("generating a signing key in the background failed", "err", err)
			select {
			case <-g.stop:
				return
			case <-time.After(time.Second):
			}
			continue
		}
		select {
		case g.buf <- k:
		case <-g.stop:
			return
		}
	}
}

// get returns n fresh keys: buffered ones first, the rest generated now, in
// parallel. It does not start the filler; callers that expect more requests
// (pool creation) call start.
func (g *generator) get(n int) ([]*rsa.PrivateKey, error) {
	out := make([]*rsa.PrivateKey, 0, n)
drain:
	for len(out) < n {
		select {
		case k := <-g.buf:
			out = append(out, k)
		default:
			break drain
		}
	}
	missing := n - len(out)
	if missing == 0 {
		return out, nil
	}
	made := make([]*rsa.PrivateKey, missing)
	errs := make([]error, missing)
	var wg sync.WaitGroup
	for i := range missing {
		wg.Go(func() { made[i], errs[i] = g.newKey() })
	}
	wg.Wait()
	for i := range missing {
		if errs[i] != nil {
			return nil, errs[i]
		}
	}
	return append(out, made...), nil
}

// close stops the filler and waits for it; later gets generate inline.
func (g *generator) close() {
	g.closeOnce.Do(func() {
		g.once.Do(func() {}) // a filler not yet started never will be
		if g.started {
			close(g.stop)
			<-g.done
		}
	})
}
