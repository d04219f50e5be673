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
  function bump(id, by) {
    var node = document.getElementById(id);
    if (node) node.textContent = String((parseInt(node.textContent, 10) || 0) + by);
  }
  function onCase(event) {
    var city = document.getElementById("city");
    var feed = document.getElementById("feed");
    if (city && city.dataset.district && event.district_code !== city.dataset.district) return;
    if (feed) {
      var item = document.createElement("li");
      item.className = "new";
      item.dataset.case = event.case_id;
      var time = event.at.replace("T", " ").slice(0, 16);
      item.appendChild(text("time", time));
      var link = text("a", "#" + event.case_id);
      link.href = "/console/cases/" + event.case_id;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(text("b", event.category_name));
      item.appendChild(document.createTextNode(" " + event.region_name + " → " + event.unit_name + " "));
      item.appendChild(text("span", event.state_name, "state"));
      item.appendChild(text("div", event.description, "text"));
      feed.insertBefore(item, feed.firstChild);
      while (feed.children.length > 50) feed.removeChild(feed.lastChild);
    }
    if (event.action === "accept") { bump("open-total", 1); }
    if (event.action === "dispatch" || event.action === "accept") {
      var row = document.getElementById("row-" + event.district_code);
      if (row && event.action === "accept") { var open = row.querySelector(".open"); if (open) open.textContent = String((parseInt(open.textContent, 10) || 0) + 1); }
      var path = document.getElementById("d-" + event.district_code);
      if (path) { path.classList.add("pulse"); setTimeout(function () { path.classList.remove("pulse"); }, 1500); }
    }
    var page = document.getElementById("case-state");
    if (page && location.pathname === "/console/cases/" + event.case_id && event.action !== "accept") {
      document.getElementById("case-state").textContent = event.state_name + " ↻";
    }
  }
  function connect() {
    if (!window.EventSource || !document.querySelector("[data-page=city], [data-page=desk]")) return;
    var dot = document.getElementById("live-dot");
    var source = new EventSource("/console/events");
    source.onopen = function () { if (dot) dot.classList.add("on"); };
    source.onerror = function () { if (dot) dot.classList.remove("on"); };
    source.addEventListener("case", function (message) {
      try { onCase(JSON.parse(message.data)); } catch (e) { /* a malformed event is skipped */ }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { shadeMap(); connect(); });
})();
