package plotly

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/testenv"
)

// hostileTitle would end a script element, open an HTML comment or start a tag if the figure's
// JSON were put into the page as it is.
const hostileTitle = `</script><!-- <script>window.pwned=1</script> & "quotes"`

func TestFragmentKeepsHostileStringsInsideTheJSON(t *testing.T) {
	fig := Figure{Data: Data{&Scatter{Y: []float64{1, 2}}}, Layout: &Layout{Title: Title{Text: hostileTitle}}}
	html, err := HTML(fig)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"</script><!--", "<script>window.pwned"} {
		if strings.Contains(html, bad) {
			t.Errorf("fragment holds %q verbatim:\n%s", bad, html)
		}
	}
	if got := strings.Count(html, "</script>"); got != 2 {
		t.Errorf("fragment has %d </script>, want 2 (the JSON element and the call)", got)
	}
}

// TestWriteHTMLRendersOffline opens a standalone page from a file, with no server and no
// network, in headless Chromium, and reads the plot object.
func TestWriteHTMLRendersOffline(t *testing.T) {
	ctx := testenv.Browser(t)
	fig := Figure{
		Data:   Data{&Scatter{X: []float64{1, 2, 3}, Y: []float64{4, 5, 6}, Mode: "lines"}},
		Layout: &Layout{Title: Title{Text: hostileTitle}},
	}
	var page bytes.Buffer
	if err := WriteHTML(&page, fig); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(page.String(), "<script src=") {
		t.Error("the page loads a script from elsewhere; by default everything is embedded")
	}
	path := filepath.Join(t.TempDir(), "figure.html")
	if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+path)); err != nil {
		t.Fatal(err)
	}
	testenv.Poll(t, ctx, 15e9, "the figure drawn", `(function () {
		const gd = document.querySelector(".liveplot-figure");
		return !!(gd && gd.data && gd.data.length === 1 && gd._fullLayout);
	})()`)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](`(function () {
		const gd = document.querySelector(".liveplot-figure");
		return [Array.from(gd.data[0].y), gd.layout.title.text, window.pwned === undefined, document.querySelectorAll(".main-svg").length > 0];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[1] != hostileTitle || got[2] != true || got[3] != true {
		t.Fatalf("page state = %v, want y [4 5 6], the title intact, no injected script run, an SVG drawn", got)
	}
	ys := got[0].([]any)
	if len(ys) != 3 || ys[0] != 4.0 || ys[2] != 6.0 {
		t.Fatalf("y = %v, want [4 5 6]", ys)
	}
}
