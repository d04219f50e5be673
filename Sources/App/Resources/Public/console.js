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
    // The league's window (&window=…&from=…&to=…), so that its rates and shades stay those of the window.
    new URLSearchParams(city.dataset.window || "").forEach(function (value, key) { params.set(key, value); });
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
    // A step the page already shows (its own action, read back after the form's answer) is not read again.
    var casePage = document.getElementById("case-page");
    var shown = document.querySelector('#timeline [data-event="' + Number(event.id) + '"]');
    if (casePage && casePage.dataset.case === String(event.case_id) && !shown) scheduleLive(300);
    if (document.getElementById("desk-list")) scheduleLive(5000); // at most one re-read of the desk per 5 s
    // A grid worker's tasks and a district or street operator's league follow the cases of their scope too: the
    // tasks at most once a second (a short list), the league (its own part, [data-live-src]) every 2 s.
    if (document.getElementById("task-parts")) scheduleLive(1000);
    if (document.getElementById("role-league-rows")) scheduleLive(2000);
  }
  // Joint incidents (issue 15): the incident room and the incident list re-read their live parts ([data-live] with
  // an id) from the server when a timeline entry of a shown incident arrives; a part being typed into is kept.
  var liveTimer = null;
  function scheduleLive(delay) {
    if (!liveTimer) liveTimer = setTimeout(function () { liveTimer = null; refreshLive(); }, delay);
  }
  // Whether a drop-down differs from what the server sent. A single choice with no option marked selected shows its
  // first option, which is then selected without being defaultSelected: that is not a change.
  function selectChanged(select) {
    var options = Array.prototype.slice.call(select.options);
    if (select.multiple) return options.some(function (o) { return o.selected !== o.defaultSelected; });
    var sent = options.findIndex(function (o) { return o.defaultSelected; });
    return select.selectedIndex !== (sent < 0 ? 0 : sent);
  }
  // A page whose live parts come from a lighter address than the page itself names it ([data-live-src]: the city
  // screen's role league); every other page reads itself again.
  function refreshLive() {
    var source = document.querySelector("[data-live-src]");
    var address = source ? source.dataset.liveSrc : location.pathname + location.search;
    fetch(address, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      var kept = false;
      fresh.querySelectorAll("[data-live][id]").forEach(function (node) {
        var old = document.getElementById(node.id);
        if (!old) return;
        // A part the operator is working in is kept: one holding the focus, or a field changed from what the
        // server sent (a typed note survives a Tab to its button).
        var focus = document.activeElement;
        var changed = Array.prototype.some.call(old.querySelectorAll("input, textarea, select"), function (f) {
          if (f.type === "hidden") return false;
          if (f.type === "checkbox" || f.type === "radio") return f.checked !== f.defaultChecked;
          if (f.tagName === "SELECT") return selectChanged(f);
          if (f.type === "file") return f.files && f.files.length > 0;
          return f.value !== f.defaultValue;
        });
        if (changed || (focus && focus !== document.body && old.contains(focus))) {
          kept = true;
          return;
        }
        old.replaceWith(document.importNode(node, true));
      });
      var notice = document.querySelector("[data-changed-notice]"); // what is worked on is kept; the notice says the page moved on
      if (notice) notice.hidden = !kept;
      setLive(liveNow); // a part read again carries the live dot unlit
      document.body.dataset.liveRefreshed = String(Number(document.body.dataset.liveRefreshed || 0) + 1);
      document.dispatchEvent(new CustomEvent("citynet:refreshed"));
    }).catch(function () { /* the next event tries again */ });
  }
  // The triage desk (issue 12 §7): the stream says only that the queue changed somewhere; the desk re-reads its own
  // view, at most every 2 s. Its list is kept while the operator works in it (a report focused, a box ticked).
  function onTriage() {
    if (document.getElementById("triage-desk")) scheduleLive(2000);
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
      source.addEventListener("triage", function () {
        onTriage();
        if (channel) channel.postMessage({ triage: true });
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
    if (!window.EventSource || !document.querySelector("#attention, #triage-desk, [data-page=city], [data-page=desk], [data-page=incidents]")) return;
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
        if (data.triage) { setLive(true); onTriage(); }
      };
      channel.postMessage({ hello: true });
    }
    navigator.locks.request(name, function () { return openStream(channel); });
  }
  // The triage desk (issue #12 §3): selection for bulk decisions and keyboard shortcuts. j/k move between reports,
  // a dispatches under the chosen category (the suggestion by default), c the category, d the dismissal reason,
  // f the forward unit, x ticks the report, s ticks all similar, ? opens the help. Never while typing in a field,
  // never with Ctrl/Alt/Meta; everything stays doable with Tab and Enter.
  function triageDesk() {
    var desk = document.getElementById("triage-desk");
    if (!desk) return;
    var items = function () { return Array.prototype.slice.call(desk.querySelectorAll("article.triage-item")); };
    var picks = function () { return Array.prototype.slice.call(desk.querySelectorAll("input.pick")); };
    var limit = Number(desk.dataset.bulkMax || 200);
    // The list may be read again while the page is open (live updates): nodes are looked up, never kept.
    function updateCount() {
      var countNode = document.getElementById("bulk-count");
      var n = picks().filter(function (p) { return p.checked; }).length;
      if (countNode) countNode.textContent = (countNode.dataset.text || "{n}").replace("{n}", String(n));
      if (countNode) countNode.classList.toggle("over", n > limit);
    }
    var current = null;
    function focusItem(item) {
      if (!item) return;
      if (current) current.classList.remove("current");
      current = item;
      item.classList.add("current");
      item.focus({ preventScroll: true });
      item.scrollIntoView({ block: "nearest" });
    }
    function currentItem() {
      if (current && !document.contains(current)) current = null; // its list was read again
      var active = document.activeElement;
      var inside = active && active.closest ? active.closest("article.triage-item") : null;
      return inside || current || items()[0];
    }
    function selectSimilar() {
      var item = currentItem();
      var category = item ? item.dataset.category : null;
      items().forEach(function (i) {
        if (category && i.dataset.category === category) i.querySelector("input.pick").checked = true;
      });
      updateCount();
    }
    desk.addEventListener("change", function (e) { if (e.target.classList.contains("pick")) updateCount(); });
    desk.addEventListener("click", function (e) {
      var button = e.target.closest ? e.target.closest("button[data-select]") : null;
      if (!button) return;
      var how = button.dataset.select;
      if (how === "similar") { selectSimilar(); return; }
      picks().forEach(function (p) { p.checked = how === "page"; });
      updateCount();
    });
    document.addEventListener("citynet:refreshed", updateCount);
    desk.addEventListener("focusin", function (e) {
      var item = e.target.closest ? e.target.closest("article.triage-item") : null;
      if (item && item !== current) { if (current) current.classList.remove("current"); current = item; item.classList.add("current"); }
    });
    // After a decision the server sends the desk back at the next report (#report-N): start there.
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.classList.contains("triage-item")) focusItem(target);
    var help = document.getElementById("triage-help");
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) {
        if (e.key === "Escape" && t.closest && t.closest("article.triage-item")) focusItem(t.closest("article.triage-item"));
        return;
      }
      var list = items();
      var item = currentItem();
      var index = list.indexOf(item);
      var field = function (selector) {
        var node = item && item.querySelector(selector);
        if (node) { e.preventDefault(); node.focus(); }
      };
      switch (e.key) {
        case "j": e.preventDefault(); focusItem(current ? list[Math.min(index + 1, list.length - 1)] : list[0]); break;
        case "k": e.preventDefault(); focusItem(list[Math.max(index - 1, 0)]); break;
        case "a": {
          // Only a report the operator has moved to is dispatched; with none current, the first is shown first.
          if (!current && !(item && item.contains(document.activeElement))) { e.preventDefault(); focusItem(list[0]); break; }
          var form = item && item.querySelector("form.categorise");
          if (form && form.querySelector("select").value) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.submit(); }
          else field("form.categorise select");
          break;
        }
        case "c": field("form.categorise select"); break;
        case "d": field("form.dismiss input[name=note]"); break;
        case "f": field("form.forward input[name=unit_code]"); break;
        case "x": {
          var pick = item && item.querySelector("input.pick");
          if (pick) { e.preventDefault(); pick.checked = !pick.checked; updateCount(); }
          break;
        }
        case "s": e.preventDefault(); selectSimilar(); break;
        case "?": if (help) { e.preventDefault(); help.open = !help.open; if (help.open) help.querySelector("summary").focus(); } break;
        case "Escape": if (help && help.open) { help.open = false; } break;
      }
    });
    updateCount();
  }
  document.addEventListener("DOMContentLoaded", function () {
    triageDesk();
    shadeMap();
    connect();
    refreshAttention();
    tick();
    setInterval(tick, 1000);
    setInterval(refreshAttention, 60000);
  });
})();
