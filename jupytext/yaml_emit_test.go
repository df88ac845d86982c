package jupytext

import "testing"

// The expected texts are what PyYAML's yaml.safe_dump(..., default_flow_style=False) writes.
func TestDumpYAMLLikePyYAML(t *testing.T) {
	m := NewMap()
	m.Set("zeta", "plain text")
	m.Set("alpha", NewMap())
	m.Set("version", "1.3")
	m.Set("yes", "yes")
	m.Set("empty", "")
	m.Set("accent", "caf\u00e9")
	m.Set("quote", "it's: here")
	m.Set("list", []any{"a", Number("1"), true, nil})
	m.Set("float", Number("1e+16"))
	m.Set("multi", "line one\nline two")
	m.Set("hash", "#tag")
	m.Set("nested", func() *Map { n := NewMap(); n.Set("b", []any{}); n.Set("a", []any{NewMap()}); return n }())
	want := "accent: \"caf\\xE9\"\n" +
		"alpha: {}\n" +
		"empty: ''\n" +
		"float: 1.0e+16\n" +
		"hash: '#tag'\n" +
		"list:\n- a\n- 1\n- true\n- null\n" +
		"multi: 'line one\n\n  line two'\n" +
		"nested:\n  a:\n  - {}\n  b: []\n" +
		"quote: 'it''s: here'\n" +
		"version: '1.3'\n" +
		"'yes': 'yes'\n" +
		"zeta: plain text"
	if got := dumpYAML(m); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestDumpYAMLFoldsLongScalars(t *testing.T) {
	m := NewMap()
	m.Set("description", "word word word word word word word word word word word word word word word word word word word")
	// PyYAML breaks at the first space after column 80.
	want := "description: word word word word word word word word word word word word word word\n  word word word word word"
	if got := dumpYAML(m); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestPythonFloatRepr(t *testing.T) {
	for f, want := range map[float64]string{1: "1.0", 0.1: "0.1", 1e16: "1e+16", 1e-5: "1e-05", 123456789012345.6: "123456789012345.6", -2.5e-7: "-2.5e-07", 0.0001: "0.0001"} {
		if got := pythonFloatRepr(f); got != want {
			t.Errorf("pythonFloatRepr(%v) = %s, want %s", f, got, want)
		}
	}
}
