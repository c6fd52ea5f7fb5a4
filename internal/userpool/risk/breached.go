package risk

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Breached is a breached-password list: the SHA-1 hashes of passwords known
// from public breaches, as the operator provides them. The file format is
// that of public breach corpora (e.g. Have I Been Pwned's downloadable
// "ordered by hash" list): one hash per line, 40 hexadecimal digits, either
// case, optionally followed by ":count"; blank lines and lines starting with
// # are skipped. The hashes are kept sorted in memory (20 bytes each).
type Breached struct {
	hashes [][sha1.Size]byte
}

// LoadBreached reads a breached-password file.
func LoadBreached(path string) (*Breached, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("risk: opening the breached-password list: %w", err)
	}
	defer f.Close()
	b, err := ReadBreached(f)
	if err != nil {
		return nil, fmt.Errorf("risk: %s: %w", path, err)
	}
	return b, nil
}

// ReadBreached reads a breached-password list from r.
func ReadBreached(r io.Reader) (*Breached, error) {
	b := &Breached{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		t := bytes.TrimSpace(sc.Bytes())
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		if i := bytes.IndexByte(t, ':'); i >= 0 {
			t = t[:i]
		}
		var h [sha1.Size]byte
		if len(t) != 2*sha1.Size {
			return nil, fmt.Errorf("line %d: not a SHA-1 hash", line)
		}
		if _, err := hex.Decode(h[:], t); err != nil {
			return nil, fmt.Errorf("line %d: not a SHA-1 hash", line)
		}
		b.hashes = append(b.hashes, h)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(b.hashes, func(x, y [sha1.Size]byte) int { return bytes.Compare(x[:], y[:]) })
	b.hashes = slices.Compact(b.hashes)
	return b, nil
}

// Len is how many hashes the list holds.
func (b *Breached) Len() int {
	if b == nil {
		return 0
	}
	return len(b.hashes)
}

// Contains reports whether password is on the list.
func (b *Breached) Contains(password string) bool {
	if b == nil || len(b.hashes) == 0 || password == "" {
		return false
	}
	h := sha1.Sum([]byte(password))
	_, found := slices.BinarySearchFunc(b.hashes, h, func(x, y [sha1.Size]byte) int { return bytes.Compare(x[:], y[:]) })
	return found
}

// HashLine is the list line of password (upper-case hex, as corpora write
// it); tests and tools use it to build lists.
func HashLine(password string) string {
	h := sha1.Sum([]byte(password))
	return strings.ToUpper(hex.EncodeToString(h[:]))
}
