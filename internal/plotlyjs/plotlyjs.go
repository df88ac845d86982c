// Package plotlyjs embeds the plotly.js bundle that liveplot's figures render with, and the
// plot schema that figures are validated against, both of one pinned version (see VERSION; the
// script scripts/refresh-plotlyjs fetches them from the npm registry). plotly.js is MIT-licensed:
// LICENSE beside this file.
package plotlyjs

import (
	_ "embed"
	"html/template"
	"strings"
	"sync"

	"github.com/liveplot/liveplot/internal/htmlscript"
)

// Bundle is plotly.min.js from the npm package plotly.js-dist-min.
//
//go:embed plotly.min.js
var Bundle []byte

// Schema is dist/plot-schema.json from the npm package plotly.js, of the same version as Bundle,
// with its "description" entries removed.
//
//go:embed plot-schema.json
var Schema []byte

//go:embed VERSION
var version string

// Version is the plotly.js version of Bundle and Schema, e.g. "4.1.1".
var Version = strings.TrimSpace(version)

// InlineScript is Bundle made safe to put between <script> and </script> of an HTML page
// (htmlscript.Escape), escaped once per process: the standalone pages inline it whole.
var InlineScript = sync.OnceValue(func() template.JS {
	return template.JS(htmlscript.Escape(string(Bundle))) //nolint:gosec // the pinned plotly.js bundle, escaped
})
