// liveplot in a notebook run by the GoNB kernel. Every output of the GoNB frontend carries this
// script; the first copy to run installs, the others return at once. It exposes:
//
//   globalThis.liveplotTransport.subscribe(channel, fn) -> unsubscribe   (as the local page)
//   globalThis.liveplotNotebook.define(name, fn)   runs a library once per page
//   globalThis.liveplotNotebook.show(id, names)    shows an output once its libraries are defined
//
// Frames come as Jupyter comm messages over the notebook's own kernel connection (Notebook 6:
// Jupyter.notebook.kernel), so https and a base_url work as the notebook does. The GoNB kernel
// speaks its "gonb_comm" protocol: this script opens that comm itself, answers the kernel's
// heartbeats, and keeps GoNB's own WebSocket script (which it would publish as an output) out of
// the page. Without a notebook kernel (an exported HTML page, VS Code) outputs are shown and
// frames never come.
if (globalThis.liveplotNotebook) return;

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
function show(id, names) {
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
  });
}

globalThis.liveplotNotebook = { define, show };

// The transport.
let kernel = null; // the notebook's kernel object we hooked
let commId = null; // the comm the GoNB kernel uses now
let pendingOpen = null; // the comm we asked to open, until the kernel acknowledges it
const wanting = new Set(); // channels to ask the program's snapshot of
const awaiting = new Set(); // channels whose frames are dropped until their snapshot comes
let announceTimer = null;

function randomId() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function connected() {
  return kernel && typeof kernel.is_connected === "function" && kernel.is_connected();
}

function shell(msgType, content) {
  if (connected()) kernel.send_shell_message(msgType, content);
}

function openComm() {
  if (!connected()) return;
  const id = (pendingOpen = randomId());
  setTimeout(() => {
    if (pendingOpen === id) pendingOpen = null; // not acknowledged: the next need opens again
  }, 3000);
  shell("comm_open", { comm_id: pendingOpen, target_name: "gonb_comm", kernel_id: kernel.id, data: {} });
}

// announce asks the program for the snapshot of channels (and so tells it that a page listens);
// their frames are dropped until the snapshot comes. Subscriptions made in one go are sent in one
// message.
function announce(names) {
  for (const n of names) {
    wanting.add(n);
    awaiting.add(n);
  }
  if (announceTimer) return;
  announceTimer = setTimeout(() => {
    announceTimer = null;
    if (!commId) {
      if (!pendingOpen) openComm(); // announced again once the kernel acknowledges it
      return;
    }
    if (!connected()) return;
    shell("comm_msg", { comm_id: commId, data: { address: prefix + "sub", value: JSON.stringify(Array.from(wanting)) } });
    wanting.clear();
  }, 0);
}

const channels = newChannels(
  (channel) => announce([channel]),
  () => {},
);
globalThis.liveplotTransport = { subscribe: channels.subscribe };

const previous = {}; // msg_type -> the handler we wrapped

function onComm(msg) {
  const content = msg.content || {};
  const data = content.data || {};
  const address = data.address;
  if (typeof address === "string" && content.comm_id) {
    // Every comm message of the GoNB kernel carries its current comm: use it, whoever opened it.
    if (address === "#comm_open_ack") {
      if (content.comm_id === pendingOpen) pendingOpen = null;
      commId = content.comm_id;
      announce(channels.names());
    } else if (address === "#heartbeat/ping") {
      commId = content.comm_id;
      shell("comm_msg", { comm_id: commId, data: { address: "#heartbeat/pong", value: true } });
    } else if (address === prefix + "hello") {
      // A program started listening: it needs every subscription, and sends snapshots.
      commId = content.comm_id;
      announce(channels.names()); // sent even when empty: it tells the program a page is here
    } else if (address === prefix + "frames") {
      commId = content.comm_id;
      let batch;
      try {
        batch = JSON.parse(data.value);
      } catch (err) {
        console.error("liveplot: a batch of frames that is not JSON", err);
        return;
      }
      for (const [channel, frame, snapshot] of batch) {
        if (snapshot) {
          awaiting.delete(channel);
          if (frame !== null) channels.deliver(channel, frame);
        } else if (!awaiting.has(channel)) {
          channels.deliver(channel, frame);
        }
      }
      return;
    }
  }
  const next = previous.comm_msg;
  if (next) return next(msg);
}

function wrapDisplay(msgType) {
  return function (msg) {
    const transient = (msg.content && msg.content.transient) || {};
    const id = transient.display_id;
    if (typeof id === "string" && id.startsWith(installPrefix)) {
      // GoNB asks the page for a comm (and waits up to 3 s for one): open ours, and keep its
      // script, which would open a second WebSocket on a URL that ignores https and base_url,
      // out of the notebook.
      if (msgType === "display_data") openComm();
      return;
    }
    const next = previous[msgType];
    if (next) return next(msg);
  };
}
const handlers = { comm_msg: onComm, display_data: wrapDisplay("display_data"), update_display_data: wrapDisplay("update_display_data") };

// hook wraps the notebook kernel's IOPub handlers, again whenever the notebook replaces its kernel
// or handlers (kernel restart, change of kernel).
function hook() {
  const nb = globalThis.Jupyter && globalThis.Jupyter.notebook;
  const k = nb && nb.kernel;
  if (!k || typeof k.register_iopub_handler !== "function") return;
  if (k !== kernel) {
    kernel = k;
    commId = null;
    pendingOpen = null;
  }
  let rehooked = false;
  for (const [msgType, fn] of Object.entries(handlers)) {
    const current = k.get_iopub_handler(msgType);
    if (current !== fn) {
      previous[msgType] = current;
      k.register_iopub_handler(msgType, fn);
      rehooked = true;
    }
  }
  if (rehooked && channels.names().length) announce(channels.names());
}
hook();
setInterval(hook, 1000);
