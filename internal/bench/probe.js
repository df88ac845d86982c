// The benchmark's probe, evaluated in the page under test. It counts, in the page, the points that
// reach plotly.js and their latency, and the kernel messages the page receives.
//
// Points carry their write time: x is the point's number (increasing), y the wall-clock time of
// the write in milliseconds since the Unix epoch. Every call of Plotly.newPlot, react, restyle
// and extendTraces is inspected: the points of trace 0 whose x is above the highest x seen so far
// are new; each adds to `points` and to two latency histograms (1 ms buckets): "applied" is now -
// y when plotly.js returns, "painted" is taken after the next animation frame (a requestAnimationFrame
// callback then a task, i.e. once the browser has painted). This works the same for liveplot's
// client (extendTraces/restyle), for a re-render that replots the whole window (newPlot), and for
// a plotly.js loaded by require.js (Python's plotly), as long as the probe sees its Plotly object.
// When liveplot's client draws a large window decimated, the probe counts the window it keeps
// (gd.liveplotFull), not the decimated view it hands plotly.js.
//
// Messages: Jupyter.notebook.kernel's IOPub handling is wrapped to count comm_msg, display_data and
// update_display_data messages and the size of what they carry (comm data value, text/html).
//
// Scenarios and figures: reset(lo, stride) starts a measurement that counts only points whose
// x is lo or more (a scenario's own range, so that a backlog of the one before never counts), and
// tells figures apart by x too: figure k of a scenario writes x = lo + k*stride + n for its point
// n. summary().lastX is the newest point number n that every figure has reached, and figures how
// many figures brought points. reset() alone counts every x from 0 as one figure.
//
// First paints: every plot that appears in the page (an element .js-plotly-plot gets plotly.js's
// .main-svg) is recorded with the time of the paint after it; paintedSince(t) returns the first
// such time at or after t (ms since the epoch), or 0.
//
// window.liveplotBench.reset() starts a measurement; summary() returns its numbers.
(function () {
  if (window.liveplotBench) return true;
  const maxMs = 120000;
  const wrapped = new WeakSet();
  const b = {};
  b.reset = function (lo, stride) {
    b.lo = lo || 0;
    b.stride = stride || Infinity;
    b.lastX = new Map(); // figure k -> the newest point number n applied
    b.points = 0;
    b.calls = 0;
    b.firstY = 0; // write time of the first new point
    b.lastApplied = 0; // when the last new point was applied
    b.applied = new Uint32Array(maxMs + 1);
    b.painted = new Uint32Array(maxMs + 1);
    b.pending = [];
    b.msgs = { comm_msg: 0, display_data: 0, update_display_data: 0 };
    b.msgBytes = 0;
    b.firstMsg = 0;
    b.lastMsg = 0;
    return true;
  };
  b.reset();

  function plain(a) {
    if (!a) return null;
    if (Array.isArray(a) || ArrayBuffer.isView(a)) return a;
    if (a._inputArray) return a._inputArray; // plotly.js's decoded {dtype, bdata}
    return null;
  }
  function add(hist, ms) {
    hist[Math.max(0, Math.min(maxMs, Math.round(ms)))]++;
  }
  function paint() {
    setTimeout(() => {
      const now = Date.now();
      for (const [ys, from] of b.pending) for (let k = from; k < ys.length; k++) add(b.painted, now - ys[k]);
      b.pending = [];
    }, 0);
  }
  // count takes trace 0's x and y as handed to plotly.js.
  function count(xs, ys) {
    xs = plain(xs);
    ys = plain(ys);
    if (!xs || !ys || xs.length !== ys.length || xs.length === 0) return;
    const newest = xs[xs.length - 1] - b.lo;
    if (!(newest >= 0)) return; // another scenario's point
    const k = b.stride === Infinity ? 0 : Math.floor(newest / b.stride);
    const base = b.lo + k * (k ? b.stride : 0);
    const seen = b.lastX.has(k) ? base + b.lastX.get(k) : base - 1;
    let i = xs.length;
    while (i > 0 && xs[i - 1] > seen) i--;
    if (i === xs.length) return;
    const now = Date.now();
    if (b.points === 0) b.firstY = ys[i];
    b.points += xs.length - i;
    b.calls++;
    b.lastX.set(k, xs[xs.length - 1] - base);
    b.lastApplied = now;
    for (let k = i; k < ys.length; k++) add(b.applied, now - ys[k]);
    if (b.pending.length === 0) requestAnimationFrame(paint);
    b.pending.push([ys, i]);
  }
  function wrap(P) {
    if (!P || wrapped.has(P) || typeof P.newPlot !== "function") return;
    wrapped.add(P);
    const orig = {};
    for (const name of ["newPlot", "react", "restyle", "extendTraces"]) orig[name] = P[name];
    const after = (result, fn) => (result && typeof result.then === "function" ? result.then((v) => (fn(), v)) : (fn(), result));
    for (const name of ["newPlot", "react"]) {
      P[name] = function (gd, data) {
        const t = Array.isArray(data) && data[0];
        return after(orig[name].apply(this, arguments), () => t && count(t.x, t.y));
      };
    }
    for (const name of ["restyle", "extendTraces"]) {
      P[name] = function (gd, update, indices) {
        const idx = Array.isArray(indices) ? indices[0] : indices;
        const u = update || {};
        return after(orig[name].apply(this, arguments), () => {
          if (idx !== undefined && idx !== 0) return;
          // liveplot's client keeps a large window itself and hands plotly.js a decimated view:
          // count the points of the window it applied, not of the view.
          const full = gd && gd.liveplotFull && gd.liveplotFull[0];
          if (full) count(full.x, full.y);
          else if (u.x && u.y) count(u.x[0], u.y[0]);
        });
      };
    }
    b.wrapped = (b.wrapped || 0) + 1;
  }
  function hookKernel() {
    const k = window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel;
    if (!k || k.liveplotBenchHooked || typeof k._handle_iopub_message !== "function") return;
    k.liveplotBenchHooked = true;
    const orig = k._handle_iopub_message;
    k._handle_iopub_message = function (msg) {
      const type = msg && msg.header && msg.header.msg_type;
      if (type in b.msgs) {
        const now = Date.now();
        b.msgs[type]++;
        if (!b.firstMsg) b.firstMsg = now;
        b.lastMsg = now;
        const c = msg.content || {};
        const v = type === "comm_msg" ? c.data && c.data.value : c.data && c.data["text/html"];
        if (typeof v === "string") b.msgBytes += v.length;
      }
      return orig.apply(this, arguments);
    };
  }
  function quantile(hist, n, q) {
    if (n === 0) return -1;
    const want = Math.ceil(q * n);
    let seen = 0;
    for (let ms = 0; ms <= maxMs; ms++) if ((seen += hist[ms]) >= want) return ms;
    return maxMs;
  }
  // First paints of plots, whatever drew them.
  b.firstPaints = [];
  const drawn = new WeakSet();
  const drawnNow = (svg) => {
    const gd = svg.closest(".js-plotly-plot");
    if (!gd || drawn.has(gd)) return;
    drawn.add(gd);
    requestAnimationFrame(() => setTimeout(() => b.firstPaints.push(Date.now()), 0));
  };
  // Looks only at added nodes that are not inside an SVG: a plot's redraws add SVG elements.
  new MutationObserver((records) => {
    for (const r of records) {
      for (const node of r.addedNodes) {
        if (node.nodeType !== 1) continue;
        if (node.classList.contains("main-svg")) drawnNow(node);
        else if (!(node instanceof SVGElement)) node.querySelectorAll(".main-svg").forEach(drawnNow);
      }
    }
  }).observe(document.body, { childList: true, subtree: true });
  b.paintedSince = function (t) {
    return b.firstPaints.find((at) => at >= t) || 0;
  };
  b.summary = function () {
    let painted = 0;
    for (let ms = 0; ms <= maxMs; ms++) painted += b.painted[ms];
    const last = b.lastX.size ? Math.min(...b.lastX.values()) : -1;
    return {
      points: b.points, calls: b.calls, lastX: last, figures: b.lastX.size,
      firstY: b.firstY, lastApplied: b.lastApplied,
      appliedP50: quantile(b.applied, b.points, 0.5), appliedP99: quantile(b.applied, b.points, 0.99),
      paintedP50: quantile(b.painted, painted, 0.5), paintedP99: quantile(b.painted, painted, 0.99),
      msgs: b.msgs.comm_msg + b.msgs.display_data + b.msgs.update_display_data, msgBytes: b.msgBytes,
      firstMsg: b.firstMsg, lastMsg: b.lastMsg, wrapped: b.wrapped || 0,
    };
  };
  // Plotly appears when the first output that carries it runs: as a global, or as require.js's
  // module "plotly" (Python's plotly in Notebook 6). The kernel may be replaced: hook both again.
  function hookAll() {
    wrap(window.Plotly);
    if (window.require && window.require.defined && window.require.defined("plotly")) window.require(["plotly"], wrap);
    hookKernel();
  }
  hookAll();
  setInterval(hookAll, 50);
  window.liveplotBench = b;
  return true;
})()
