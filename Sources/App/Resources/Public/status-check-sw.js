// The checkpoint page's service worker (issue #16 §2): keeps the page, its stylesheets and its script so that the
// page opens again with the network gone (a reload, a restarted browser), not only while its tab stays open. Scope:
// /console/citizen/status-check only (served with Service-Worker-Allowed). Network first, the cached copy when the
// network fails; the keys and the revocation list are not cached here but by the page (localStorage), which knows
// their lifetimes.
var CACHE = "citynet-status-check-v1";
var ASSETS = ["/console/assets/console.css", "/console/assets/gov.css", "/console/assets/status-check.js"];
var PAGE = "/console/citizen/status-check";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); })
    .then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  var page = event.request.mode === "navigate" && url.pathname === PAGE;
  if (!page && ASSETS.indexOf(url.pathname) < 0) return;
  // One copy of the page per language. It is fetched on its own, signed out and without the code this visit
  // carried, never copied from the answer shown: a checkpoint device is shared, and the copy opened offline must not
  // show the last person's code, status or name.
  var lang = url.searchParams.get("lang") || "";
  var key = page ? PAGE + "?lang=" + lang : url.pathname;
  event.respondWith(fetch(event.request).then(function (response) {
    if (response.ok) {
      var copy = page ? fetch(key, { credentials: "omit" }) : Promise.resolve(response.clone());
      event.waitUntil(copy.then(function (clean) {
        if (clean.ok) return caches.open(CACHE).then(function (cache) { return cache.put(key, clean); });
      }).catch(function () { /* the copy kept before stays */ }));
    }
    return response;
  }).catch(function () {
    return caches.match(key).then(function (cached) {
      return cached || (page ? caches.match(PAGE, {ignoreSearch: true}) : undefined);
    }).then(function (cached) { return cached || Response.error(); });
  }));
});
