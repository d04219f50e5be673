// CityNet console: live updates over Server-Sent Events, and the map's shading. Plain JavaScript, no build step.
(function () {
  "use strict";
  function shadeMap() {
    document.querySelectorAll("tr[data-shade]").forEach(function (row) {
      var code = row.id.replace("row-", "");
      var path = document.getElementById("d-" + code);
      if (!path) return;
      path.classList.add("shade-" + row.dataset.shade);
      if (row.classList.contains("selected")) path.classList.add("selected");
    });
  }
  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value; // never innerHTML: complaint text is shown as text
    if (className) node.className = className;
    return node;
  }
  var refreshTimer = null;
  function refreshCounts() {
    var city = document.getElementById("city");
    if (!city) return;
    var params = new URLSearchParams();
    if (city.dataset.district) params.set("district", city.dataset.district);
    if (city.dataset.colour) params.set("colour", city.dataset.colour);
    fetch("/console/summary?" + params.toString(), { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (s) {
      var set = function (id, value) { var n = document.getElementById(id); if (n) n.textContent = String(value); };
      set("open-total", s.openTotal);
      set("overdue-total", s.overdueTotal);
      Object.keys(s.states).forEach(function (state) { set("state-" + state, s.states[state]); });
      Object.keys(s.districts).forEach(function (code) {
        var d = s.districts[code], row = document.getElementById("row-" + code), path = document.getElementById("d-" + code);
        if (row) { row.querySelector(".open").textContent = d.open; row.querySelector(".overdue").textContent = d.overdue; row.dataset.shade = d.shade; }
        if (path) { for (var i = 0; i <= 4; i++) path.classList.remove("shade-" + i); path.classList.add("shade-" + d.shade); }
      });
      // The league stays in the server's order: most open cases first, then by district code.
      var body = document.querySelector(".league tbody");
      if (body) {
        var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-shade]"));
        rows.sort(function (a, b) {
          var diff = Number(b.querySelector(".open").textContent) - Number(a.querySelector(".open").textContent);
          return diff !== 0 ? diff : (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
    }).catch(function () { /* the next event tries again */ });
  }
  // The attention strip (/console/attention): fetched when the page opens, again a second after live events
  // (batched), and every minute; its countdowns and the header clock tick every second in Beijing time.
  var attentionTimer = null;
  function refreshAttention() {
    var strip = document.getElementById("attention");
    if (!strip) return;
    var lang = document.documentElement.lang === "en" ? "en" : "zh";
    fetch("/console/attention?lang=" + lang, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { strip.innerHTML = html; tick(); })
      .catch(function () { /* the next refresh tries again */ });
  }
  function scheduleAttention() {
    if (!attentionTimer) attentionTimer = setTimeout(function () { attentionTimer = null; refreshAttention(); }, 1000);
  }
  function span(ms) {
    var s = Math.floor(Math.abs(ms) / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600);
    var m = Math.floor(s % 3600 / 60), pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return (d > 0 ? d + "d " : "") + h + ":" + pad(m) + ":" + pad(s % 60);
  }
  function tick() {
    var now = Date.now();
    var clock = document.getElementById("clock");
    if (clock) clock.textContent = new Date(now + 8 * 3600 * 1000).toISOString().slice(11, 19);
    document.querySelectorAll(".attention-items").forEach(function (list) {
      list.querySelectorAll("time.countdown[data-due]").forEach(function (t) {
        var due = Number(t.dataset.due);
        if (!due) return;
        var left = due - now, item = t.parentNode;
        t.textContent = (left >= 0 ? list.dataset.left + " " : list.dataset.late + " ") + span(left);
        // The server says which cases are due soon (one rule); the browser only sees a limit pass while it is open.
        if (left < 0) { item.classList.add("overdue"); item.classList.remove("due-soon"); }
      });
    });
  }
  function onCase(event) {
    scheduleAttention();
    var city = document.getElementById("city");
    if (city) {
      if (!refreshTimer) refreshTimer = setTimeout(function () { refreshTimer = null; refreshCounts(); }, 1000);
      if (city.dataset.district && event.district_code !== city.dataset.district) return;
    }
    var feed = document.getElementById("feed");
    if (feed && event.action !== "accept" && event.action !== "register") {
      var item = document.createElement("li");
      item.className = "new";
      item.dataset.case = event.case_id;
      item.appendChild(text("time", event.at.replace("T", " ").slice(0, 16)));
      item.appendChild(document.createTextNode(" "));
      var link = text("a", "#" + event.case_id);
      link.href = "/console/cases/" + event.case_id;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(text("b", event.category_name));
      item.appendChild(document.createTextNode(" " + event.region_name + " → " + event.unit_name + (event.keeps_state ? " · " + event.action_name : "") + " "));
      item.appendChild(text("span", event.state_name, "state"));
      item.appendChild(text("div", event.description, "text"));
      feed.insertBefore(item, feed.firstChild);
      while (feed.children.length > 50) feed.removeChild(feed.lastChild);
      var path = document.getElementById("d-" + event.district_code);
      if (path) { path.classList.add("pulse"); setTimeout(function () { path.classList.remove("pulse"); }, 1500); }
    }
    // Pages that stay true (issue 12 §7): a case page re-reads its parts when its case changes, so the actions it
    // offers are those of the case's state now; the desk re-reads its list when any case it may show changes (the
    // stream carries only cases of the operator's scope).
    var casePage = document.getElementById("case-page");
    if (casePage && casePage.dataset.case === String(event.case_id)) scheduleLive(300);
    if (document.getElementById("desk-list")) scheduleLive(1000);
  }
  // Joint incidents (issue 15): the incident room and the incident list re-read their live parts ([data-live] with
  // an id) from the server when a timeline entry of a shown incident arrives; a part being typed into is kept.
  var liveTimer = null;
  function scheduleLive(delay) {
    if (!liveTimer) liveTimer = setTimeout(function () { liveTimer = null; refreshLive(); }, delay);
  }
  function refreshLive() {
    fetch(location.pathname + location.search, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      var kept = false;
      fresh.querySelectorAll("[data-live][id]").forEach(function (node) {
        var old = document.getElementById(node.id);
        if (!old) return;
        var typing = document.activeElement;
        if (typing && old.contains(typing) && /^(INPUT|TEXTAREA|SELECT)$/.test(typing.tagName) && typing.value) {
          kept = true;
          return;
        }
        old.replaceWith(document.importNode(node, true));
      });
      var notice = document.getElementById("case-changed"); // what is typed is kept; the notice says the case moved on
      if (notice) notice.hidden = !kept;
      setLive(liveNow); // a part read again carries the live dot unlit
      document.body.dataset.liveRefreshed = String(Number(document.body.dataset.liveRefreshed || 0) + 1);
    }).catch(function () { /* the next event tries again */ });
  }
  function onIncident(event) {
    var room = document.getElementById("incident-room");
    if (room && room.dataset.incident !== String(event.incident_id)) return;
    if (!room && !document.getElementById("incident-list")) return;
    scheduleLive(400);
  }
  // One event stream per browser, not per tab (browsers allow six connections per host): the tab holding the
  // "citynet-live-<session>" Web Lock opens it and passes events to the other tabs over a BroadcastChannel; when that
  // tab closes or navigates, the lock passes to another tab, which opens the stream. Without these APIs each tab
  // opens its own. A stream the browser gives up on (the server refused it) is checked: if the session has ended
  // (401) every tab goes to the login page, otherwise the stream is opened again.
  var leading = false, liveNow = false, leaving = false;
  window.addEventListener("pagehide", function () { leaving = true; });
  window.addEventListener("pageshow", function () { leaving = false; }); // back from the back/forward cache
  function signedOut(channel) {
    if (channel) channel.postMessage({ signedOut: true });
    location.reload(); // the login page, or the page of the session that took over the cookie
  }
  function setLive(on) {
    liveNow = on;
    var dot = document.getElementById("live-dot");
    if (dot) dot.classList.toggle("on", on);
  }
  function openStream(channel) {
    leading = true;
    return new Promise(function (release) { // held while the stream lives, or until the tab goes away
      var source = new EventSource("/console/events");
      var opened = false;
      source.onopen = function () {
        setLive(true);
        if (channel) channel.postMessage({ live: true });
        if (opened) { refreshCounts(); if (document.querySelector("[data-live]")) refreshLive(); } // back after a break: events of the gap are not replayed, the counts are
        opened = true;
      };
      source.onerror = function () {
        setLive(false);
        if (channel) channel.postMessage({ live: false });
        if (source.readyState !== EventSource.CLOSED || leaving) return; // the browser retries by itself
        leading = false;
        release();
        fetch("/console/summary", { credentials: "same-origin", redirect: "manual" }).then(function (r) {
          if (r.status === 401 || r.type === "opaqueredirect") {
            signedOut(channel);
          } else {
            setTimeout(function () { connect(); }, 2000);
          }
        }).catch(function () { setTimeout(function () { connect(); }, 5000); });
      };
      source.addEventListener("session", function (message) {
        var data;
        try { data = JSON.parse(message.data); } catch (e) { return; }
        if (data.live_key !== document.body.dataset.liveKey) { source.close(); signedOut(channel); }
      });
      source.addEventListener("case", function (message) {
        var event;
        try { event = JSON.parse(message.data); } catch (e) { return; } // a malformed event is skipped
        onCase(event);
        if (channel) channel.postMessage({ event: event });
      });
      source.addEventListener("incident", function (message) {
        var event;
        try { event = JSON.parse(message.data); } catch (e) { return; }
        onIncident(event);
        if (channel) channel.postMessage({ incident: event });
      });
    });
  }
  var channel = null;
  function connect() {
    if (!window.EventSource || !document.querySelector("#attention, [data-page=city], [data-page=desk], [data-page=incidents]")) return;
    if (!window.BroadcastChannel || !navigator.locks) { openStream(null); return; }
    var name = "citynet-live-" + (document.body.dataset.liveKey || "");
    if (!channel) {
      channel = new BroadcastChannel(name);
      channel.onmessage = function (message) {
        var data = message.data || {};
        if (data.hello && leading) channel.postMessage({ live: liveNow }); // a new tab asks how the stream is
        if (leading) return;
        if (typeof data.live === "boolean") setLive(data.live);
        if (data.signedOut) location.reload(); // the session ended: every tab goes back to the login page
        if (data.event) { setLive(true); onCase(data.event); }
        if (data.incident) { setLive(true); onIncident(data.incident); }
      };
      channel.postMessage({ hello: true });
    }
    navigator.locks.request(name, function () { return openStream(channel); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    shadeMap();
    connect();
    refreshAttention();
    tick();
    setInterval(tick, 1000);
    setInterval(refreshAttention, 60000);
  });
})();
