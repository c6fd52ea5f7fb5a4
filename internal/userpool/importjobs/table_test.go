package importjobs

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/cogito-dev/cogito/internal/awserr"
)

// TestThroughOperationTable drives the operations as the protocol layer does:
// JSON in, the generated decoder and validator, the registered handler, JSON out.
func TestThroughOperationTable(t *testing.T) {
	e := newEnv(t)
	ops := e.h.Service().Operations
	for _, name := range []string{"GetCSVHeader", "CreateUserImportJob", "StartUserImportJob", "StopUserImportJob",
		"DescribeUserImportJob", "ListUserImportJobs"} {
		if !ops[name].Implemented {
			t.Errorf("%s not registered", name)
		}
	}
	ctx := context.Background()
	call := func(op, body string) (string, error) {
		t.Helper()
		out, err := ops[op].Call(ctx, []byte(body))
		if err != nil {
			return "", err
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b), nil
	}
	must := func(op, body string) string {
		t.Helper()
		s, err := call(op, body)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		return s
	}
	pool := `"UserPoolId":"` + e.pool + `"`

	if got, want := must("GetCSVHeader", `{`+pool+`}`),
		`{"UserPoolId":"`+e.pool+`","CSVHeader":["name","given_name","family_name","middle_name","nickname","preferred_username","profile","picture","website","email","email_verified","gender","birthdate","zoneinfo","locale","phone_number","phone_number_verified","address","updated_at","cognito:mfa_enabled","cognito:username"]}`; got != want {
		t.Errorf("GetCSVHeader:\n got %s\nwant %s", got, want)
	}

	var created struct{ UserImportJob map[string]any }
	raw := must("CreateUserImportJob", `{`+pool+`,"JobName":"Customer import","CloudWatchLogsRoleArn":"`+roleARN+`"}`)
	if err := json.Unmarshal([]byte(raw), &created); err != nil {
		t.Fatal(err)
	}
	job := created.UserImportJob
	id, _ := job["JobId"].(string)
	url, _ := job["PreSignedUrl"].(string)
	// Members as Cognito's sample response shows them: counts always, dates as epoch seconds.
	for k, want := range map[string]any{"Status": "Created", "JobName": "Customer import", "UserPoolId": e.pool,
		"CloudWatchLogsRoleArn": roleARN, "ImportedUsers": 0.0, "SkippedUsers": 0.0, "FailedUsers": 0.0, "CreationDate": 1740830400.0} {
		if job[k] != want {
			t.Errorf("CreateUserImportJob %s = %v, want %v", k, job[k], want)
		}
	}
	for _, k := range []string{"StartDate", "CompletionDate", "CompletionMessage", "PasswordHashingAlgorithm"} {
		if _, ok := job[k]; ok {
			t.Errorf("CreateUserImportJob has %s", k)
		}
	}

	if w := e.put(t, url, e.csvFile(t, e.pool, user("ann"))); w.Code != http.StatusOK {
		t.Fatalf("upload: %d", w.Code)
	}
	if got := must("StartUserImportJob", `{`+pool+`,"JobId":"`+id+`"}`); !strings.Contains(got, `"Status":"Pending"`) || !strings.Contains(got, `"StartDate":1740830400`) {
		t.Errorf("StartUserImportJob: %s", got)
	}
	e.wait(t, e.pool, id)
	if got := must("DescribeUserImportJob", `{`+pool+`,"JobId":"`+id+`"}`); !strings.Contains(got, `"Status":"Succeeded"`) ||
		!strings.Contains(got, `"ImportedUsers":1`) || !strings.Contains(got, `"CompletionMessage":"Import Job Completed Successfully."`) {
		t.Errorf("DescribeUserImportJob: %s", got)
	}
	if got := must("ListUserImportJobs", `{`+pool+`,"MaxResults":1}`); !strings.HasPrefix(got, `{"UserImportJobs":[{"JobName":"Customer import","JobId":"`+id+`"`) ||
		strings.Contains(got, "PaginationToken") {
		t.Errorf("ListUserImportJobs: %s", got)
	}

	for _, tc := range []struct{ op, body, code, msg string }{
		{"ListUserImportJobs", `{` + pool + `}`, "InvalidParameterException",
			"1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null"},
		{"ListUserImportJobs", `{` + pool + `,"MaxResults":0}`, "InvalidParameterException",
			"1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"StartUserImportJob", `{` + pool + `,"JobId":"job-1"}`, "InvalidParameterException",
			"1 validation error detected: Value 'job-1' at 'jobId' failed to satisfy constraint: Member must satisfy regular expression pattern: import-[0-9a-zA-Z-]+"},
		{"StopUserImportJob", `{` + pool + `,"JobId":"` + id + `"}`, "PreconditionNotMetException",
			"Import job " + id + " cannot be stopped because its status is Succeeded."},
		{"CreateUserImportJob", `{` + pool + `,"JobName":"x"}`, "InvalidParameterException",
			"1 validation error detected: Value null at 'cloudWatchLogsRoleArn' failed to satisfy constraint: Member must not be null"},
		{"DescribeUserImportJob", `{` + pool + `,"JobId":"import-nothere000"}`, "ResourceNotFoundException",
			"Import job import-nothere000 does not exist."},
	} {
		_, err := call(tc.op, tc.body)
		ae, ok := awserr.As(err)
		if !ok || ae.Code != tc.code || ae.Message != tc.msg {
			t.Errorf("%s %s: %v, want %s: %s", tc.op, tc.body, err, tc.code, tc.msg)
		}
	}
}
