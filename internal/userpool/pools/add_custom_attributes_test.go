package pools

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
)

func addAttrs(e *env, poolID string, attrs ...cognitoidp.SchemaAttributeType) error {
	_, err := e.svc.AddCustomAttributes(e.ctx, &cognitoidp.AddCustomAttributesRequest{UserPoolId: &poolID, CustomAttributes: attrs})
	return err
}

func strAttr(name string) cognitoidp.SchemaAttributeType {
	return cognitoidp.SchemaAttributeType{Name: api.Ptr(name), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString)}
}

func TestAddCustomAttributes(t *testing.T) {
	e := newEnv(t, false)
	id := *e.create(t, &cognitoidp.CreateUserPoolRequest{}).Id
	e.clk.Advance(time.Minute)
	dev := strAttr("secret")
	dev.DeveloperOnlyAttribute = api.Ptr(true)
	num := cognitoidp.SchemaAttributeType{Name: api.Ptr("age"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeNumber),
		Mutable: api.Ptr(false), NumberAttributeConstraints: &cognitoidp.NumberAttributeConstraintsType{MinValue: api.Ptr("0"), MaxValue: api.Ptr("150")}}
	if err := addAttrs(e, id, strAttr("banana"), dev, num, strAttr("address"), strAttr("custom:x")); err != nil {
		t.Fatalf("AddCustomAttributes: %v", err)
	}
	up := e.describe(t, id)
	for _, n := range []string{"custom:banana", "dev:custom:secret", "custom:age", "custom:address", "custom:custom:x"} {
		if findAttr(up.SchemaAttributes, n) == nil {
			t.Errorf("no attribute %s after AddCustomAttributes", n)
		}
	}
	if a := findAttr(up.SchemaAttributes, "custom:age"); *a.Mutable || *a.NumberAttributeConstraints.MaxValue != "150" {
		t.Errorf("custom:age = %s", mustJSON(t, a))
	}
	if a := findAttr(up.SchemaAttributes, "address"); *a.Required || api.Deref(a.DeveloperOnlyAttribute) {
		t.Errorf("standard address changed: %s", mustJSON(t, a))
	}
	if !up.LastModifiedDate.Equal(t0.Add(time.Minute)) || !up.CreationDate.Equal(t0) {
		t.Errorf("dates: created %v, modified %v", up.CreationDate, up.LastModifiedDate)
	}
}

func TestAddCustomAttributesErrors(t *testing.T) {
	e := newEnv(t, false)
	dev := strAttr("banana")
	dev.DeveloperOnlyAttribute = api.Ptr(true)
	id := *e.create(t, &cognitoidp.CreateUserPoolRequest{Schema: []cognitoidp.SchemaAttributeType{dev, strAttr("kiwi")}}).Id
	before := e.describe(t, id)

	wantErr(t, addAttrs(e, id, dev), "InvalidParameterException", "custom:banana: Existing attribute already has name dev:custom:banana.")
	wantErr(t, addAttrs(e, id, strAttr("kiwi")), "InvalidParameterException", "custom:kiwi: Existing attribute already has name custom:kiwi.")
	wantErr(t, addAttrs(e, id, strAttr("new"), strAttr("new")), "InvalidParameterException", "custom:new: Existing attribute already has name custom:new.")
	req := strAttr("req")
	req.Required = api.Ptr(true)
	wantErr(t, addAttrs(e, id, strAttr("fine"), req), "InvalidParameterException", "Required custom attributes are not supported currently.")
	wantErr(t, addAttrs(e, id, cognitoidp.SchemaAttributeType{Name: api.Ptr("notype")}), "InvalidParameterException", msgInvalidDataType)
	wantErr(t, addAttrs(e, "us-east-1_nothere00", strAttr("x")), "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
	_, err := e.svc.AddCustomAttributes(e.ctx, &cognitoidp.AddCustomAttributesRequest{UserPoolId: &id})
	wantErr(t, err, "InvalidParameterException", "1 validation error detected: Value null at 'customAttributes' failed to satisfy constraint: Member must not be null")

	// A refused request adds nothing, not even the attributes before the bad one.
	if after := e.describe(t, id); len(after.SchemaAttributes) != len(before.SchemaAttributes) {
		t.Errorf("schema grew from %d to %d after refused requests", len(before.SchemaAttributes), len(after.SchemaAttributes))
	}

	// At most 50 custom attributes: the pool has 2; 48 more fit, one more does not.
	var batch []cognitoidp.SchemaAttributeType
	for i := range 48 {
		batch = append(batch, strAttr(fmt.Sprintf("a%02d", i)))
		if len(batch) == 24 {
			if err := addAttrs(e, id, batch...); err != nil {
				t.Fatalf("adding attributes up to the limit: %v", err)
			}
			batch = nil
		}
	}
	wantErr(t, addAttrs(e, id, strAttr("one_too_many")), "InvalidParameterException", msgTooManyCustomAttributes)
}

func TestAddCustomAttributesConcurrent(t *testing.T) {
	e := newEnv(t, false)
	id := *e.create(t, &cognitoidp.CreateUserPoolRequest{}).Id
	const n = 10
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() { errs <- addAttrs(e, id, strAttr(fmt.Sprintf("c%d", i))) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent AddCustomAttributes: %v", err)
		}
	}
	up := e.describe(t, id)
	for i := range n {
		if findAttr(up.SchemaAttributes, fmt.Sprintf("custom:c%d", i)) == nil {
			t.Errorf("custom:c%d lost to a concurrent update", i)
		}
	}
}
