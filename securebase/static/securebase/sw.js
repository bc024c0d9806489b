// Secure Base service worker: keeps ONE page for offline use, the client's own safety plan, and
// the static files it needs. Network first: the cached copy is used only when the network fails.
// No other page is ever cached. Signing in or out forgets the copy (the sign-out response also
// carries Clear-Site-Data). The view serving this file fills in CONFIG (paths of this site).
"use strict";

var CONFIG = /*CONFIG*/{};
var CACHE = "securebase-safety-plan-v1";

function pageKey() {
  return new URL(CONFIG.page, self.location.origin).href;
}

function forget() {
  return caches.delete(CACHE);
}

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("securebase-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function keepPage(response) {
  // Only a real page of a signed-in client: a redirect means signed out (or not a client).
  if (response.ok && response.type === "basic" && !response.redirected) {
    // Kept with the time it was saved: cachedPage() refuses a copy older than CONFIG.maxAgeMs.
    return response.clone().blob().then(function (body) {
      var headers = new Headers(response.headers);
      headers.set("X-Securebase-Saved-At", String(Date.now()));
      var copy = new Response(body, { status: response.status, headers: headers });
      return caches.open(CACHE).then(function (cache) { return cache.put(pageKey(), copy); });
    });
  }
  if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 500)) {
    return forget();
  }
  return Promise.resolve();
}

function cachedPage() {
  return caches.open(CACHE).then(function (cache) { return cache.match(pageKey()); })
    .then(function (copy) {
      if (!copy) { return copy; }
      var saved = Number(copy.headers.get("X-Securebase-Saved-At") || 0);
      if (!saved || Date.now() - saved > (CONFIG.maxAgeMs || 0)) {
        return forget().then(function () { return undefined; });
      }
      return copy;
    });
}

function planFromNetworkOrCache(event) {
  var network = fetch(event.request);
  event.waitUntil(network.then(keepPage).catch(function () {}));
  return network.then(function (response) {
    if (response.status >= 500) {
      return cachedPage().then(function (copy) { return copy || response; });
    }
    return response;
  }).catch(function () {
    return cachedPage().then(function (copy) { return copy || Response.error(); });
  });
}

function staticFromNetworkOrCache(request) {
  return fetch(request).catch(function () {
    return caches.open(CACHE).then(function (cache) { return cache.match(request); })
      .then(function (copy) { return copy || Response.error(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method !== "GET") {
    if (CONFIG.signOut.indexOf(url.pathname) !== -1 || CONFIG.signIn.indexOf(url.pathname) !== -1) {
      event.waitUntil(forget());
    }
    return;
  }
  if (request.mode === "navigate" && url.pathname === CONFIG.page) {
    event.respondWith(planFromNetworkOrCache(event));
  } else if (url.pathname.indexOf(CONFIG.static) === 0) {
    event.respondWith(staticFromNetworkOrCache(request));
  }
  // Anything else goes to the network untouched and is never stored.
});

// The safety plan page asks to be kept (and names its static files) each time it loads. The
// first time, the page was fetched before this worker was in control, so it is fetched again.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep") { return; }
  var assets = (data.assets || []).filter(function (href) {
    var url = new URL(href, self.location.origin);
    return url.origin === self.location.origin && url.pathname.indexOf(CONFIG.static) === 0;
  });
  var work = caches.open(CACHE).then(function (cache) {
    var jobs = assets.map(function (href) {
      return fetch(href).then(function (response) {
        if (response.ok) { return cache.put(href, response); }
      }).catch(function () {});
    });
    if (data.fetchPage) {
      jobs.push(fetch(pageKey(), { credentials: "same-origin", redirect: "manual" })
        .then(keepPage).catch(function () {}));
    }
    return Promise.all(jobs);
  }).then(function () {
    if (event.source) { event.source.postMessage({ type: "kept" }); }
  });
  event.waitUntil(work);
});
