package importjobs

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/storage"
)

func TestImportCreatesResetRequiredUsers(t *testing.T) {
	e := newEnv(t)
	body := e.csvFile(t, e.pool,
		user("ann", "given_name", "Ann", "address", "1 Main St, Springfield", "birthdate", "02/01/1985",
			"email_verified", "TRUE", "cognito:mfa_enabled", "FALSE", "updated_at", "1471453471"),
		user("bob", "phone_number", "+12345550100", "phone_number_verified", "True", "email", "", "email_verified", "", "name", "  Bob  "),
	)
	// bob has no verified email: the pool auto-verifies email only, so he fails.
	id := e.upload(t, e.pool, body)
	started := e.start(t, e.pool, id)
	if got := api.Deref(started.Status); got != "Pending" || started.StartDate == nil || started.CompletionDate != nil {
		t.Fatalf("started = %s, StartDate %v, CompletionDate %v", got, started.StartDate, started.CompletionDate)
	}
	j := e.wait(t, e.pool, id)
	if got, want := countsOf(j), (counts{"Failed", 1, 0, 1, msgTooManyFailed}); got != want {
		t.Fatalf("job = %+v, want %+v", got, want)
	}
	if j.CompletionDate == nil || !j.CompletionDate.Equal(t0) || !j.StartDate.Equal(t0) {
		t.Errorf("dates: start %v completion %v", j.StartDate, j.CompletionDate)
	}
	ann := e.getUser(t, e.pool, "ann")
	if ann == nil {
		t.Fatal("ann not imported")
	}
	want := map[string]string{
		"email": "ann@example.com", "email_verified": "true", "given_name": "Ann",
		"address": "1 Main St, Springfield", "birthdate": "1985-02-01", "updated_at": "1471453471",
	}
	if diff := cmp.Diff(want, ann.Attributes); diff != "" {
		t.Errorf("attributes (-want +got):\n%s", diff)
	}
	if ann.Status != "RESET_REQUIRED" || !ann.Enabled || len(ann.Password) != 0 || len(ann.Settings) != 0 ||
		!ann.CreatedAt.Equal(t0) || ann.Username != "ann" || ann.Sub == "" {
		t.Errorf("ann = %+v", ann)
	}
	if diff := cmp.Diff([]storage.Alias(nil), ann.Aliases); diff != "" {
		t.Errorf("aliases of a pool without aliases (-want +got):\n%s", diff)
	}
	if e.getUser(t, e.pool, "bob") != nil {
		t.Error("bob imported without a verified auto-verified attribute")
	}
	// The file is dropped once the job is over.
	if data, err := e.store.GetImportData(e.ctx, e.pool, id); err != nil || len(data) != 0 {
		t.Errorf("import data after the job: %d bytes, %v", len(data), err)
	}
}

func TestImportSucceeds(t *testing.T) {
	e := newEnv(t)
	j := e.run(t, e.pool, e.csvFile(t, e.pool, user("ann"), user("bob"), user("cy")))
	if got, want := countsOf(j), (counts{"Succeeded", 3, 0, 0, msgSucceeded}); got != want {
		t.Fatalf("job = %+v, want %+v", got, want)
	}
	for _, n := range []string{"ann", "bob", "cy"} {
		if u := e.getUser(t, e.pool, n); u == nil || u.Status != "RESET_REQUIRED" {
			t.Errorf("%s = %+v", n, u)
		}
	}
}

