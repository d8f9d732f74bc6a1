/* storyline: open an evidence marker's source beside the brief, with the cited span highlighted.
   Without this script every marker is a plain link to the article page, highlighted the same way. */
(function () {
  "use strict";
  var panel = document.getElementById("source-panel");
  if (!panel) { return; }
  var body = panel.querySelector(".panel-body");
  var label = panel.querySelector(".panel-label");
  var emptyState = Array.prototype.map.call(body.childNodes, function (node) { return node.cloneNode(true); });
  var pending = 0;

  function setActive(link) {
    document.querySelectorAll("a.ev.active").forEach(function (el) { el.classList.remove("active"); });
    document.querySelectorAll(".item.active").forEach(function (el) { el.classList.remove("active"); });
    if (!link) { return; }
    link.classList.add("active");
    var item = link.closest(".item");
    if (item) { item.classList.add("active"); }
  }

  function show(nodes) {
    body.replaceChildren.apply(body, nodes);
    panel.classList.remove("loading");
  }

  function scrollToSpan() {
    var span = body.querySelector("#panel-evidence");
    if (!span) { return; }
    var offset = span.getBoundingClientRect().top - body.getBoundingClientRect().top + body.scrollTop;
    body.scrollTop = Math.max(0, offset - body.clientHeight / 3);
  }

  function open(link) {
    var url = "/fragments/articles/" + encodeURIComponent(link.dataset.article) +
      "?start=" + encodeURIComponent(link.dataset.start) + "&end=" + encodeURIComponent(link.dataset.end);
    var ticket = ++pending;
    setActive(link);
    label.textContent = "Source " + link.textContent;
    panel.classList.add("open", "loading");
    fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        if (ticket !== pending) { return; }
        var doc = new DOMParser().parseFromString(html, "text/html");
        show(Array.prototype.map.call(doc.body.childNodes, function (node) { return document.importNode(node, true); }));
        body.scrollTop = 0;
        scrollToSpan();
        panel.focus({ preventScroll: true });
      })
      .catch(function (error) {
        if (ticket !== pending) { return; }
        var note = document.createElement("p");
        note.className = "muted";
        note.textContent = "Could not load this source (" + error.message + "). ";
        var link2 = document.createElement("a");
        link2.href = link.href;
        link2.textContent = "Open it on its own page.";
        note.appendChild(link2);
        show([note]);
      });
  }

  function close() {
    pending++;
    panel.classList.remove("open", "loading");
    label.textContent = "Source";
    setActive(null);
    show(emptyState.map(function (node) { return node.cloneNode(true); }));
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.ev");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    open(link);
  });
  panel.querySelector(".panel-close").addEventListener("click", close);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel.classList.contains("open")) { close(); }
  });
}());
