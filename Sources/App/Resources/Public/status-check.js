// The checkpoint page (/console/citizen/status-check, issue #16 §2) verifies status codes in this browser, with the
// network gone: it fetches the issuer's published keys (GET /api/v1/status-code-keys) and the signed revocation list
// (GET /api/v1/status-code-revocations), keeps them in localStorage with the time they were fetched, refreshes them
// while online (at the endpoints' Cache-Control max-age), and checks a pasted or scanned code with WebCrypto
// (compact JWS, EdDSA over Ed25519, RFC 7515/8037). The rules and their order are the server's
// StatusCodeVerifier / CityDomain.StatusCodeCheck, the same as `citynet code verify`: malformed, unknown_key,
// tampered, revoked, replayed, expired, not_yet_valid, valid; a list past its exp is still used and called stale; a
// list whose signature does not verify is not used. Words, categories and constants come from the page
// (data-checkpoint, StatusCheckpoint.swift). Without WebCrypto's Ed25519 the form goes to the server as before.
(function () {
  "use strict";
  var holder = document.getElementById("status-check-data");
  var form = document.getElementById("status-check");
  if (!holder || !form || !window.crypto || !crypto.subtle || !window.localStorage || !window.fetch) return;
  var config = JSON.parse(holder.dataset.checkpoint);
  var STORE = "citynet.status-check.v1";
  var cacheLine = document.getElementById("status-check-cache");
  var area = document.getElementById("status-result-area");

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE)) || {}; } catch (e) { return {}; }
  }
  function save(state) { localStorage.setItem(STORE, JSON.stringify(state)); }

  // The categories of the rule set the page was served with; a newer page replaces an older one's.
  var state = load();
  if (!state.categories || (state.ruleSetVersion || 0) <= config.rule_set_version) {
    state.categories = config.categories;
    state.ruleSetVersion = config.rule_set_version;
    save(state);
  }

  // base64url (RFC 4648 §5, no padding) → bytes; null when it is not base64url.
  function bytes(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
    var plain = text.replace(/-/g, "+").replace(/_/g, "/");
    while (plain.length % 4) plain += "=";
    try {
      var binary = atob(plain);
      var out = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
      return out;
    } catch (e) { return null; }
  }
  function json(part) {
    var raw = bytes(part);
    if (!raw) return null;
    try {
      var value = JSON.parse(new TextDecoder("utf-8", {fatal: true}).decode(raw));
      return value && typeof value === "object" && !Array.isArray(value) ? value : null;
    } catch (e) { return null; }
  }
  function isInteger(value) { return typeof value === "number" && Number.isSafeInteger(value); }
  function isString(value) { return typeof value === "string"; }

  // A compact JWS whose claims decode as `claimsOK` says; null when it is not one (jwt-kit's parser: three parts,
  // header and claims base64url JSON, signature base64url).
  function parse(token, claimsOK) {
    var parts = token.split(".");
    if (parts.length !== 3) return null;
    var header = json(parts[0]);
    var claims = json(parts[1]);
    var signature = bytes(parts[2]);
    if (!header || !claims || !signature || !claimsOK(claims)) return null;
    return {header: header, claims: claims, signature: signature,
            signed: new TextEncoder().encode(parts[0] + "." + parts[1])};
  }
  function codeClaims(c) { return isString(c.sub) && isString(c.st) && isInteger(c.iat) && isInteger(c.exp); }
  function listClaims(c) {
    return isString(c.iss) && isInteger(c.iat) && isInteger(c.exp) && Array.isArray(c.revoked) &&
      c.revoked.every(isString);
  }

  // The key set's keys by id, imported for Ed25519 verification; null when a key is not Ed25519 (as the server's
  // LicenceKeyRing(published:) refuses the whole set).
  function importKeys(set) {
    var keys = (set && set.keys) || [];
    if (!keys.length) return Promise.resolve(null);
    return Promise.all(keys.map(function (key) {
      var raw = key.algorithm === "Ed25519" ? bytes(key.public_key) : null;
      if (!raw || raw.length !== 32) return Promise.reject(new Error("not an Ed25519 key"));
      return crypto.subtle.importKey("raw", raw, {name: "Ed25519"}, false, ["verify"]);
    })).then(function (imported) {
      var byID = Object.create(null); // no inherited names: a kid "constructor" is an unknown key, not a function
      keys.forEach(function (key, index) { byID[key.key_id] = imported[index]; });
      return byID;
    }, function () { return null; });
  }
  function verify(key, parsed) {
    return crypto.subtle.verify({name: "Ed25519"}, key, parsed.signature, parsed.signed)
      .catch(function () { return false; });
  }

  // The cached list as the verifier sees it: {revocation: checked|no_list|list_invalid, revoked, exp}.
  function revocations(keys, list) {
    if (!list) return Promise.resolve({revocation: "no_list", revoked: null});
    var parsed = parse(String(list).trim(), listClaims);
    if (!parsed || parsed.header.alg !== "EdDSA" || !keys[parsed.header.kid]) {
      return Promise.resolve({revocation: "list_invalid", revoked: null});
    }
    return verify(keys[parsed.header.kid], parsed).then(function (ok) {
      return ok ? {revocation: "checked", revoked: new Set(parsed.claims.revoked), exp: parsed.claims.exp}
        : {revocation: "list_invalid", revoked: null};
    });
  }

  // `yyyy-MM-dd HH:mm` in Asia/Shanghai (UTC+8), as the server prints it.
  function shanghai(seconds) {
    var d = new Date((seconds + 8 * 3600) * 1000);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getUTCFullYear() + "-" + two(d.getUTCMonth() + 1) + "-" + two(d.getUTCDate()) + " " +
      two(d.getUTCHours()) + ":" + two(d.getUTCMinutes());
  }
  function reason(name, values) {
    return (config.reasons[name] || "").replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? values[key] : all;
    });
  }
  function refused(outcome, detail, claims) {
    return {outcome: outcome, reason: reason(outcome, {detail: detail}), claims: claims || null};
  }
  function malformedDetail(token) {
    var parts = token.split(".");
    if (parts.length !== 3) return parts.length + " part(s) separated by '.', a compact JWS has 3 (cut short?)";
    var bad = token.match(/[^A-Za-z0-9_.-]/u);
    if (bad) return "character '" + bad[0] + "' is not base64url";
    return "the header or the claims are not the status code's JSON (sub, st, iat, exp)";
  }

  // Checks one code at `now` (seconds since 1970, this device's clock): StatusCodeVerifier.check.
  function check(text, now) {
    var token = text.trim();
    if (!token) return Promise.resolve(refused("malformed", "empty text"));
    if (Array.from(token).length > 2048) return Promise.resolve(refused("malformed", "longer than 2048 characters"));
    var parsed = parse(token, codeClaims);
    if (!parsed) return Promise.resolve(refused("malformed", malformedDetail(token)));
    var header = parsed.header;
    if (header.alg !== "EdDSA") {
      return Promise.resolve(refused("malformed", "algorithm '" + (isString(header.alg) ? header.alg : "none") +
        "' is not EdDSA"));
    }
    if (!isString(header.kid)) return Promise.resolve(refused("malformed", "no key id (kid)"));
    var cached = load();
    return importKeys(cached.keys && cached.keys.set).then(function (keys) {
      if (!keys) return {outcome: null};
      if (!keys[header.kid]) return refused("unknown_key", header.kid, parsed.claims);
      return verify(keys[header.kid], parsed).then(function (ok) {
        if (!ok) return refused("tampered", "", parsed.claims);
        return revocations(keys, cached.list && cached.list.list).then(function (list) {
          var state = list.revocation;
          if (state === "checked" && now > list.exp) state = "stale";
          return judged(parsed.claims, list.revoked ? list.revoked.has(parsed.claims.sub) : false, state, now);
        });
      });
    });
  }
  // CityDomain.StatusCodeCheck.judged.
  function judged(claims, revoked, revocation, now) {
    var times = {issued: shanghai(claims.iat), until: shanghai(claims.exp)};
    var outcome = "valid";
    if (revoked) outcome = "revoked";
    else if (now > claims.exp + config.clock_skew + config.refresh_grace) outcome = "replayed";
    else if (now > claims.exp + config.clock_skew) outcome = "expired";
    else if (claims.iat > now + config.clock_skew) outcome = "not_yet_valid";
    var name = outcome !== "valid" ? outcome
      : revocation === "checked" ? "valid_checked" : revocation === "stale" ? "valid_stale" : "valid_no_list";
    return {outcome: outcome, reason: reason(name, times), claims: claims, revocation: revocation};
  }

  function category(code) {
    var found = (load().categories || config.categories).filter(function (c) { return c.code === code; })[0];
    if (!found) return {name: code, colour: null};
    return {name: config.language === "en" ? found.name_en : found.name_zh, colour: found.colour};
  }

  function show(result) {
    var section = document.createElement("section");
    section.className = "panel";
    section.id = "status-result";
    var heading = document.createElement("h2");
    var body = document.createElement("p");
    body.id = "status-result-reason";
    if (!result.outcome) {
      section.dataset.outcome = "no_keys";
      heading.className = "overdue";
      heading.textContent = config.words.no_keys;
    } else {
      section.dataset.outcome = result.outcome;
      section.dataset.checkedBy = "browser";
      if (result.revocation) section.dataset.revocation = result.revocation;
      heading.className = result.outcome === "valid" ? "ok" : "overdue";
      heading.textContent = config.outcomes[result.outcome];
      if (result.outcome === "valid") {
        var shown = category(result.claims.st);
        section.dataset.category = result.claims.st;
        heading.textContent += " · " + shown.name;
        if (shown.colour) section.style.borderLeft = "6px solid " + shown.colour;
      }
      body.textContent = result.reason;
    }
    var note = document.createElement("p");
    note.className = "muted";
    note.textContent = config.words.checked_here;
    section.append(heading, body, note);
    area.replaceChildren(section);
  }

  function when(ms) { return ms ? new Date(ms).toLocaleString(config.language === "en" ? "en-GB" : "zh-CN") : null; }
  function describeCache() {
    var cached = load();
    var line = config.words.cache
      .replace("{keys}", when(cached.keys && cached.keys.fetchedAt) || config.words.never)
      .replace("{list}", when(cached.list && cached.list.fetchedAt) || config.words.never);
    if (!navigator.onLine) line += " · " + config.words.offline;
    cacheLine.textContent = line;
    cacheLine.dataset.keysFetchedAt = (cached.keys && cached.keys.fetchedAt) || "";
    cacheLine.dataset.listFetchedAt = (cached.list && cached.list.fetchedAt) || "";
    cacheLine.hidden = false;
  }

  // Fetches what is older than its max-age (or everything with `force`), while online; keeps the cache otherwise.
  function refresh(force) {
    if (!navigator.onLine) { describeCache(); return Promise.resolve(); }
    var cached = load();
    var now = Date.now();
    function due(entry, maxAge) { return force || !entry || now - entry.fetchedAt >= maxAge * 1000; }
    function get(url) {
      return fetch(url, {cache: "no-store", credentials: "omit"}).then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.json();
      });
    }
    // What was fetched replaces what is cached only when it is usable: a key set whose keys all import, a list that
    // verifies with the cached keys and is no older than the cached one (a replayed old list would drop the
    // revocations since; a broken one would leave revoked codes unchecked).
    var keysJob = !due(cached.keys, config.keys_max_age) ? Promise.resolve() : get(config.keys_url).then(function (set) {
      return importKeys(set).then(function (imported) {
        if (!imported) return;
        var next = load();
        next.keys = {set: set, fetchedAt: Date.now()};
        save(next);
      });
    }).catch(function () {});
    var listJob = keysJob.then(function () {
      if (!due(cached.list, config.list_max_age)) return;
      return get(config.revocations_url).then(function (body) {
        var stored = load();
        return importKeys(stored.keys && stored.keys.set).then(function (keys) {
          return keys ? revocations(keys, body.list) : {revocation: "no_keys"};
        }).then(function (checked) {
          if (checked.revocation !== "checked") return;
          var fresh = parse(String(body.list).trim(), listClaims);
          var old = stored.list && parse(String(stored.list.list).trim(), listClaims);
          if (old && fresh.claims.iat < old.claims.iat) return;
          var next = load();
          next.list = {list: body.list, issued_at: body.issued_at, expires_at: body.expires_at, fetchedAt: Date.now()};
          save(next);
        });
      });
    }).catch(function () {});
    return listJob.then(describeCache);
  }

  // A code in the address (the citizen page's link) when the page came from the service worker's cache without it.
  var query = new URLSearchParams(location.search);
  var asked = query.get("code");
  if (asked && !form.elements.code.value.trim()) form.elements.code.value = asked;
  if (asked && window.history && history.replaceState) {
    // Out of the address bar and the history: on a shared device the next person must not reopen this code.
    query.delete("code");
    history.replaceState(null, "", location.pathname + (query.toString() ? "?" + query.toString() : ""));
  }

  // The page itself opens again offline (status-check-sw.js). Its update checks go through the HTTP cache (the
  // asset's max-age), so a reload does not reach for the worker's script each time.
  if (navigator.serviceWorker && window.caches) {
    var first = !navigator.serviceWorker.controller;
    navigator.serviceWorker.register("/console/assets/status-check-sw.js", {
      scope: "/console/citizen/status-check", updateViaCache: "all"})
      .then(function () {
        // This first visit did not pass through the worker: keep a copy of the page in its language now, fetched
        // signed out and without a code (the device is shared; see status-check-sw.js).
        if (first) {
          var copy = location.pathname + "?lang=" + config.language;
          return Promise.all([caches.open("citynet-status-check-v1"), fetch(copy, { credentials: "omit" })])
            .then(function (both) { if (both[1].ok) return both[0].put(copy, both[1]); });
        }
      }).catch(function () { /* no service worker (plain http): the open tab still works offline */ });
  }

  function checkForm() {
    return check(form.elements.code.value, Math.floor(Date.now() / 1000)).then(show);
  }

  // Ed25519 in WebCrypto or nothing: a browser without it keeps the server's check.
  crypto.subtle.generateKey({name: "Ed25519"}, false, ["sign", "verify"]).then(function () {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      checkForm();
    });
    window.addEventListener("online", function () { refresh(true); });
    window.addEventListener("offline", describeCache);
    setInterval(function () { refresh(false); }, config.list_max_age * 1000);
    return refresh(true).then(function () {
      if (form.elements.code.value.trim()) return checkForm();
    }).then(function () { document.body.dataset.checkpointReady = "true"; });
  }, function () { /* no Ed25519 here: the form goes to the server */ });
})();
