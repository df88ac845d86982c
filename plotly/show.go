package plotly

import (
	"context"
	"fmt"

	"github.com/liveplot/liveplot/internal/figure"
	"github.com/liveplot/liveplot/kernelext"
)

// ShowOption changes how Show displays a figure.
type ShowOption func(*showConfig)

type showConfig struct {
	ctx      context.Context
	frontend kernelext.Frontend
}

// WithFrontend shows the figure on frontend instead of the default one (the notebook inside
// GoNB, the local page elsewhere). It is the same choice as stream.WithFrontend makes for a link.
func WithFrontend(frontend kernelext.Frontend) ShowOption {
	return func(c *showConfig) { c.frontend = frontend }
}

// WithContext bounds the work of showing the figure by ctx. The picture of a figure without a
// stream is asked after Show returns, so ctx's cancellation does not reach it (see [Wait]).
func WithContext(ctx context.Context) ShowOption {
	return func(c *showConfig) { c.ctx = ctx }
}

// Show validates fig and displays it: as a cell output inside GoNB, on the local page served by
// this program elsewhere (its address is printed once). fig is a Figure, a *Figure, or any value
// that marshals to a JSON object with data and layout (a go-plotly figure, a map).
//
// Traces with a Stream token can then be fed with stream.Open(token).
func Show(fig any, opts ...ShowOption) error {
	cfg := showConfig{ctx: context.Background()}
	for _, o := range opts {
		o(&cfg)
	}
	tree, err := validTree(fig)
	if err != nil {
		return err
	}
	if cfg.frontend == nil {
		if cfg.frontend, err = kernelext.Default(); err != nil {
			return fmt.Errorf("plotly: showing figure: %w", err)
		}
	}
	id, err := figure.Register(cfg.ctx, tree, cfg.frontend)
	if err != nil {
		return err
	}
	out, err := figure.Render(cfg.ctx, id, tree)
	if err != nil {
		return err
	}
	if err := cfg.frontend.Display(cfg.ctx, out); err != nil {
		return err
	}
	figure.AddPictureLater(cfg.ctx, id)
	return nil
}

// Wait keeps the figures shown by this program on screen. Outside a notebook it serves the local
// page until the program is interrupted (Ctrl-C), so call it last in main. Inside GoNB it waits
// for the pictures of the figures shown without a stream: the notebook page draws each one and
// hands it back, and the saved notebook then shows the figure where no script runs (GitHub, an
// untrusted notebook, nbconvert to Markdown). Wait gives up on a picture after 30 s, or after
// 5 s once one did not come in this kernel session (a closed page, a JupyterLab that has not
// laid the cell out); at most 20 figures of a program get a picture this way. A figure with a
// stream gets its picture when the stream closes. When nothing was shown, and where no page can
// listen (nbconvert, liveplot run, VS Code), Wait returns at once.
func Wait() error {
	ctx := context.Background()
	if err := figure.WaitPictures(ctx); err != nil {
		return err
	}
	return kernelext.Wait(ctx)
}

// validTree returns fig's JSON tree once it has been validated against plotly.js's schema.
func validTree(fig any) (map[string]any, error) {
	tree, err := toTree(fig)
	if err != nil {
		return nil, err
	}
	if err := figure.Validate(tree); err != nil {
		return nil, err
	}
	return tree, nil
}
