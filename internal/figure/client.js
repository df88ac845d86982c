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

  // A notebook that renders only the cells in view (JupyterLab's "full" windowing) takes a
  // cell's element out of the document and puts it back later, outputs and all.
  const cellSelector = ".jp-Cell, .cell";

  // gone reports whether the figure's output has left the page for good: it is out of the
  // document and no longer inside a cell (the output was cleared or replaced), as opposed to
  // inside a cell that is only out of the document for a while.
  function gone(state) {
    return !state.gd.isConnected && !state.gd.closest(cellSelector);
  }

  // release forgets a figure whose output is gone: its subscriptions, the points the client
  // kept, and plotly.js's own state, so that a page where cells run again and again (or a
  // 1M-point window was shown and cleared) does not keep every figure it ever drew.
  function release(id, state) {
    state.unsubscribe.forEach((fn) => fn());
    state.unsubscribe = [];
    state.queue = [];
    if (figures.get(id) === state) figures.delete(id);
    delete state.gd.liveplotFull;
    Plotly.purge(state.gd);
  }

  // sweep releases every figure whose output is gone.
  function sweep() {
    for (const [id, state] of figures) if (gone(state)) release(id, state);
  }

  // plot draws the figure output with the given id and subscribes to its streams.
  function plot(id) {
    const gd = document.getElementById(id);
    const source = document.getElementById(id + "-figure");
    if (!gd || !source) throw new Error("liveplot: no figure output with id " + id);
    const fig = JSON.parse(source.textContent);
    const old = figures.get(id);
    if (old) old.unsubscribe.forEach((fn) => fn());
    figures.delete(id);
    sweep();
    const state = { gd, traces: new Map(), queue: [], scheduled: false, unsubscribe: [] };
    figures.set(id, state);
    const config = Object.assign({ responsive: true }, fig.config || {});
    const drawn = (state.drawn = Plotly.newPlot(gd, fig.data || [], fig.layout || {}, config));
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

  // A trace whose streamed arrays grow past decimateAbove values is drawn decimated: the client
  // keeps every value (liveplot.data, and gd.liveplotFull) and gives plotly.js, per bucket of
  // consecutive points, the one with the least and the one with the greatest y, about two per
  // pixel column. Drawing then costs the same however large the window is, and no peak is lost.
  const decimateAbove = 5000;
  const buckets = 2000;

  // get reads a (dotted) attribute path of a trace.
  function get(trace, path) {
    return path.split(".").reduce((v, k) => (v == null ? undefined : v[k]), trace);
  }

  // plain copies an array plotly.js holds (a plain or typed array) into a plain array.
  function plain(v) {
    return v == null ? [] : Array.from(v);
  }

  // applyTo applies a merged update to full arrays, in place.
  function applyTo(full, u) {
    for (const [path, values] of Object.entries(u.replace)) full[path] = values.slice();
    for (const [path, values] of Object.entries(u.extend)) {
      const a = full[path] || (full[path] = []);
      for (const v of values) a.push(v);
      if (u.maxpoints > 0 && a.length > u.maxpoints) a.splice(0, a.length - u.maxpoints);
    }
  }

  // picks returns the indices of y that the decimated view keeps, in order: the first and the
  // last, and in each bucket the least and the greatest value (and any gap, null or NaN).
  function picks(y) {
    const n = y.length;
    if (n === 0) return [];
    const size = n / buckets;
    const out = [0];
    for (let b = 0; b < buckets; b++) {
      const from = Math.floor(b * size);
      const to = Math.min(n, Math.floor((b + 1) * size));
      let lo = -1;
      let hi = -1;
      let gap = -1;
      for (let i = from; i < to; i++) {
        const v = y[i];
        if (v === null || v !== v) {
          if (gap < 0) gap = i;
          continue;
        }
        if (lo < 0 || v < y[lo]) lo = i;
        if (hi < 0 || v > y[hi]) hi = i;
      }
      for (const i of [lo, hi, gap].filter((i) => i >= 0).sort((a, b) => a - b)) {
        if (i > out[out.length - 1]) out.push(i);
      }
    }
    if (n > 1 && out[out.length - 1] !== n - 1) out.push(n - 1);
    return out;
  }

  // drawDecimated gives plotly.js the decimated view of a trace's full arrays.
  function drawDecimated(gd, index, full) {
    const y = full.y || [];
    const keep = picks(y);
    const update = {};
    for (const [path, values] of Object.entries(full)) {
      update[path] = [values.length === y.length ? keep.map((i) => values[i]) : values];
    }
    Plotly.restyle(gd, update, [index]);
  }

  // streamedLength is how many values the trace's y will hold once u is applied.
  function streamedLength(gd, index, u) {
    let n = "y" in u.replace ? u.replace.y.length : (get(gd.data[index], "y") || []).length;
    n += (u.extend.y || []).length;
    return u.maxpoints > 0 ? Math.min(n, u.maxpoints) : n;
  }

  function flush(state) {
    state.scheduled = false;
    const queue = state.queue;
    state.queue = [];
    if (!state.gd.isConnected) {
      sweep(); // the output was cleared or replaced: let it go (a cell out of view keeps it)
      return;
    }
    const gd = state.gd;
    const { updates, relayout } = merge(state, queue);
    for (const [index, u] of updates) {
      const trace = state.traces.get(index);
      if (!trace.full && streamedLength(gd, index, u) > decimateAbove) {
        // From now on the client keeps the trace's streamed arrays itself.
        trace.full = {};
        for (const path of new Set(["x", "y", ...Object.keys(u.replace), ...Object.keys(u.extend)])) {
          trace.full[path] = plain(get(gd.data[index], path));
        }
        gd.liveplotFull = gd.liveplotFull || {};
        gd.liveplotFull[index] = trace.full;
      }
      if (trace.full) {
        applyTo(trace.full, u);
        drawDecimated(gd, index, trace.full);
        continue;
      }
      const replaced = Object.keys(u.replace);
      if (replaced.length > 0) {
        const update = {};
        for (const path of replaced) update[path] = [u.replace[path]];
        Plotly.restyle(gd, update, [index]);
      }
      const extended = Object.keys(u.extend);
      if (extended.length > 0) {
        const update = {};
        for (const path of extended) update[path] = [u.extend[path]];
        if (u.maxpoints > 0) Plotly.extendTraces(gd, update, [index], u.maxpoints);
        else Plotly.extendTraces(gd, update, [index]);
      }
    }
    if (Object.keys(relayout).length > 0) Plotly.relayout(gd, relayout);
  }

  // data returns the streamed arrays of trace index of the figure output id as the client holds
  // them: every value of the window, also when plotly.js is given a decimated view.
  function data(id, index) {
    const state = figures.get(id);
    if (!state) return null;
    const trace = state.traces.get(index);
    if (trace && trace.full) return trace.full;
    const t = state.gd.data[index] || {};
    return { x: plain(t.x), y: plain(t.y) };
  }

  // picture draws the figure shown in container as a PNG data URL, as plotly.js drew it there and
  // at the size it is shown; null when container shows no figure of this client. The page
  // transport of a notebook asks it for the picture that the cell program keeps in the saved
  // notebook's output.
  async function picture(container) {
    const gd = container.querySelector(".liveplot-figure");
    const state = gd && figures.get(gd.id);
    if (!state || state.gd !== gd) return null;
    await state.drawn;
    const full = gd._fullLayout || {};
    const width = Math.round(full.width) || undefined;
    const height = Math.round(full.height) || undefined;
    return Plotly.toImage(gd, { format: "png", width, height, scale: 1 });
  }

  // held lists the ids of the figure outputs the client draws and feeds.
  function held() {
    return Array.from(figures.keys());
  }

  globalThis.liveplot = { plot, data, picture, held };
  const transport = globalThis.liveplotTransport;
  if (transport && typeof transport.addPicturer === "function") transport.addPicturer(picture);
})();
