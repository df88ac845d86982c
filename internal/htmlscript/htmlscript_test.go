package htmlscript

import "testing"

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`var s = "</script>";`, `var s = "<\/script>";`},
		{`var s = "</SCRIPT >";`, `var s = "<\/SCRIPT >";`},
		{`// <!-- a comment`, `// <\!-- a comment`},
		{`if (a < b && c </s/.test(d)) {}`, `if (a < b && c </s/.test(d)) {}`},
		{`x = "</scrip"`, `x = "</scrip"`},
	} {
		if got := Escape(c.in); got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
