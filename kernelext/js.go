package kernelext

import _ "embed"

// The browser sides of the frontends. Each is core.js (what they share) followed by the
// frontend's own file, wrapped in one function so that their names stay private.
var (
	//go:embed core.js
	coreJS string
	//go:embed localpage.js
	localPageJS string
	//go:embed notebook.js
	notebookJS string

	// pageJS keeps the local page's outputs up to date and delivers frames to the scripts that
	// subscribe to channels.
	pageJS = []byte(bundleJS(localPageJS))
	// notebookPageJS is the same for a notebook run by GoNB; every output carries it.
	notebookPageJS = bundleJS(notebookJS)
)

func bundleJS(own string) string {
	return "(function () {\n\"use strict\";\n" + coreJS + "\n" + own + "})();\n"
}
