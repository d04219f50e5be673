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
