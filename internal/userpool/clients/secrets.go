package clients

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/ids"
	"github.com/cogito-dev/cogito/internal/storage"
)

// Secret is one plaintext client secret. Its String and LogValue hide the value.
type Secret struct {
	ID        string
	Value     string
	CreatedAt time.Time
}

// String hides the value.
func (s Secret) String() string { return "clients.Secret{ID:" + s.ID + " Value:[REDACTED]}" }

// LogValue hides the value.
func (s Secret) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", s.ID), slog.String("value", "[REDACTED]"))
}

// secretAD is the associated data that binds a sealed secret to its pool,
// client and secret id, so a sealed value moved to another row fails to open.
func secretAD(poolID, clientID, secretID string) []byte {
	return []byte("cogito/client-secret/v1\x00" + poolID + "\x00" + clientID + "\x00" + secretID)
}

// sealSecret seals a plaintext secret for storage.
func (s *Service) sealSecret(poolID, clientID string, sec Secret) (storage.ClientSecret, error) {
	sealed, err := s.sealer.Seal([]byte(sec.Value), secretAD(poolID, clientID, sec.ID))
	if err != nil {
		return storage.ClientSecret{}, fmt.Errorf("clients: seal secret %s: %w", sec.ID, err)
	}
	return storage.ClientSecret{ID: sec.ID, Value: sealed, CreatedAt: sec.CreatedAt}, nil
}

// openSecrets unseals a stored client's secrets.
func (s *Service) openSecrets(c *storage.Client) ([]Secret, error) {
	if len(c.Secrets) == 0 {
		return nil, nil
	}
	out := make([]Secret, len(c.Secrets))
	for i, st := range c.Secrets {
		plain, err := s.sealer.Open(st.Value, secretAD(c.PoolID, c.ID, st.ID))
		if err != nil {
			return nil, fmt.Errorf("clients: open secret %s of client %s: %w", st.ID, c.ID, err)
		}
		out[i] = Secret{ID: st.ID, Value: string(plain), CreatedAt: st.CreatedAt}
	}
	return out, nil
}

// newSecretID returns the id of a secret created at now, "<client-id>--<epoch
// ms>", moved forward a millisecond at a time past any id the client already
// has (two secrets made within one millisecond). It returns the creation time
// the id encodes.
func newSecretID(clientID string, now time.Time, existing []storage.ClientSecret) (string, time.Time) {
	t := now.Truncate(time.Millisecond)
	for {
		id := ids.ClientSecretID(clientID, t)
		taken := false
		for _, e := range existing {
			if e.ID == id {
				taken = true
				break
			}
		}
		if !taken {
			return id, t
		}
		t = t.Add(time.Millisecond)
	}
}

// descriptor is a secret's API form without its value.
func descriptor(st storage.ClientSecret) cognitoidp.ClientSecretDescriptorType {
	return cognitoidp.ClientSecretDescriptorType{
		ClientSecretId:         api.Ptr(st.ID),
		ClientSecretCreateDate: api.NewTime(st.CreatedAt),
	}
}
