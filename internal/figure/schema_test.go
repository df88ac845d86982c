package figure

import (
	"testing"

	"github.com/liveplot/liveplot/internal/plotlyjs"
)

func TestSchemaCompiles(t *testing.T) {
	s, err := loadSchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"scatter", "scattergl", "bar", "histogram", "heatmap", "box", "pie"} {
		if s.traces[typ] == nil {
			t.Errorf("no trace type %q in the schema", typ)
		}
	}
	if s.layout.lookup("xaxis2") == nil || s.layout.lookup("yaxis13") == nil {
		t.Error("layout.xaxis2 / yaxis13 not found through _isSubplotObj")
	}
	for _, key := range []string{"xaxis1", "xaxis0", "xaxis02", "title2"} {
		if s.layout.lookup(key) != nil {
			t.Errorf("layout.%s found, want unknown", key)
		}
	}
	if s.layout.lookup("barmode") == nil {
		t.Error("layout.barmode (a bar trace's layout attribute) not found")
	}
	if ann := s.layout.lookup("annotations"); ann == nil || ann.item == nil {
		t.Error("layout.annotations is not an array of objects")
	}
}

func BenchmarkLoadSchema(b *testing.B) {
	for b.Loop() {
		if _, err := compileSchema(plotlyjs.Schema); err != nil {
			b.Fatal(err)
		}
	}
}
