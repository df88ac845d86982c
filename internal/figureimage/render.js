// liveplot's figure renderer: draws a plotly figure off screen with plotly.js and returns it as
// a PNG data URL, at the figure's layout size, or the default size the caller gives when the
// layout sets none. Loaded once in a page that has plotly.js; Go calls
// liveplotRender(figure, defaultWidth, defaultHeight) for each figure.
(function () {
  "use strict";

  // size is the layout's width or height when it is a positive number, else the default.
  function size(value, fallback) {
    return typeof value === "number" && value > 0 ? Math.round(value) : fallback;
  }

  globalThis.liveplotRender = async function (figure, defaultWidth, defaultHeight) {
    const layout = Object.assign({}, figure.layout || {});
    const width = size(layout.width, defaultWidth);
    const height = size(layout.height, defaultHeight);
    layout.width = width;
    layout.height = height;
    const url = await Plotly.toImage(
      { data: figure.data || [], layout, config: { staticPlot: true } },
      { format: "png", width, height, scale: 1 },
    );
    return { url, width, height };
  };
})();
