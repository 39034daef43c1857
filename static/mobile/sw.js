/* The phone's service worker, served as /m/sw.js (tasks/mobile.py fills in VERSION and SHELL).
   - The app shell (CSS, JS, icon, manifest): from the cache, refreshed whenever VERSION changes.
   - Phone pages (/m/...): from the network, kept for later; after 4 s of a weak signal the copy of the
     same page kept last time; without signal that copy, else the inbox kept last time.
   - Everything else (the API, polls, uploads) goes to the network untouched. */
"use strict";
var VERSION = "__VERSION__";
var SHELL = __SHELL__;
var SHELL_CACHE = "cc-shell-" + VERSION;
var PAGES = "cc-pages";
var PATIENCE_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) {
        return n.indexOf("cc-shell-") === 0 && n !== SHELL_CACHE;
      }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function page(event) {
  var request = event.request;
  var url = new URL(request.url);
  var key = url.origin + url.pathname;
  var network = fetch(request);
  // Keep the page inside this event's lifetime: waitUntil is called now, while the event is live, and
  // the copy is taken before the page reads the body (this callback is registered before the race).
  event.waitUntil(network.then(function (response) {
    if (!(response.ok && !response.redirected && response.type === "basic")) return undefined;
    var copy = response.clone();
    return caches.open(PAGES).then(function (cache) { return cache.put(key, copy); });
  }).catch(function () {}));
  var exact = caches.match(key, { cacheName: PAGES, ignoreVary: true });
  // A weak signal: after PATIENCE_MS, this very page as kept last time (never another page).
  var slow = new Promise(function (resolve) {
    setTimeout(function () { exact.then(function (hit) { if (hit) resolve(hit); }); }, PATIENCE_MS);
  });
  // No signal at all: this page as kept, else the inbox as kept.
  return Promise.race([network, slow]).catch(function () {
    return exact.then(function (hit) {
      return hit || caches.match(url.origin + "/m/", { cacheName: PAGES, ignoreVary: true });
    }).then(function (hit) {
      return hit || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (SHELL.indexOf(url.pathname) >= 0) {
    event.respondWith(
      caches.match(request, { cacheName: SHELL_CACHE }).then(function (hit) { return hit || fetch(request); })
    );
  } else if (request.mode === "navigate" && url.pathname.indexOf("/m/") === 0) {
    event.respondWith(page(event));
  }
});
