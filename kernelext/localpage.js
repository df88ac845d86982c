// liveplot's local page: keeps the page's outputs as the program displays them and delivers the
// frames of each channel to the scripts that subscribe to it, over one WebSocket that reconnects
// by itself. It exposes globalThis.liveplotTransport:
//
//   const unsubscribe = liveplotTransport.subscribe(channel, (frame) => { ... });
//
// Frames are parsed JSON values; what they mean is up to the subscriber.
// It runs inside the function that js.go wraps around core.js and this file.
if (globalThis.liveplotTransport) return;

const secret = new URLSearchParams(location.search).get("s") || "";
let socket = null;
let retryDelay = 250;

function send(msg) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
}

function setStatus(text) {
  const el = document.getElementById("liveplot-status");
  if (el) el.textContent = text;
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(scheme + "//" + location.host + "/ws?s=" + encodeURIComponent(secret));
  socket.onopen = () => {
    retryDelay = 250;
    setStatus("");
    for (const channel of channels.names()) send({ t: "sub", c: channel });
  };
  socket.onmessage = (event) => {
    let msg;
    try {
      msg = JSON.parse(event.data);
    } catch (err) {
      console.error("liveplot: a message that is not JSON", err);
      return;
    }
    if (msg.t === "frame") channels.deliver(msg.c, msg.f);
    else if (msg.t === "display") queueDisplay(msg);
  };
  socket.onclose = () => {
    setStatus("disconnected from the program; retrying");
    setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 5000);
  };
}

// Libraries already in the page, by name: those the page was served with, then those loaded.
// This script runs in the head before the parser has reached the page's other script elements,
// so they are counted once the document is parsed (and they have run); outputs wait for that.
// Counted earlier, they were missed, and an output that arrived early loaded plotly.js again.
const loaded = new Set();
const parsed = new Promise((resolve) => {
  const count = () => {
    for (const el of document.querySelectorAll('script[src^="/assets/"]')) {
      loaded.add(decodeURIComponent(new URL(el.src).pathname.slice("/assets/".length)));
    }
    resolve();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", count);
  else count();
});

function loadScript(name) {
  if (loaded.has(name)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const el = document.createElement("script");
    el.src = "/assets/" + encodeURIComponent(name) + "?s=" + encodeURIComponent(secret);
    el.onload = () => {
      loaded.add(name);
      resolve();
    };
    el.onerror = () => reject(new Error("liveplot: could not load " + name));
    document.head.appendChild(el);
  });
}

function showOutput(msg) {
  const outputs = document.getElementById("liveplot-outputs");
  let el = outputs.querySelector('[data-output-id="' + CSS.escape(msg.id) + '"]');
  if (el && el.dataset.outputVersion === String(msg.v)) return; // the page has this one
  if (!el) {
    el = document.createElement("div");
    el.className = "liveplot-output";
    el.dataset.outputId = msg.id;
    outputs.appendChild(el);
  }
  el.dataset.outputVersion = String(msg.v);
  el.innerHTML = msg.html;
  runScripts(el);
}

// Outputs are shown in the order they were displayed, each once its libraries are loaded.
let displays = parsed;
function queueDisplay(msg) {
  displays = displays
    .then(() => (msg.scripts || []).reduce((p, name) => p.then(() => loadScript(name)), Promise.resolve()))
    .then(() => showOutput(msg))
    .catch((err) => console.error(err));
}

const channels = newChannels(
  (channel) => send({ t: "sub", c: channel }),
  (channel) => send({ t: "unsub", c: channel }),
);
globalThis.liveplotTransport = { subscribe: channels.subscribe };

connect();