func TestImportSkipsExistingUsers(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BatchSize = 2 })
	// ann exists before; bob twice in the file; Cy and cy in a case-insensitive pool.
	pool := e.newPool(t, &cognitoidp.CreateUserPoolRequest{
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail},
		UsernameConfiguration:  &cognitoidp.UsernameConfigurationType{CaseSensitive: api.Ptr(false)},
	})
	e.run(t, pool, e.csvFile(t, pool, user("ann")))
	j := e.run(t, pool, e.csvFile(t, pool, user("ann"), user("bob"), user("bob"), user("Cy"), user("cy", "email", "cy2@example.com"), user("dee")))
	if got, want := countsOf(j), (counts{"Failed", 3, 3, 0, msgTooManyFailed}); got != want {
		t.Fatalf("job = %+v, want %+v", got, want)
	}
	if u := e.getUser(t, pool, "cy"); u == nil || u.Username != "Cy" || u.Attributes["email"] != "Cy@example.com" {
		t.Errorf("cy = %+v", u)
	}
}

func TestImportRowFailures(t *testing.T) {
	e := newEnv(t)
	aliasPool := e.newPool(t, &cognitoidp.CreateUserPoolRequest{
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail},
		AliasAttributes:        []cognitoidp.AliasAttributeType{cognitoidp.AliasAttributeTypeEmail},
		Schema: []cognitoidp.SchemaAttributeType{
			{Name: api.Ptr("name"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeString), Required: api.Ptr(true)},
			{Name: api.Ptr("tier"), AttributeDataType: api.Ptr(cognitoidp.AttributeDataTypeNumber),
				NumberAttributeConstraints: &cognitoidp.NumberAttributeConstraintsType{MinValue: api.Ptr("1"), MaxValue: api.Ptr("5")}},
		},
	})
	ok := func(name string, kv ...string) map[string]string {
		return user(name, append([]string{"name", "N " + name}, kv...)...)
	}
	e.run(t, aliasPool, e.csvFile(t, aliasPool, ok("holder", "email", "taken@example.com")))

	tests := []struct {
		name   string
		row    map[string]string
		reason string // the reason logged for line 2
	}{
		{"email not verified", ok("a1", "email_verified", "false"), rowNoAutoVerified},
		{"email_verified not a boolean", ok("a2", "email_verified", "yes"), "Attributes did not conform to the schema: email_verified: "},
		{"invalid email", ok("a3", "email", "not-an-email"), "Invalid email address format."},
		{"phone verified without phone", ok("a4", "phone_number_verified", "true"), "phone_number_verified is true but phone_number is empty."},
		{"invalid phone", ok("a5", "phone_number", "12345"), "Invalid phone number format."},
		{"mfa empty", ok("a6", "cognito:mfa_enabled", ""), rowMFA},
		{"mfa true on a pool with MFA off", ok("a7", "cognito:mfa_enabled", "true"), rowMFA},
		{"mfa not a boolean", ok("a8", "cognito:mfa_enabled", "no"), rowMFA},
		{"username empty", ok("", "email", "x@example.com"), rowNoUsername},
		{"username with a space", ok("a b"), rowBadUsername},
		{"username with a tab", ok("a\tb"), rowBadUsername},
		{"username too long", ok(strings.Repeat("u", 129)), rowBadUsername},
		{"username looks like an email alias", ok("a9@example.com", "email", "a9@example.com"), "Username cannot be of email format"},
		{"required attribute missing", user("a10"), "Attributes did not conform to the schema: name: The attribute is required"},
		{"custom number out of range", ok("a11", "custom:tier", "9"), "Attributes did not conform to the schema: custom:tier: "},
		{"custom number not a number", ok("a12", "custom:tier", "x"), "Attributes did not conform to the schema: custom:tier: "},
		{"birthdate wrong", ok("a13", "birthdate", "1985-2-1"), "Attributes did not conform to the schema: birthdate: "},
		{"alias held by another user", ok("a14", "email", "TAKEN@example.com"), "An account with the email already exists."},
		{"value too long", ok("a15", "given_name", strings.Repeat("g", 2049)), "Attributes did not conform to the schema: given_name: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.logs.take()
			j := e.run(t, aliasPool, e.csvFile(t, aliasPool, tc.row))
			if got, want := countsOf(j), (counts{"Failed", 0, 0, 1, msgTooManyFailed}); got != want {
				t.Fatalf("job = %+v, want %+v", got, want)
			}
			if n, _ := e.store.CountUsers(e.ctx, aliasPool); n != 1 {
				t.Fatalf("%d users, want only the holder", n)
			}
			logs := e.logs.take()
			if !strings.Contains(logs, "[FAILED] Line Number 2 - "+tc.reason) {
				t.Errorf("logs lack the reason %q:\n%s", tc.reason, logs)
			}
			for _, v := range tc.row {
				if len(v) > 3 && v != "true" && v != "false" && strings.Contains(logs, v) {
					t.Errorf("logs show the user's data %q:\n%s", v, logs)
				}
			}
		})
	}
	// A row whose value count differs from the header's, and one too long.
	head := strings.Join(e.header(t, aliasPool), ",")
	j := e.run(t, aliasPool, head+"\nonly,three,values\n"+strings.Repeat("x", 16001)+"\n")
	if got, want := countsOf(j), (counts{"Failed", 0, 0, 2, msgTooManyFailed}); got != want {
		t.Fatalf("job = %+v, want %+v", got, want)
	}
	// The valid control: the same pool imports a good row.
	j = e.run(t, aliasPool, e.csvFile(t, aliasPool, ok("good", "custom:tier", "3")))
	if got, want := countsOf(j), (counts{"Succeeded", 1, 0, 0, msgSucceeded}); got != want {
		t.Fatalf("job = %+v, want %+v", got, want)
	}
	if u := e.getUser(t, aliasPool, "good"); u == nil || u.Attributes["custom:tier"] != "3" ||
		!cmp.Equal(u.Aliases, []storage.Alias{{Kind: "email", Value: "good@example.com"}}) {
		t.Errorf("good = %+v", u)
	}
}

