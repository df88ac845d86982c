package kernelext

import _ "embed"

// The browser sides of the frontends: core.js (what they share; it defines
// globalThis.liveplotCore) followed by the frontend's own file, which takes the core as its
// argument. Each file is a self-contained script.
var (
	//go:embed core.js
	coreJS string
	//go:embed localpage.js
	localPageJS string
	//go:embed notebook.js
	notebookJS string

	// pageJS keeps the local page's outputs up to date and delivers frames to the scripts that
	// subscribe to channels.
	pageJS = []byte(coreJS + "\n" + localPageJS)
	// notebookPageJS is the same for a notebook run by GoNB; every output carries it.
	notebookPageJS = coreJS + "\n" + notebookJS
)
