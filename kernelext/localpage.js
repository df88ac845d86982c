// liveplot's local page: keeps the page's outputs as the program displays them and delivers the
// frames of each channel to the scripts that subscribe to it, over one WebSocket that reconnects
// by itself. It exposes globalThis.liveplotTransport:
//
//   const unsubscribe = liveplotTransport.subscribe(channel, (frame) => { ... });
//
// Frames are parsed JSON values; what they mean is up to the subscriber.
(function (core) {
"use strict";
if (globalThis.liveplotTransport) return;
const { newChannels, runScripts } = core;

const secret = new URLSearchParams(location.search).get("s") || "";
// The page's own address without its query: the server may mount it under any path, so the
// scripts and the socket are found relative to it.
const base = new URL(".", location.href);
// The reason of the close (code 1001) that says the program stopped serving the page (localpage.go).
const stoppedReason = "the program stopped serving this page";
// The page's Content-Security-Policy runs inline scripts that carry this answer's nonce: the
// page's own script carries it, and gives it to the scripts of the outputs it shows.
const nonce = (document.currentScript && document.currentScript.nonce) || "";
let socket = null;
let retryDelay = 250;
// Messages of the current socket handled so far. The page acknowledges them every ackEvery
// messages: the server sends a page that is behind snapshots instead of every frame.
let received = 0;
const ackEvery = 16;

function send(msg) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
}

function handle(data) {
  let msg;
  try {
    msg = JSON.parse(data);
  } catch (err) {
    console.error("liveplot: a message that is not JSON", err);
    return;
  }
  if (msg.t === "frame") channels.deliver(msg.c, msg.f);
  else if (msg.t === "display") queueDisplay(msg);
}

function setStatus(text) {
  const el = document.getElementById("liveplot-status");
  if (el) el.textContent = text;
}

function connect() {
  const url = new URL("ws?s=" + encodeURIComponent(secret), base);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(url.href);
  socket.onopen = () => {
    retryDelay = 250;
    received = 0;
    send({ t: "ack", n: 0 }); // this page acknowledges what it handles
    setStatus("");
    for (const channel of channels.names()) send({ t: "sub", c: channel });
  };
  socket.onmessage = (event) => {
    try {
      handle(event.data);
    } finally {
      received++; // every message counts, as the server counts what it wrote
      if (received % ackEvery === 0) send({ t: "ack", n: received });
    }
  };
  socket.onclose = (event) => {
    if (event.code === 1008 || (event.code === 1001 && event.reason === stoppedReason)) {
      // The server refused what this page asked, or the program stopped serving the page (the
      // reason says which): retrying would repeat the refusal, or find a new secret.
      setStatus("liveplot: " + event.reason);
      if (event.code === 1008) console.error("liveplot: the program closed the page's connection: " + event.reason);
      return;
    }
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
    const assets = new URL("assets/", base).pathname;
    for (const el of document.querySelectorAll("script[src]")) {
      const path = new URL(el.src).pathname;
      if (path.startsWith(assets)) loaded.add(decodeURIComponent(path.slice(assets.length)));
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
    el.src = new URL("assets/" + encodeURIComponent(name) + "?s=" + encodeURIComponent(secret), base).href;
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
  runScripts(el, nonce);
}

// showServedOutputs shows the outputs the page was served with: each is in a <template>, so that
// its scripts run here, with the nonce, after the page's libraries have loaded.
function showServedOutputs() {
  for (const tpl of document.querySelectorAll("#liveplot-outputs > .liveplot-output > template")) {
    // As markup, like an output that arrives later: scripts inserted with innerHTML do not run
    // (nor are they checked) until runScripts copies them.
    const el = tpl.parentElement;
    el.innerHTML = tpl.innerHTML;
    runScripts(el, nonce);
  }
}

// Outputs are shown in the order they were displayed, each once its libraries are loaded; those
// the page was served with come first.
let displays = parsed.then(showServedOutputs).catch((err) => console.error(err));
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
})(globalThis.liveplotCore);
