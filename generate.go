// Package cogito is the root of the Cogito module; it holds only the
// go:generate directive that rebuilds the API layer from the AWS models.
package cogito

//go:generate go run ./cmd/cogito-gen -models ../shared/aws-models -out internal/api
