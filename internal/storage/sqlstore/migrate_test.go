package sqlstore

import "testing"

// Both dialects must carry the same migrations, so a feature cannot land on
// one database only.
func TestMigrationsMatchAcrossDialects(t *testing.T) {
	lite, err := loadMigrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := loadMigrations("postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].version != pg[i].version || lite[i].name != pg[i].name {
			t.Errorf("migration %d: sqlite %04d_%s, postgres %04d_%s",
				i, lite[i].version, lite[i].name, pg[i].version, pg[i].name)
		}
	}
}
