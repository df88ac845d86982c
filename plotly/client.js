// liveplot's figure client: draws a figure output with plotly.js and applies the frames of its
// streams (the format is in docs/architecture.md). Frames that arrive between two animation
// frames are merged and applied together, at most once per animation frame and figure.
//
// A figure output calls liveplot.plot(id): the element with that id is the plot, the element
// id + "-figure" holds the figure's JSON. Frames come from globalThis.liveplotTransport, the
// page's transport (the local page's WebSocket, or Jupyter comm messages in a notebook); without
// one the figure is drawn and stays as it is.
(function () {
  "use strict";
  if (globalThis.liveplot) return;

  const figures = new Map(); // element id -> figure state

  // plot draws the figure output with the given id and subscribes to its streams.
  function plot(id) {
    const gd = document.getElementById(id);
    const source = document.getElementById(id + "-figure");
    if (!gd || !source) throw new Error("liveplot: no figure output with id " + id);
    const fig = JSON.parse(source.textContent);
    const old = figures.get(id);
    if (old) old.unsubscribe.forEach((fn) => fn());
    const state = { gd, traces: new Map(), queue: [], scheduled: false, unsubscribe: [] };
    figures.set(id, state);
    const config = Object.assign({ responsive: true }, fig.config || {});
    const drawn = Plotly.newPlot(gd, fig.data || [], fig.layout || {}, config);
    const transport = globalThis.liveplotTransport;
    (fig.data || []).forEach((trace, index) => {
      const token = trace.stream && trace.stream.token;
      if (!token || !transport) return;
      state.traces.set(index, { link: null, seq: 0 });
      state.unsubscribe.push(transport.subscribe(token, (frame) => receive(state, index, frame)));
    });
    return drawn;
  }

  function receive(state, index, frame) {
    if (typeof frame === "string") frame = JSON.parse(frame);
    state.queue.push({ index, frame });
    if (!state.scheduled) {
      state.scheduled = true;
      requestAnimationFrame(() => flush(state));
    }
  }

  // keepNewest trims an array to its newest n values (n = 0 keeps all).
  function keepNewest(values, n) {
    return n > 0 && values.length > n ? values.slice(values.length - n) : values;
  }

  // accepts reports whether a frame is new for its trace, and records it.
  function accepts(trace, frame) {
    if (frame.link !== trace.link) {
      trace.link = frame.link;
      trace.seq = 0;
    }
    if (typeof frame.seq === "number") {
      if (frame.seq <= trace.seq) return false;
      trace.seq = frame.seq;
    }
    return true;
  }

  // merge folds frames, in order, into one update per trace with the same effect.
  function merge(state, queue) {
    const updates = new Map(); // trace index -> {replace, extend, maxpoints}
    const relayout = {};
    for (const { index, frame } of queue) {
      const trace = state.traces.get(index);
      if (!trace || !accepts(trace, frame)) continue;
      let u = updates.get(index);
      if (!u) updates.set(index, (u = { replace: {}, extend: {}, maxpoints: 0 }));
      if (typeof frame.maxpoints === "number") u.maxpoints = frame.maxpoints;
      if (frame.reset) {
        u.replace = {};
        u.extend = {};
      }
      for (const [path, values] of Object.entries(frame.replace || {})) {
        u.replace[path] = values;
        delete u.extend[path];
      }
      for (const [path, values] of Object.entries(frame.extend || {})) {
        if (path in u.replace) u.replace[path] = keepNewest(u.replace[path].concat(values), u.maxpoints);
        else u.extend[path] = keepNewest((u.extend[path] || []).concat(values), u.maxpoints);
      }
      Object.assign(relayout, frame.relayout || {});
    }
    return { updates, relayout };
  }

  function flush(state) {
    state.scheduled = false;
    const queue = state.queue;
    state.queue = [];
    if (!document.body.contains(state.gd)) return; // the output was replaced
    const { updates, relayout } = merge(state, queue);
    for (const [index, u] of updates) {
      const replaced = Object.keys(u.replace);
      if (replaced.length > 0) {
        const update = {};
        for (const path of replaced) update[path] = [u.replace[path]];
        Plotly.restyle(state.gd, update, [index]);
      }
      const extended = Object.keys(u.extend);
      if (extended.length > 0) {
        const update = {};
        for (const path of extended) update[path] = [u.extend[path]];
        if (u.maxpoints > 0) Plotly.extendTraces(state.gd, update, [index], u.maxpoints);
        else Plotly.extendTraces(state.gd, update, [index]);
      }
    }
    if (Object.keys(relayout).length > 0) Plotly.relayout(state.gd, relayout);
  }

  globalThis.liveplot = { plot };
})();
