// Shared by liveplot's page transports (localpage.js, notebook.js), which run after this file
// (js.go joins them): the subscriptions behind globalThis.liveplotTransport, and running the
// scripts of HTML put into the page. It defines globalThis.liveplotCore = {newChannels,
// runScripts}, once per page; each transport takes it as its one argument.
(function () {
"use strict";
if (globalThis.liveplotCore) return;

// newChannels keeps the callbacks subscribed to each channel. onFirst(channel) is called when a
// channel gets its first subscriber, onLast(channel) when it loses its last one.
function newChannels(onFirst, onLast) {
  const handlers = new Map(); // channel name -> Set of callbacks
  return {
    names: () => Array.from(handlers.keys()),
    subscribe(channel, fn) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        onFirst(channel);
      }
      set.add(fn);
      return function unsubscribe() {
        set.delete(fn);
        if (set.size === 0 && handlers.get(channel) === set) {
          handlers.delete(channel);
          onLast(channel);
        }
      };
    },
    deliver(channel, frame) {
      const set = handlers.get(channel);
      if (!set) return;
      for (const fn of set) {
        try {
          fn(frame);
        } catch (err) {
          console.error("liveplot: a subscriber of " + channel + " failed", err);
        }
      }
    },
  };
}

// runScripts makes the scripts under container run: scripts inserted with innerHTML or cloned
// from a <template> do not, so each is replaced with a fresh copy that does. nonce, when given,
// is the page's Content-Security-Policy nonce, which the copies need to run.
function runScripts(container, nonce) {
  for (const old of container.querySelectorAll("script")) {
    const fresh = document.createElement("script");
    for (const attr of old.attributes) fresh.setAttribute(attr.name, attr.value);
    if (nonce) fresh.nonce = nonce;
    fresh.textContent = old.textContent;
    old.replaceWith(fresh);
  }
}

globalThis.liveplotCore = { newChannels, runScripts };
})();
