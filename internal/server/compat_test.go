package server_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/compatibility.md")

// docs/compatibility.md must match the operation tables.
func TestCompatibilityDoc(t *testing.T) {
	srv := newServer(t, nil)
	got := srv.CompatibilityDoc()
	path := filepath.Join("..", "..", "docs", "compatibility.md")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run make docs)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("docs/compatibility.md is stale: run make docs")
	}
}
