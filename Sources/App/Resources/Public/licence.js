// Copy buttons of the citizen's licences page: each copies the payload in the text area just before it.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var area = button.previousElementSibling;
    area.select();
    var done = function () { button.textContent = button.dataset.copied; };
    if (navigator.clipboard) { navigator.clipboard.writeText(area.value).then(done, function () { document.execCommand("copy"); done(); }); }
    else { document.execCommand("copy"); done(); }
  });
});
// The citizen's status page reloads itself before its code expires (data-reload-after, seconds), so the QR shown is
// always valid; a script rather than <meta http-equiv="refresh">, which screen-reader users cannot stop (WCAG 2.2.1).
document.querySelectorAll("[data-reload-after]").forEach(function (element) {
  var seconds = Number(element.dataset.reloadAfter);
  if (seconds > 0) setTimeout(function () { location.reload(); }, seconds * 1000);
});
