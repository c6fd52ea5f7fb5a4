package e2e

import (
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// The header GetCSVHeader documents for a pool without custom attributes.
var standardCSVHeader = []string{
	"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
	"website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number",
	"phone_number_verified", "address", "updated_at", "cognito:mfa_enabled", "cognito:username",
}

var importJobIDPattern = regexp.MustCompile(`^import-[0-9a-zA-Z]+$`)

const importRole = "arn:aws:iam::123456789012:role/CognitoImport"

// csvFile builds a CSV file for header from rows given as column → value.
func csvFile(header []string, rows ...map[string]string) string {
	var b strings.Builder
	b.WriteString(strings.Join(header, ",") + "\n")
	for _, r := range rows {
		vals := make([]string, len(header))
		for i, h := range header {
			vals[i] = r[h]
		}
		b.WriteString(strings.Join(vals, ",") + "\n")
	}
	return b.String()
}

// uploadCSV PUTs body to a job's pre-signed URL as the documented curl
// command does, and returns the HTTP status.
func uploadCSV(t *testing.T, c *cogito, url, body string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx(t), http.MethodPut, url, strings.NewReader(body))
	if err != nil {
		t.Fatalf("upload request: %v", err)
	}
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("x-amz-server-side-encryption", "aws:kms")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatalf("PUT %s: %v", url, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func createImportJob(t *testing.T, c *cogito, poolID string) *types.UserImportJobType {
	t.Helper()
	out, err := c.IDP.CreateUserImportJob(ctx(t), &idp.CreateUserImportJobInput{
		UserPoolId: &poolID, JobName: aws.String(uniq("import")), CloudWatchLogsRoleArn: aws.String(importRole)})
	if err != nil {
		t.Fatalf("CreateUserImportJob: %v", err)
	}
	return out.UserImportJob
}

// waitImportJob polls DescribeUserImportJob until the job is no longer
// Created, Pending or InProgress.
func waitImportJob(t *testing.T, c *cogito, poolID, jobID string) *types.UserImportJobType {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := c.IDP.DescribeUserImportJob(ctx(t), &idp.DescribeUserImportJobInput{UserPoolId: &poolID, JobId: &jobID})
		if err != nil {
			t.Fatalf("DescribeUserImportJob: %v", err)
		}
		switch j := out.UserImportJob; j.Status {
		case types.UserImportJobStatusTypeCreated, types.UserImportJobStatusTypePending, types.UserImportJobStatusTypeInProgress:
			if time.Now().After(deadline) {
				t.Fatalf("import job %s still %s after 20s", jobID, j.Status)
			}
			time.Sleep(50 * time.Millisecond)
		default:
			return j
		}
	}
}

// User import: the CSV header, a job, the upload to its pre-signed URL, the
// import, and the imported users resetting their passwords.
func testUserImport(t *testing.T, c *cogito) {
	needs(t, "GetCSVHeader", "CreateUserImportJob", "StartUserImportJob", "DescribeUserImportJob", "ListUserImportJobs",
		"StopUserImportJob", "ForgotPassword", "ConfirmForgotPassword")
	pool, client := signUpPool(t, c, "import", nil)

	hdr, err := c.IDP.GetCSVHeader(ctx(t), &idp.GetCSVHeaderInput{UserPoolId: &pool})
	if err != nil {
		t.Fatalf("GetCSVHeader: %v", err)
	}
	if aws.ToString(hdr.UserPoolId) != pool || !slices.Equal(hdr.CSVHeader, standardCSVHeader) {
		t.Errorf("GetCSVHeader = %s, want the documented header %v", asJSON(t, hdr), standardCSVHeader)
	}

	job := createImportJob(t, c, pool)
	id := aws.ToString(job.JobId)
	if !importJobIDPattern.MatchString(id) || job.Status != types.UserImportJobStatusTypeCreated ||
		aws.ToString(job.UserPoolId) != pool || aws.ToString(job.CloudWatchLogsRoleArn) != importRole ||
		!strings.HasPrefix(aws.ToString(job.PreSignedUrl), "http") || !near(job.CreationDate, 5*time.Minute) {
		t.Errorf("CreateUserImportJob = %s", asJSON(t, job))
	}
	_, err = c.IDP.StartUserImportJob(ctx(t), &idp.StartUserImportJobInput{UserPoolId: &pool, JobId: &id})
	wantClientError(t, err, "PreconditionNotMetException", "No csv file was uploaded for "+id)

	file := csvFile(hdr.CSVHeader,
		map[string]string{"cognito:username": "uma", "email": "uma@example.com", "email_verified": "TRUE",
			"given_name": "Uma", "cognito:mfa_enabled": "FALSE"},
		map[string]string{"cognito:username": "vic", "email": "vic@example.com", "email_verified": "true",
			"cognito:mfa_enabled": "false"},
	)
	if s := uploadCSV(t, c, aws.ToString(job.PreSignedUrl), file); s != http.StatusOK {
		t.Fatalf("upload to the pre-signed URL: status %d, want 200", s)
	}
	started, err := c.IDP.StartUserImportJob(ctx(t), &idp.StartUserImportJobInput{UserPoolId: &pool, JobId: &id})
	if err != nil {
		t.Fatalf("StartUserImportJob: %v", err)
	}
	if s := started.UserImportJob.Status; s != types.UserImportJobStatusTypePending && s != types.UserImportJobStatusTypeInProgress &&
		s != types.UserImportJobStatusTypeSucceeded {
		t.Errorf("StartUserImportJob status = %s", s)
	}
	done := waitImportJob(t, c, pool, id)
	if done.Status != types.UserImportJobStatusTypeSucceeded || done.ImportedUsers != 2 || done.SkippedUsers != 0 || done.FailedUsers != 0 ||
		aws.ToString(done.CompletionMessage) != "Import Job Completed Successfully." || done.CompletionDate == nil {
		t.Errorf("finished job = %s", asJSON(t, done))
	}

	// Imported users must reset their password, which works as for anyone.
	u := wantStatus(t, c, pool, "uma", types.UserStatusTypeResetRequired)
	if a := attrMap(t, u.UserAttributes); a["email"] != "uma@example.com" || a["email_verified"] != "true" || a["given_name"] != "Uma" ||
		!uuidPattern.MatchString(a["sub"]) || !u.Enabled {
		t.Errorf("imported user = %s", asJSON(t, u))
	}
	if _, err := c.IDP.ForgotPassword(ctx(t), &idp.ForgotPasswordInput{ClientId: &client, Username: aws.String("uma")}); err != nil {
		t.Fatalf("ForgotPassword of an imported user: %v", err)
	}
	code := lastCode(t, c, pool, "uma", "FORGOT_PASSWORD", 1)
	if _, err := c.IDP.ConfirmForgotPassword(ctx(t), &idp.ConfirmForgotPasswordInput{ClientId: &client, Username: aws.String("uma"),
		ConfirmationCode: &code, Password: aws.String("New-Passw0rd")}); err != nil {
		t.Fatalf("ConfirmForgotPassword of an imported user: %v", err)
	}
	wantStatus(t, c, pool, "uma", types.UserStatusTypeConfirmed)

	// A file with an existing user and a row that verifies nothing: one
	// imported, one skipped, one failed, and the job Failed.
	job2 := createImportJob(t, c, pool)
	id2 := aws.ToString(job2.JobId)
	file = csvFile(hdr.CSVHeader,
		map[string]string{"cognito:username": "vic", "email": "vic@example.com", "email_verified": "true", "cognito:mfa_enabled": "false"},
		map[string]string{"cognito:username": "wes", "email": "wes@example.com", "email_verified": "false", "cognito:mfa_enabled": "false"},
		map[string]string{"cognito:username": "xia", "email": "xia@example.com", "email_verified": "true", "cognito:mfa_enabled": "false"},
	)
	if s := uploadCSV(t, c, aws.ToString(job2.PreSignedUrl), file); s != http.StatusOK {
		t.Fatalf("upload: status %d", s)
	}
	if _, err := c.IDP.StartUserImportJob(ctx(t), &idp.StartUserImportJobInput{UserPoolId: &pool, JobId: &id2}); err != nil {
		t.Fatalf("StartUserImportJob: %v", err)
	}
	done = waitImportJob(t, c, pool, id2)
	if done.Status != types.UserImportJobStatusTypeFailed || done.ImportedUsers != 1 || done.SkippedUsers != 1 || done.FailedUsers != 1 ||
		aws.ToString(done.CompletionMessage) != "Too many users have failed or been skipped during the import." {
		t.Errorf("job with a skipped and a failed row = %s", asJSON(t, done))
	}
	wantStatus(t, c, pool, "xia", types.UserStatusTypeResetRequired)
	_, err = c.IDP.AdminGetUser(ctx(t), &idp.AdminGetUserInput{UserPoolId: &pool, Username: aws.String("wes")})
	wantClientError(t, err, "UserNotFoundException")

	// A job that is not running cannot be stopped; a finished one not restarted.
	_, err = c.IDP.StopUserImportJob(ctx(t), &idp.StopUserImportJobInput{UserPoolId: &pool, JobId: &id})
	wantClientError(t, err, "PreconditionNotMetException")
	_, err = c.IDP.StartUserImportJob(ctx(t), &idp.StartUserImportJobInput{UserPoolId: &pool, JobId: &id})
	wantClientError(t, err, "PreconditionNotMetException")
	_, err = c.IDP.DescribeUserImportJob(ctx(t), &idp.DescribeUserImportJobInput{UserPoolId: &pool, JobId: aws.String("import-NoSuchJob1")})
	wantClientError(t, err, "ResourceNotFoundException")

	// Both jobs are listed, one per page.
	var listed []string
	in := &idp.ListUserImportJobsInput{UserPoolId: &pool, MaxResults: aws.Int32(1)}
	for pages := 0; ; pages++ {
		out, err := c.IDP.ListUserImportJobs(ctx(t), in)
		if err != nil {
			t.Fatalf("ListUserImportJobs: %v", err)
		}
		if len(out.UserImportJobs) > 1 || pages > 10 {
			t.Fatalf("ListUserImportJobs: %d jobs on page %d of size 1", len(out.UserImportJobs), pages)
		}
		for _, j := range out.UserImportJobs {
			listed = append(listed, aws.ToString(j.JobId))
		}
		if out.PaginationToken == nil {
			break
		}
		in.PaginationToken = out.PaginationToken
	}
	if !sameSet(listed, []string{id, id2}) {
		t.Errorf("ListUserImportJobs = %v, want %s and %s", listed, id, id2)
	}
}

// The pre-signed URL takes a file only with the server-side-encryption
// header the documented upload sends, and only with its own signature.
func testUserImportUpload(t *testing.T, c *cogito) {
	needs(t, "GetCSVHeader", "CreateUserImportJob")
	pool, _ := signUpPool(t, c, "import-upload", nil)
	job := createImportJob(t, c, pool)
	url := aws.ToString(job.PreSignedUrl)
	put := func(u string, sse bool) int {
		req, err := http.NewRequestWithContext(ctx(t), http.MethodPut, u, strings.NewReader("x\n"))
		if err != nil {
			t.Fatal(err)
		}
		if sse {
			req.Header.Set("x-amz-server-side-encryption", "aws:kms")
		}
		resp, err := c.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := put(url, false); s != http.StatusForbidden {
		t.Errorf("upload without x-amz-server-side-encryption: status %d, want 403", s)
	}
	tampered := regexp.MustCompile(`signature=[0-9a-f]`).ReplaceAllStringFunc(url, func(m string) string {
		if strings.HasSuffix(m, "0") {
			return "signature=1"
		}
		return "signature=0"
	})
	if s := put(tampered, true); s != http.StatusForbidden {
		t.Errorf("upload with a wrong signature: status %d, want 403", s)
	}
}