func TestImportNeedsAnAutoVerifiedAttribute(t *testing.T) {
	e := newEnv(t)
	none := e.newPool(t, &cognitoidp.CreateUserPoolRequest{})
	j := e.run(t, none, e.csvFile(t, none, user("ann"), user("bob", "phone_number", "+12345550100", "phone_number_verified", "true")))
	if got, want := countsOf(j), (counts{"Failed", 0, 0, 2, msgTooManyFailed}); got != want {
		t.Fatalf("job = %+v, want %+v", got, want)
	}
	// With phone_number auto-verified, a verified phone suffices.
	phone := e.newPool(t, &cognitoidp.CreateUserPoolRequest{
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypePhoneNumber},
	})
	j = e.run(t, phone, e.csvFile(t, phone,
		user("bob", "phone_number", "+12345550100", "phone_number_verified", "true", "email_verified", "false")))
	if got, want := countsOf(j), (counts{"Succeeded", 1, 0, 0, msgSucceeded}); got != want {
		t.Fatalf("job = %+v, want %+v", got, want)
	}
}

func TestImportMFAEnabled(t *testing.T) {
	e := newEnv(t)
	optional := e.newPool(t, &cognitoidp.CreateUserPoolRequest{
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail},
		MfaConfiguration:       api.Ptr(cognitoidp.UserPoolMfaTypeOptional),
		SmsConfiguration:       &cognitoidp.SmsConfigurationType{SnsCallerArn: api.Ptr("arn:aws:iam::123456789012:role/sns")},
	})
	j := e.run(t, optional, e.csvFile(t, optional,
		user("ann", "cognito:mfa_enabled", "TRUE", "phone_number", "+12345550100"), user("bob")))
	if got, want := countsOf(j), (counts{"Succeeded", 2, 0, 0, msgSucceeded}); got != want {
		t.Fatalf("job = %+v, want %+v", got, want)
	}
	if u := e.getUser(t, optional, "ann"); string(u.Settings) != `{"smsMfaEnabled":true}` {
		t.Errorf("ann settings = %s", u.Settings)
	}
	if u := e.getUser(t, optional, "bob"); len(u.Settings) != 0 {
		t.Errorf("bob settings = %s", u.Settings)
	}

	on := e.newPool(t, &cognitoidp.CreateUserPoolRequest{
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail},
		MfaConfiguration:       api.Ptr(cognitoidp.UserPoolMfaTypeOn),
		SmsConfiguration:       &cognitoidp.SmsConfigurationType{SnsCallerArn: api.Ptr("arn:aws:iam::123456789012:role/sns")},
	})
	j = e.run(t, on, e.csvFile(t, on, user("ann", "cognito:mfa_enabled", "true", "phone_number", "+12345550100"), user("bob")))
	if got, want := countsOf(j), (counts{"Failed", 1, 0, 1, msgTooManyFailed}); got != want {
		t.Fatalf("job = %+v, want %+v", got, want)
	}
	if e.getUser(t, on, "bob") != nil {
		t.Error("bob imported with MFA off into a pool that requires MFA")
	}
}

