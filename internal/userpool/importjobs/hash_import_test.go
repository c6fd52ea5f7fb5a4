package importjobs

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/cogito-dev/cogito/internal/api"
	"github.com/cogito-dev/cogito/internal/api/cognitoidp"
	"github.com/cogito-dev/cogito/internal/password"
)

func TestImportWithPasswordHashes(t *testing.T) {
	e := newEnv(t)
	bc, err := bcrypt.GenerateFromPassword([]byte("Old-Secret1"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	// The file is the pool's header plus the password-hash column.
	head := append(e.header(t, e.pool), ColumnPasswordHash)
	row := func(r map[string]string) string {
		vals := make([]string, len(head))
		for i, h := range head {
			vals[i] = strings.ReplaceAll(r[h], ",", `\,`)
		}
		return strings.Join(vals, ",")
	}
	body := strings.Join([]string{
		strings.Join(head, ","),
		row(user("ann", ColumnPasswordHash, string(bc))),
		row(user("bob")), // no hash: RESET_REQUIRED as in a plain import
		row(user("cy", ColumnPasswordHash, "$2b$not-a-bcrypt-hash")),
	}, "\n") + "\n"

	out, err := e.svc.CreateUserImportJob(e.ctx, &cognitoidp.CreateUserImportJobRequest{
		UserPoolId: api.Ptr(e.pool), JobName: api.Ptr("hashes"), CloudWatchLogsRoleArn: api.Ptr(roleARN),
		PasswordHashingAlgorithm: api.Ptr(cognitoidp.PasswordHashingAlgorithmTypeBcrypt),
	})
	if err != nil {
		t.Fatal(err)
	}
	if w := e.put(t, *out.UserImportJob.PreSignedUrl, body); w.Code != http.StatusOK {
		t.Fatalf("upload: %d %s", w.Code, w.Body)
	}
	e.start(t, e.pool, *out.UserImportJob.JobId)
	j := e.wait(t, e.pool, *out.UserImportJob.JobId)
	if j.ImportedUsers != 2 || j.FailedUsers != 1 || api.Deref(j.PasswordHashingAlgorithm) != cognitoidp.PasswordHashingAlgorithmTypeBcrypt {
		t.Fatalf("job = %+v", countsOf(j))
	}
	ann := e.getUser(t, e.pool, "ann")
	if ann.Status != string(cognitoidp.UserStatusTypeConfirmed) {
		t.Errorf("ann status = %s; want CONFIRMED", ann.Status)
	}
	c, err := password.Decode(ann.Password)
	if err != nil || !c.Imported() || !c.Matches(e.pool, ann.Username, "Old-Secret1") || c.Matches(e.pool, ann.Username, "wrong") {
		t.Errorf("ann's credentials: %v, %v", c, err)
	}
	if bob := e.getUser(t, e.pool, "bob"); bob.Status != string(cognitoidp.UserStatusTypeResetRequired) || len(bob.Password) != 0 {
		t.Errorf("bob = %s with %d bytes of password", bob.Status, len(bob.Password))
	}
	if e.getUser(t, e.pool, "cy") != nil {
		t.Error("cy with a malformed hash was imported")
	}

	// A file with the hash column is refused by a job without an algorithm.
	plain := e.run(t, e.pool, body)
	if api.Deref(plain.Status) != cognitoidp.UserImportJobStatusTypeFailed {
		t.Errorf("plain job with a hash column = %+v", countsOf(plain))
	}
}
