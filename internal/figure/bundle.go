package figure

import (
	"bytes"
	"context"
	"fmt"
	"strings"
)

// MIMEType is the MIME type of a figure as plotly's renderers take it (JupyterLab's and
// nteract's plotly renderers, VS Code's notebook renderers): a JSON object with data, layout and
// config. Every figure output carries it besides its HTML (kernelext.Output.Data).
const MIMEType = "application/vnd.plotly.v1+json" // plotly.MIMEType says the same

// bundleData returns the representations of a figure output besides its HTML, for viewers that
// do not run its scripts: the figure as plotly's renderers take it (the figure as it stands: a
// stream's window, not its history) and a line of text that says what it is. The picture
// (image/png) is not here: the program has no browser; AddPicture asks the page for one.
func bundleData(ctx context.Context, tree map[string]any) (map[string][]byte, error) {
	fig := map[string]any{"data": tree["data"]}
	for _, key := range []string{"layout", "config"} {
		if v, ok := tree[key]; ok {
			fig[key] = v
		}
	}
	var raw bytes.Buffer
	raw.Grow(rawSize(tree) + 1024)
	if err := writeTreeJSON(ctx, &raw, fig); err != nil {
		return nil, fmt.Errorf("plotly: encoding figure: %w", err)
	}
	return map[string][]byte{
		MIMEType:     raw.Bytes(),
		"text/plain": []byte(Summary(tree)),
	}, nil
}

// Summary says in one line what a figure (its JSON tree) is: its title, its traces and how many
// points they hold, e.g. `Figure "Time Series": 1 trace (scatter), 80 points`.
func Summary(tree map[string]any) string {
	var b strings.Builder
	b.WriteString("Figure")
	if title := figureTitle(tree); title != "" {
		fmt.Fprintf(&b, " %q", title)
	}
	traces, _ := tree["data"].([]any)
	types := make([]string, 0, len(traces))
	points := 0
	for _, t := range traces {
		trace, _ := t.(map[string]any)
		typ, _ := trace["type"].(string)
		if typ == "" {
			typ = "scatter"
		}
		types = append(types, typ)
		points += pointCount(trace)
	}
	fmt.Fprintf(&b, ": %d trace%s", len(traces), plural(len(traces)))
	if len(types) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(types, ", "))
	}
	fmt.Fprintf(&b, ", %d point%s", points, plural(points))
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// figureTitle returns layout.title.text (or a title given as a plain string).
func figureTitle(tree map[string]any) string {
	layout, _ := tree["layout"].(map[string]any)
	switch title := layout["title"].(type) {
	case string:
		return title
	case map[string]any:
		text, _ := title["text"].(string)
		return text
	}
	return ""
}

// pointCount is how many points a trace holds: the longest of its per-point arrays, or the cells
// of its z grid.
func pointCount(trace map[string]any) int {
	if rows, cols, ok := grid(trace["z"]); ok {
		return rows * cols
	}
	n := 0
	for _, key := range append([]string{"values", "labels"}, parallelArrays...) {
		if m, ok := flatLength(trace[key]); ok {
			n = max(n, m)
		}
	}
	return n
}