func TestImportEmailUsernames(t *testing.T) {
	e := newEnv(t)
	pool := e.newPool(t, &cognitoidp.CreateUserPoolRequest{
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail},
		UsernameAttributes:     []cognitoidp.UsernameAttributeType{cognitoidp.UsernameAttributeTypeEmail},
	})
	j := e.run(t, pool, e.csvFile(t, pool,
		map[string]string{"cognito:username": "ann@example.com", "email_verified": "true", "cognito:mfa_enabled": "false"},
		map[string]string{"cognito:username": "ann@example.com", "email_verified": "true", "cognito:mfa_enabled": "false"},
		map[string]string{"cognito:username": "bob", "email_verified": "true", "cognito:mfa_enabled": "false"},
	))
	// The second ann clashes on the email (the username attribute): a failure,
	// not a skip, since her internal username is a new UUID.
	if got, want := countsOf(j), (counts{"Failed", 1, 0, 2, msgTooManyFailed}); got != want {
		t.Fatalf("job = %+v, want %+v", got, want)
	}
	u, err := e.store.GetUserByAlias(e.ctx, pool, storage.Alias{Kind: "email", Value: "ann@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != u.Sub || u.Attributes["email"] != "ann@example.com" || u.Status != "RESET_REQUIRED" {
		t.Errorf("ann = %+v", u)
	}
}

