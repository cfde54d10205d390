// The live part of the workbench: follow the change feed, refresh previews and the tree, warn on stale forms.
(function () {
  "use strict";
  // Lay the preview out at the width of a printed page, then scale it to the panel.
  var PAGE = 760;
  function fit() {
    document.querySelectorAll(".frame-box").forEach(function (box) {
      var frame = box.querySelector("iframe");
      var s = Math.min(1, box.clientWidth / PAGE);
      frame.style.width = (box.clientWidth / s) + "px";
      frame.style.height = (box.clientHeight / s) + "px";
      frame.style.transform = "scale(" + s + ")";
    });
  }
  window.addEventListener("resize", fit);
  fit();
  // The PDF is converted only when asked for; from then on it follows saves like the HTML preview.
  document.querySelectorAll("details.pdf-preview").forEach(function (det) {
    det.addEventListener("toggle", function () {
      var frame = det.querySelector("iframe");
      if (det.open && !frame.hasAttribute("src")) {
        frame.setAttribute("src", frame.dataset.lazySrc);
        frame.setAttribute("data-preview", "");
      }
    });
  });
  if (!window.EventSource) return;
  var source = new EventSource("/events");
  source.addEventListener("change", function (e) {
    var state = JSON.parse(e.data);
    document.querySelectorAll("[data-version][data-base]").forEach(function (el) {
      var now = state[el.dataset.version];
      if (!now || now === el.dataset.base) return;
      el.dataset.base = now;
      if (el.hasAttribute("data-form-page")) {
        // Never replace a form being filled in: say the file changed, the server refuses a stale save anyway.
        document.getElementById("stale").hidden = false;
        return;
      }
      if (el.hasAttribute("data-reload")) { window.location.reload(); return; }
      el.querySelectorAll("iframe[data-preview]").forEach(function (frame) {
        var url = new URL(frame.getAttribute("src"), window.location.href);
        url.searchParams.set("b", now);
        frame.setAttribute("src", url.pathname + url.search);
      });
      var tree = el.querySelector("#tree");
      if (tree && window.htmx) {
        htmx.ajax("GET", window.location.pathname + window.location.search, { target: "#tree", swap: "innerHTML" });
      }
    });
  });
})();
