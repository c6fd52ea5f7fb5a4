package clients

import (
	"fmt"
	"strings"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
	"github.com/cogito-dev/cogito/internal/userpool/pools"
)

// poolInfo is what the clients service needs to know about a pool: its id,
// tier and attribute schema. It is read from the pool's settings document (the
// JSON of cognitoidp.UserPoolType, owned by the pools service).
type poolInfo struct {
	id    string
	tier  cognitoidp.UserPoolTierType
	attrs map[string]attrInfo // by the name clients use: "email", "custom:x", "dev:custom:y"
}

type attrInfo struct {
	mutable       bool
	required      bool
	developerOnly bool
}

func isStandardAttribute(name string) bool {
	return pools.IsStandardAttribute(name) || name == "identities"
}

// decodePool reads the pool record's settings (through pools.Decode, which
// memoizes the decoding).
func decodePool(p *storage.UserPool) (*poolInfo, error) {
	t, err := pools.Decode(p)
	if err != nil {
		return nil, fmt.Errorf("clients: %w", err)
	}
	info := &poolInfo{id: p.ID, tier: api.Deref(t.UserPoolTier), attrs: map[string]attrInfo{}}
	if len(t.SchemaAttributes) == 0 {
		// A pool whose settings carry no schema has the standard one; sub is
		// immutable and required.
		for _, a := range pools.StandardSchema() {
			name := api.Deref(a.Name)
			info.attrs[name] = attrInfo{mutable: name != "sub", required: name == "sub"}
		}
		return info, nil
	}
	for _, a := range t.SchemaAttributes {
		name := api.Deref(a.Name)
		if name == "" {
			continue
		}
		dev := api.Deref(a.DeveloperOnlyAttribute)
		// DescribeUserPool shows custom attributes as "custom:x" (and developer-only
		// ones as "dev:custom:x"); accept a bare name too, as CreateUserPool takes it.
		if !isStandardAttribute(name) && !strings.HasPrefix(name, "custom:") && !strings.HasPrefix(name, "dev:custom:") {
			name = "custom:" + name
		}
		if dev && strings.HasPrefix(name, "custom:") {
			name = "dev:" + name
		}
		mutable := true
		if a.Mutable != nil {
			mutable = *a.Mutable
		}
		info.attrs[name] = attrInfo{
			mutable:       mutable,
			required:      api.Deref(a.Required),
			developerOnly: dev || strings.HasPrefix(name, "dev:"),
		}
	}
	return info, nil
}

// readableAttribute reports whether an app client may be given read access to name.
func (p *poolInfo) readableAttribute(name string) bool {
	a, ok := p.attrs[name]
	return ok && !a.developerOnly
}

// writableAttribute reports whether an app client may be given write access to
// name. Immutable attributes are allowed: clients need write access to them to
// set them at sign-up, the only time they can be set. sub is never writable.
func (p *poolInfo) writableAttribute(name string) bool {
	a, ok := p.attrs[name]
	return ok && !a.developerOnly && name != "sub"
}

// requiredAttributes lists the pool's required attributes a client must be able
// to write (sub excepted: Cognito sets it).
func (p *poolInfo) requiredAttributes() []string {
	var out []string
	for name, a := range p.attrs {
		if a.required && name != "sub" {
			out = append(out, name)
		}
	}
	return out
}
