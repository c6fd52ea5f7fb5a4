// Package e2e holds Cogito's black-box end-to-end tests with the AWS SDK for
// Go v2: each test starts a real server in-process on a loopback listener and
// talks to it only through the clients Cogito's users run (the
// cognitoidentityprovider and cognitoidentity services, pointed at it with
// BaseEndpoint) and plain HTTP for the well-known endpoints.
//
// The suite runs on SQLite always and on PostgreSQL when one is reachable at
// $COGITO_TEST_POSTGRES_URL (default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable); without one it is
// skipped with a message, except under CI (env CI set), where it fails.
package e2e
