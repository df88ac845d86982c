// liveplot in a notebook run by the GoNB kernel. Every output of the GoNB frontend carries this
// script; the first copy to run in a page installs, the others (and the copies that every
// update_display_data runs again) return at once. It exposes:
//
//   globalThis.liveplotTransport.subscribe(channel, fn) -> unsubscribe   (as the local page)
//   globalThis.liveplotTransport.addPicturer(fn)
//                                  fn(element) draws what an output shows in element as a PNG
//                                  (a Promise of a data URL, or of null: not an output of fn's)
//   globalThis.liveplotNotebook.define(name, fn)   runs a library once per page
//   globalThis.liveplotNotebook.show(id, names, kernelId)
//                                  shows an output once its libraries are defined
//
// Frames come as Jupyter comm messages of the GoNB kernel, over one connection to the kernel per
// page and kernel (see "connections" below):
//   - Notebook 6: the notebook's own Jupyter.notebook.kernel, whose IOPub handlers this script
//     wraps;
//   - anywhere else with a Jupyter server (JupyterLab, Notebook 7): a WebSocket of its own to
//     <baseUrl>api/kernels/<kernelId>/channels, the kernel id coming with each output.
// Either way https and a base URL work as the page does. The GoNB kernel speaks its "gonb_comm"
// protocol: this script opens that comm itself and answers the kernel's heartbeats. With no
// kernel to reach (an exported HTML page, VS Code) outputs are shown and frames never come; the
// program then keeps the figure moving by updating its output.
//
// The program may ask for a picture of an output it displayed (#liveplot/draw, naming the page
// element of that display): the page that shows it waits until it is shown, asks the picturers
// for a PNG, and answers (#liveplot/image) on the connection that asked.
//
// localStorage.liveplotLive chooses the connection: "auto" (the default), "socket" (the
// WebSocket even in Notebook 6) or "off" (none: the page does not acknowledge the live channel).
(function (core) {
"use strict";
if (globalThis.liveplotNotebook) return;
const { newChannels, runScripts } = core;

const prefix = "#liveplot/";
const installPrefix = "gonb_websocket_"; // display ids of GoNB's WebSocket installer

// Libraries, by name: defined once per page, by the first output that carries them.
const libraries = new Map(); // name -> {defined, promise, resolve}
function library(name) {
  let lib = libraries.get(name);
  if (!lib) {
    lib = { defined: false };
    lib.promise = new Promise((resolve) => (lib.resolve = resolve));
    libraries.set(name, lib);
  }
  return lib;
}

// define runs fn, a library's source, unless a library of that name ran already. fn takes
// (define, module, exports) and is called without them: a UMD bundle then sets its global
// instead of registering with the notebook's require.js.
function define(name, fn) {
  const lib = library(name);
  if (lib.defined) return;
  lib.defined = true;
  try {
    fn.call(globalThis);
  } catch (err) {
    console.error("liveplot: library " + name + " failed", err);
  }
  lib.resolve();
}

// show puts the HTML of the template id + "-html" into the element id, once every library in
// names is defined, and runs its scripts.
function show(id, names, kernelId) {
  if (kernelId) connectKernel(kernelId);
  const el = document.getElementById(id);
  const tpl = document.getElementById(id + "-html");
  if (!el || !tpl) return;
  const missing = names.filter((n) => !library(n).defined);
  const notice = setTimeout(() => {
    el.textContent =
      "liveplot: waiting for " + missing.join(", ") + ", which an earlier output of this kernel " +
      "carried; that output is gone (cleared or re-run): restart the kernel and run the notebook again.";
  }, 10000);
  Promise.all(names.map((n) => library(n).promise)).then(() => {
    clearTimeout(notice);
    el.replaceChildren(tpl.content.cloneNode(true));
    runScripts(el);
    el.dataset.liveplotShown = "1"; // a picture of it may be drawn (answerPicture)
  });
}

// status says how the page listens, for a person in the browser's console and for tests: the
// mode, each connection (its kernel, "notebook6" or "socket", whether it is connected and has
// GoNB's comm), how many frames were delivered, how many pictures programs asked for, and what
// became of the last asks.
function status() {
  return {
    mode: liveMode(),
    frames: delivered,
    asked,
    pictures: pictures.slice(),
    connections: Array.from(connections.values(), (c) => ({
      kernelId: c.kernelId,
      kind: c.kernel ? "notebook6" : "socket",
      connected: c.connected(),
      comm: !!c.commId,
    })),
  };
}

globalThis.liveplotNotebook = { define, show, status };

// The transport: what the page wants, whatever the connection.
const wanting = new Set(); // channels to ask the program's snapshot of
const awaiting = new Set(); // channels whose frames are dropped until their snapshot comes
let announceTimer = null;
let delivered = 0; // frames delivered to subscribers
let asked = 0; // pictures asked for by programs

function randomId() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function liveMode() {
  try {
    return globalThis.localStorage.getItem("liveplotLive") || "auto";
  } catch (err) {
    return "auto"; // storage refused (a sandboxed frame)
  }
}

// connections holds one connection per kernel this page reaches. A connection is
//   { kernelId, connected(), shell(msgType, content), commId, pendingOpen }
// made by hookNotebook6 or openSocket; the rest of this file speaks only through it.
const connections = new Map(); // kernel id -> connection

// openComm asks the GoNB kernel for its "gonb_comm" comm on conn.
function openComm(conn) {
  if (!conn.connected()) return;
  const id = (conn.pendingOpen = randomId());
  setTimeout(() => {
    if (conn.pendingOpen === id) conn.pendingOpen = null; // not acknowledged: the next need opens again
  }, 3000);
  conn.shell("comm_open", { comm_id: id, target_name: "gonb_comm", kernel_id: conn.kernelId, data: {} });
}

// announce asks the programs for the snapshot of channels (and so tells them that a page
// listens); their frames are dropped until the snapshot comes. Subscriptions made in one go are
// sent in one message on every connection.
function announce(names) {
  for (const n of names) {
    wanting.add(n);
    awaiting.add(n);
  }
  if (announceTimer) return;
  announceTimer = setTimeout(() => {
    announceTimer = null;
    const value = JSON.stringify(Array.from(wanting));
    wanting.clear();
    for (const conn of connections.values()) {
      if (!conn.connected()) continue;
      if (!conn.commId) {
        if (!conn.pendingOpen) openComm(conn); // announced again once the kernel acknowledges it
        continue;
      }
      conn.shell("comm_msg", { comm_id: conn.commId, data: { address: prefix + "sub", value } });
    }
  }, 0);
}

const channels = newChannels(
  (channel) => announce([channel]),
  () => {},
);
const picturers = [];
const pictures = []; // the last asks: {element, ms (from the ask), bytes (base64), error}
globalThis.liveplotTransport = { subscribe: channels.subscribe, addPicturer: (fn) => picturers.push(fn) };

// pictureWait bounds how long the page waits for the output a program asks a picture of to be
// shown (its libraries defined, its scripts run); a page that does not show it never answers.
const pictureWait = 30000;
const pngURL = "data:image/png;base64,";
const answering = new Map(); // request -> its answer (JSON), "" while it is being drawn

// record keeps what became of an ask, for status().
function record(element, started, answer) {
  pictures.push({ element, ms: Date.now() - started, bytes: answer.png ? answer.png.length : 0, error: answer.error || "" });
  if (pictures.length > 10) pictures.shift();
}

// answerPicture answers a program's #liveplot/draw, {request, element, max}: once the output in
// that element is shown, the first picturer that knows it draws it; the answer is
// {request, png} (base64, at most max characters) or {request, error}. The program asks again
// until it has an answer (GoNB may drop a comm message either way); the page draws each request
// once and sends the answer again when asked again.
async function answerPicture(conn, value) {
  let ask;
  try {
    ask = JSON.parse(value);
  } catch (err) {
    return;
  }
  if (answering.has(ask.request)) {
    // Asked again: the answer is on its way, or it was lost (sent on a comm GoNB replaced
    // meanwhile): send it again.
    const sent = answering.get(ask.request);
    if (sent) sendAnswer(conn, sent);
    return;
  }
  answering.set(ask.request, "");
  setTimeout(() => answering.delete(ask.request), 2 * pictureWait);
  const started = Date.now();
  let el = null;
  while (Date.now() - started < pictureWait) {
    const found = document.getElementById(ask.element);
    if (found && found.dataset.liveplotShown === "1") {
      el = found;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!el) {
    record(ask.element, started, { error: "not shown here" });
    return; // this page does not show the output: another may
  }
  const answer = { request: ask.request };
  try {
    let url = null;
    for (const fn of picturers) {
      url = await fn(el);
      if (url) break;
    }
    if (typeof url !== "string" || !url.startsWith(pngURL)) answer.error = "no picturer draws this output";
    else if (url.length - pngURL.length > ask.max) answer.error = "the picture takes " + (url.length - pngURL.length) + " characters in base64, more than " + ask.max;
    else answer.png = url.slice(pngURL.length);
  } catch (err) {
    answer.error = "drawing the picture failed: " + err;
  }
  record(ask.element, started, answer);
  const text = JSON.stringify(answer);
  if (answering.has(ask.request)) answering.set(ask.request, text);
  sendAnswer(conn, text);
}

function sendAnswer(conn, value) {
  if (conn.commId) conn.shell("comm_msg", { comm_id: conn.commId, data: { address: prefix + "image", value } });
}

// onComm handles a comm_msg of the kernel behind conn; it returns true for a batch of frames,
// which nobody else needs, false for what the notebook may handle too.
function onComm(conn, msg) {
  const content = msg.content || {};
  const data = content.data || {};
  const address = data.address;
  if (typeof address !== "string" || !content.comm_id) return false;
  // Every comm message of the GoNB kernel carries its current comm: use it, whoever opened it.
  conn.commId = content.comm_id;
  if (address === "#comm_open_ack") {
    conn.lastAck = Date.now();
    if (content.comm_id === conn.pendingOpen) conn.pendingOpen = null;
    announce(channels.names());
  } else if (address === "#heartbeat/ping") {
    conn.shell("comm_msg", { comm_id: conn.commId, data: { address: "#heartbeat/pong", value: true } });
  } else if (address === prefix + "draw") {
    asked++;
    answerPicture(conn, data.value);
    return true;
  } else if (address === prefix + "hello") {
    // A program started listening: it needs every subscription, and sends snapshots.
    announce(channels.names()); // sent even when empty: it tells the program a page is here
  } else if (address === prefix + "frames") {
    let batch;
    try {
      batch = JSON.parse(data.value);
    } catch (err) {
      console.error("liveplot: a batch of frames that is not JSON", err);
      return true;
    }
    for (const [channel, frame, snapshot] of batch) {
      if (snapshot) {
        awaiting.delete(channel);
        if (frame === null) continue;
      } else if (awaiting.has(channel)) {
        continue;
      }
      delivered++;
      channels.deliver(channel, frame);
    }
    return true;
  }
  return false;
}

// isInstaller reports whether an output message is GoNB's WebSocket installer, which GoNB
// publishes on a kernel's first comm use and then waits up to 3 s for a comm_open: it is answered
// at once with one.
function isInstaller(msg) {
  const transient = (msg.content && msg.content.transient) || {};
  const id = transient.display_id;
  return typeof id === "string" && id.startsWith(installPrefix);
}

// Notebook 6: the notebook's kernel object. Its IOPub handlers are wrapped (again whenever the
// notebook replaces its kernel or handlers: restart, change of kernel), and GoNB's installer is
// also kept out of the notebook: its script would open a second WebSocket on a URL that ignores
// https and base_url.
function hookNotebook6() {
  const nb = globalThis.Jupyter && globalThis.Jupyter.notebook;
  const k = nb && nb.kernel;
  if (!k || typeof k.register_iopub_handler !== "function") return;
  let conn = connections.get(k.id);
  if (!conn || conn.kernel !== k) {
    for (const [id, c] of connections) if (c.kernel) connections.delete(id); // the old kernel object
    conn = {
      kernel: k,
      kernelId: k.id,
      connected: () => typeof k.is_connected === "function" && k.is_connected(),
      shell(msgType, content) {
        if (this.connected()) k.send_shell_message(msgType, content);
      },
      commId: null,
      pendingOpen: null,
      previous: {}, // msg_type -> the handler we wrapped
    };
    const next = (msgType, msg) => conn.previous[msgType] && conn.previous[msgType](msg);
    conn.handlers = {
      comm_msg: (msg) => onComm(conn, msg) || next("comm_msg", msg),
      display_data: (msg) => (isInstaller(msg) ? openComm(conn) : next("display_data", msg)),
      update_display_data: (msg) => (isInstaller(msg) ? undefined : next("update_display_data", msg)),
    };
    connections.set(k.id, conn);
  }
  let rehooked = false;
  for (const [msgType, fn] of Object.entries(conn.handlers)) {
    const current = k.get_iopub_handler(msgType);
    if (current !== fn) {
      conn.previous[msgType] = current;
      k.register_iopub_handler(msgType, fn);
      rehooked = true;
    }
  }
  if (rehooked && channels.names().length) announce(channels.names());
}

// pageConfig returns the Jupyter server's base URL, WebSocket URL and token as the page knows
// them: JupyterLab and Notebook 7 write them into #jupyter-config-data, Notebook 6 its base URL
// into <body data-base-url>. Without a token the login cookie authenticates (JupyterHub).
function pageConfig() {
  let config = {};
  const el = document.getElementById("jupyter-config-data");
  if (el) {
    try {
      config = JSON.parse(el.textContent) || {};
    } catch (err) {
      config = {};
    }
  }
  const baseUrl = config.baseUrl || (document.body && document.body.getAttribute("data-base-url")) || "/";
  let wsUrl = config.wsUrl;
  if (!wsUrl) wsUrl = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + baseUrl;
  if (!wsUrl.endsWith("/")) wsUrl += "/";
  return { wsUrl, token: config.token || "" };
}

// openSocket connects to the kernel with the given id over a WebSocket of this page's own, to
// the Jupyter server's kernel channels, speaking Jupyter's JSON messages. It sees every IOPub
// message the kernel publishes, and sends comm messages on the shell channel. It reconnects
// after a drop, and gives up after five attempts that never opened (a kernel that is gone).
function openSocket(kernelId) {
  const session = randomId();
  const conn = { kernelId, socket: null, commId: null, pendingOpen: null, lastAck: 0, failures: 0 };
  conn.connected = () => !!conn.socket && conn.socket.readyState === WebSocket.OPEN;
  conn.shell = (msgType, content) => {
    if (!conn.connected()) return;
    conn.socket.send(
      JSON.stringify({
        header: { msg_id: randomId(), msg_type: msgType, username: "", session, date: new Date().toISOString(), version: "5.3" },
        parent_header: {},
        metadata: {},
        content,
        buffers: [],
        channel: "shell",
      }),
    );
  };
  const connect = () => {
    const { wsUrl, token } = pageConfig();
    let url = wsUrl + "api/kernels/" + encodeURIComponent(kernelId) + "/channels?session_id=" + session;
    if (token) url += "&token=" + encodeURIComponent(token);
    let opened = false;
    const socket = (conn.socket = new WebSocket(url));
    socket.onopen = () => {
      opened = true;
      conn.failures = 0;
      conn.commId = null;
      conn.pendingOpen = null;
      if (channels.names().length) announce(channels.names());
    };
    socket.onmessage = (event) => {
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch (err) {
        return; // a binary message: not GoNB's
      }
      if (msg.channel !== "iopub") return;
      const type = msg.header && msg.header.msg_type;
      if (type === "comm_msg") onComm(conn, msg);
      else if (type === "display_data" && isInstaller(msg)) answerInstaller(conn);
    };
    socket.onclose = () => {
      if (conn.socket !== socket) return;
      conn.socket = null;
      if (!opened && ++conn.failures >= 5) {
        console.warn("liveplot: cannot reach kernel " + kernelId + " (" + wsUrl + "); the plot moves only when its cell updates it");
        return;
      }
      setTimeout(connect, Math.min(30000, 500 * 2 ** conn.failures));
    };
  };
  connections.set(kernelId, conn);
  connect();
}

// answerInstaller opens the comm for GoNB's installer, unless its own script, which runs in this
// page too (nothing keeps an output from rendering here), opens one within a second: it can over
// http at the server's root, not under https or a base URL. Both opening would make GoNB forget
// that its WebSocket is installed, and install it again at the next comm message, again and again.
function answerInstaller(conn) {
  const since = Date.now();
  setTimeout(() => {
    if (!(conn.lastAck >= since)) openComm(conn);
  }, 1000);
}

// connectKernel makes sure the page listens to the kernel with the given id (which the output
// that names it was produced by).
function connectKernel(kernelId) {
  const mode = liveMode();
  if (mode === "off" || connections.has(kernelId)) return;
  if (mode !== "socket") {
    hookNotebook6();
    if (connections.has(kernelId) || globalThis.Jupyter) return; // Notebook 6 listens
  }
  if (location.protocol !== "http:" && location.protocol !== "https:") return; // no Jupyter server
  openSocket(kernelId);
}

if (liveMode() === "auto") {
  hookNotebook6();
  setInterval(hookNotebook6, 1000);
}
})(globalThis.liveplotCore);
