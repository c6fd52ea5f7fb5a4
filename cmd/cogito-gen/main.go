// Command cogito-gen generates the API layer (internal/api/cognitoidp,
// internal/api/cognitoidentity) from the AWS models in ../shared/aws-models.
// Run it through `go generate ./...` from the repository root.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cogito-dev/cogito/internal/codegen"
)

func main() {
	models := flag.String("models", "../shared/aws-models", "directory of the AWS models")
	out := flag.String("out", "internal/api", "output directory (one package per service below it)")
	flag.Parse()
	if err := run(*models, *out); err != nil {
		fmt.Fprintln(os.Stderr, "cogito-gen:", err)
		os.Exit(1)
	}
}

func run(models, out string) error {
	services := []struct {
		pkg, smithy, tsDir string
		extra, newOps      []string
	}{
		{
			pkg:    "cognitoidp",
			smithy: "cognito-identity-provider.smithy.json",
			tsDir:  "js-sdk-v3/cognito-identity-provider-3.1169.0",
			extra:  []string{"cognito-idp.newest-ops.d.ts"},
			newOps: []string{"CreateUserPoolReplica", "DeleteUserPoolReplica", "ListUserPoolReplicas", "UpdateUserPoolReplica", "GetProvisionedLimit", "UpdateProvisionedLimit"},
		},
		{
			pkg:    "cognitoidentity",
			smithy: "cognito-identity.smithy.json",
			tsDir:  "js-sdk-v3/cognito-identity-3.1161.0",
		},
	}
	for _, s := range services {
		m, err := codegen.LoadSmithy(filepath.Join(models, s.smithy))
		if err != nil {
			return err
		}
		var extra []string
		for _, e := range s.extra {
			extra = append(extra, filepath.Join(models, e))
		}
		if err := codegen.MergeTS(m, filepath.Join(models, s.tsDir), extra, s.newOps); err != nil {
			return err
		}
		g := &codegen.Generator{M: m, Package: s.pkg}
		files, err := g.Files()
		if err != nil {
			return err
		}
		dir := filepath.Join(out, s.pkg)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for name, src := range files {
			if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
				return err
			}
		}
		fmt.Printf("cogito-gen: %s: %d operations\n", s.pkg, len(m.Operations))
	}
	return nil
}