func TestImportFileFormats(t *testing.T) {
	e := newEnv(t)
	head := e.header(t, e.pool)
	idx := map[string]int{}
	for i, h := range head {
		idx[h] = i
	}
	line := func(name, address string) string {
		v := make([]string, len(head))
		v[idx["cognito:username"]] = name
		v[idx["email"]] = name + "@example.com"
		v[idx["email_verified"]] = "true"
		v[idx["cognito:mfa_enabled"]] = "false"
		v[idx["address"]] = address
		return strings.Join(v, ",")
	}
	// Columns in another order, CRLF, blank lines, a quoted value and no final line feed.
	rev := append([]string(nil), head...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	revLine := func(name string) string {
		v := make([]string, len(rev))
		for i, h := range rev {
			switch h {
			case "cognito:username":
				v[i] = name
			case "email":
				v[i] = name + "@example.com"
			case "email_verified":
				v[i] = "TRUE"
			case "cognito:mfa_enabled":
				v[i] = "FALSE"
			}
		}
		return strings.Join(v, ",")
	}
	j := e.run(t, e.pool, strings.Join(rev, ",")+"\r\n"+revLine("rev1")+"\r\n\r\n"+revLine("rev2"))
	if got, want := countsOf(j), (counts{"Succeeded", 2, 0, 0, msgSucceeded}); got != want {
		t.Fatalf("reordered: job = %+v, want %+v", got, want)
	}
	j = e.run(t, e.pool, strings.Join(head, ",")+"\n"+line("q1", `"2 Side St, Shelbyville"`)+"\n"+line("q2", `3 Elm St\, Ogdenville`)+"\n\n")
	if got, want := countsOf(j), (counts{"Succeeded", 2, 0, 0, msgSucceeded}); got != want {
		t.Fatalf("quoted: job = %+v, want %+v", got, want)
	}
	if u := e.getUser(t, e.pool, "q1"); u.Attributes["address"] != "2 Side St, Shelbyville" {
		t.Errorf("q1 address %q", u.Attributes["address"])
	}
	if u := e.getUser(t, e.pool, "q2"); u.Attributes["address"] != "3 Elm St, Ogdenville" {
		t.Errorf("q2 address %q", u.Attributes["address"])
	}
}

func TestImportBadFilesFailTheJob(t *testing.T) {
	e := newEnv(t)
	head := e.header(t, e.pool)
	row := "\nann,,,,,,,,,,ann@example.com,true,,,,,,,,,false\n"
	without := func(col string) string {
		var out []string
		for _, h := range head {
			if h != col {
				out = append(out, h)
			}
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		name, body, msg string
	}{
		{"unknown column", strings.Join(head, ",") + ",favourite_colour" + row, msgBadHeader},
		{"missing column", without("nickname") + row, msgBadHeader},
		{"missing cognito:username", without("cognito:username") + row, msgBadHeader},
		{"duplicate column", strings.Join(append(head[1:], "email"), ",") + row, msgBadHeader},
		{"byte order mark", "\ufeff" + strings.Join(head, ",") + row, msgBadHeader},
		{"only a subset", "cognito:username,email,email_verified,cognito:mfa_enabled\nann,ann@example.com,true,false\n", msgBadHeader},
		{"empty", "", msgUnparsable},
		{"blank first line", "\n" + strings.Join(head, ",") + row, msgUnparsable},
		{"not UTF-8", strings.Join(head, ",") + "\nann\xff\xfe" + row, msgUnparsable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := e.run(t, e.pool, tc.body)
			if got, want := countsOf(j), (counts{"Failed", 0, 0, 0, tc.msg}); got != want {
				t.Fatalf("job = %+v, want %+v", got, want)
			}
			if n, _ := e.store.CountUsers(e.ctx, e.pool); n != 0 {
				t.Fatalf("%d users imported from a bad file", n)
			}
		})
	}
}

func TestImportTooManyRows(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 500,001-row file")
	}
	e := newEnv(t)
	var b strings.Builder
	b.WriteString(strings.Join(e.header(t, e.pool), ","))
	b.WriteString("\n")
	for range maxRows + 1 {
		b.WriteString("x\n")
	}
	j := e.run(t, e.pool, b.String())
	if got, want := countsOf(j), (counts{"Failed", 0, 0, 0, msgTooManyRows}); got != want {
		t.Fatalf("job = %+v, want %+v", got, want)
	}
}

func TestImportIntoDeletedPool(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BatchSize = 1 })
	pool := e.newPool(t, &cognitoidp.CreateUserPoolRequest{
		AutoVerifiedAttributes: []cognitoidp.VerifiedAttributeType{cognitoidp.VerifiedAttributeTypeEmail},
	})
	id := e.upload(t, pool, e.csvFile(t, pool, user("ann"), user("bob"), user("cy")))
	block := make(chan struct{})
	batched := make(chan struct{}, 10)
	e.svc.afterBatch = func(string, string) { batched <- struct{}{}; <-block }
	e.start(t, pool, id)
	<-batched // ann imported and counted
	if err := e.store.DeletePool(e.ctx, pool); err != nil {
		t.Fatal(err)
	}
	close(block)
	if !e.svc.waitLocal(e.ctx, pool, id, time.Minute) {
		t.Fatal("worker did not end")
	}
	_, err := e.svc.DescribeUserImportJob(e.ctx, &cognitoidp.DescribeUserImportJobRequest{UserPoolId: api.Ptr(pool), JobId: api.Ptr(id)})
	wantErr(t, err, "ResourceNotFoundException", "User pool "+pool+" does not exist.")
}
