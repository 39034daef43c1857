/* The phone's service worker, served as /m/sw.js (tasks/mobile.py fills in VERSION, SHELL and MAX_AGE_MS).
   - The app shell (CSS, JS, icon, manifest): from the cache, refreshed whenever VERSION changes.
   - Phone pages (/m/...): from the network, kept for later; after 4 s of a weak signal the copy of the
     same page kept last time; without signal that copy, else the inbox kept last time.
   - Kept pages hold personal data, so they are forgotten (the whole cc-pages cache) when the server session
     ends: a phone page answered with a redirect (the login page: phone pages redirect for nothing else), or
     a 401 seen by the page's script (app.js deletes the cache itself). Each copy carries the moment it was
     kept (X-CC-Kept-At); a copy older than MAX_AGE_MS (the session's absolute lifetime) is never served and
     is deleted when met.
   - Only what the server sent is kept, never the page as shown: a reveal (a POST) changes the page on the
     phone only, and its response goes to the network untouched, never into a cache.
   - Everything else (the API, polls, uploads) goes to the network untouched. */
"use strict";
var VERSION = "__VERSION__";
var SHELL = __SHELL__;
var MAX_AGE_MS = __MAX_AGE_MS__;
var SHELL_CACHE = "cc-shell-" + VERSION;
var PAGES = "cc-pages";
var KEPT_AT = "X-CC-Kept-At";
var PATIENCE_MS = 4000;

// A copy of a page to keep, stamped with the moment it was kept.
function stamped(response) {
  var headers = new Headers(response.headers);
  headers.set(KEPT_AT, String(Date.now()));
  return response.blob().then(function (body) {
    return new Response(body, { status: response.status, statusText: response.statusText, headers: headers });
  });
}

// The kept copy of a page if it is young enough; an older one is deleted and not served.
function kept(key) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(key, { ignoreVary: true }).then(function (hit) {
      if (!hit) return undefined;
      var at = Number(hit.headers.get(KEPT_AT));
      if (at && Date.now() - at < MAX_AGE_MS) return hit;
      // Too old: deleted, unless a fresh copy took its place meanwhile.
      return cache.match(key, { ignoreVary: true }).then(function (now) {
        if (now && now.headers.get(KEPT_AT) === hit.headers.get(KEPT_AT)) return cache.delete(key, { ignoreVary: true });
        return undefined;
      }).then(function () { return undefined; });
    });
  });
}

function forget() {
  return caches.delete(PAGES);
}

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
    // The session has ended (a phone page redirects only to the login page): forget every kept page.
    if (response.type === "opaqueredirect" || response.redirected || response.status === 401) return forget();
    if (!(response.ok && response.type === "basic")) return undefined;
    var copy = response.clone();
    return stamped(copy).then(function (copy) {
      return caches.open(PAGES).then(function (cache) { return cache.put(key, copy); });
    });
  }).catch(function () {}));
  var exact = kept(key);
  // A weak signal: after PATIENCE_MS, this very page as kept last time (never another page).
  var slow = new Promise(function (resolve) {
    setTimeout(function () { exact.then(function (hit) { if (hit) resolve(hit); }); }, PATIENCE_MS);
  });
  // No signal at all: this page as kept, else the inbox as kept.
  return Promise.race([network, slow]).catch(function () {
    return exact.then(function (hit) {
      return hit || kept(url.origin + "/m/");
    }).then(function (hit) {
      return hit || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
    });
  });
}

// The page's script says the session has ended (a 401 from the API or a poll).
self.addEventListener("message", function (event) {
  if (event.data === "forget") event.waitUntil(forget());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (SHELL.indexOf(url.pathname) >= 0) {
    event.respondWith(
      caches.match(request, { cacheName: SHELL_CACHE }).then(function (hit) { return hit || fetch(request); })
    );
  } else if (request.mode === "navigate" && url.pathname.indexOf("/m/") === 0 && !/\/reveal\/?$/.test(url.pathname)) {
    event.respondWith(page(event));
  }
});
