// Storyline pages: the zoomable timeline axis and the jump to a fact's sentence in an article.
// Article content reaches this script only through textContent and data attributes, never HTML.
(function () {
  "use strict";

  var DAY = 86400000;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var STEPS = [
    ["day", 1, 1], ["day", 2, 2], ["day", 7, 7], ["month", 1, 30.4], ["month", 3, 91],
    ["month", 6, 182], ["year", 1, 365], ["year", 2, 730], ["year", 5, 1826], ["year", 10, 3652],
    ["year", 25, 9131], ["year", 100, 36525]
  ];

  function ticks(from, days, pxPerDay) {
    var step = STEPS[STEPS.length - 1];
    for (var i = 0; i < STEPS.length; i++) {
      if (STEPS[i][2] * pxPerDay >= 90) { step = STEPS[i]; break; }
    }
    var unit = step[0], n = step[1], end = from + days * DAY, out = [];
    var d = new Date(from);
    if (unit === "month") { d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % n), 1)); }
    if (unit === "year") { d = new Date(Date.UTC(d.getUTCFullYear() - (d.getUTCFullYear() % n), 0, 1)); }
    while (d.getTime() <= end && out.length < 2000) {
      if (d.getTime() >= from) {
        var label = unit === "year" ? String(d.getUTCFullYear())
          : unit === "month" ? MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear()
          : d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
        out.push([(d.getTime() - from) / DAY, label]);
      }
      if (unit === "day") { d = new Date(d.getTime() + n * DAY); }
      else if (unit === "month") { d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)); }
      else { d = new Date(Date.UTC(d.getUTCFullYear() + n, 0, 1)); }
    }
    return out;
  }

  function stack(track) {
    // Lay labels out in rows so none covers another at the current zoom.
    var box = track.getBoundingClientRect();
    var marks = Array.prototype.slice.call(track.querySelectorAll(".ev"));
    marks.forEach(function (m) {
      m.classList.toggle("flip", parseFloat(m.style.left) > 75);
      m.style.top = "0px";
    });
    var placed = marks.map(function (m) {
      var r = m.getBoundingClientRect();
      return { el: m, a: r.left - box.left, b: r.right - box.left };
    }).sort(function (x, y) { return x.a - y.a; });
    var rows = [];
    placed.forEach(function (p) {
      var row = 0;
      while (row < rows.length && rows[row] > p.a - 8) { row++; }
      rows[row] = p.b;
      p.el.style.top = (row * 28) + "px";
    });
    track.style.height = (Math.max(1, rows.length) * 28 + 6) + "px";
  }

  function timeline(root) {
    var viewport = root.querySelector(".viewport");
    var canvas = root.querySelector(".canvas");
    var axis = root.querySelector(".axis");
    var from = Date.parse(root.dataset.from);
    var days = Number(root.dataset.days) || 1;
    var zoom = 1;

    function layout() {
      var width = canvas.offsetWidth;
      axis.textContent = "";
      ticks(from, days, width / days).forEach(function (t) {
        var tick = document.createElement("div");
        tick.className = "tick";
        tick.style.left = (100 * t[0] / days) + "%";
        tick.textContent = t[1];
        axis.appendChild(tick);
      });
      Array.prototype.forEach.call(root.querySelectorAll(".track"), stack);
    }

    function setZoom(next, anchor) {
      var most = Math.max(1, days * 160 / Math.max(1, viewport.clientWidth));
      next = Math.min(most, Math.max(1, next));
      var at = anchor === undefined ? viewport.clientWidth / 2 : anchor;
      var share = (viewport.scrollLeft + at) / canvas.offsetWidth;
      zoom = next;
      canvas.style.width = (zoom * 100) + "%";
      viewport.scrollLeft = share * canvas.offsetWidth - at;
      root.dataset.zoom = zoom.toFixed(2);
      layout();
    }

    root.querySelector(".zoom").addEventListener("click", function (e) {
      var kind = e.target && e.target.dataset ? e.target.dataset.zoom : null;
      if (kind === "in") { setZoom(zoom * 1.6); }
      if (kind === "out") { setZoom(zoom / 1.6); }
      if (kind === "fit") { setZoom(1); }
    });
    viewport.addEventListener("wheel", function (e) {
      if (!e.ctrlKey && !e.metaKey) { return; }
      e.preventDefault();
      setZoom(zoom * (e.deltaY < 0 ? 1.25 : 0.8), e.clientX - viewport.getBoundingClientRect().left);
    }, { passive: false });

    var drag = null;
    viewport.addEventListener("pointerdown", function (e) {
      if (e.target.closest("a, button")) { return; }
      drag = { x: e.clientX, left: viewport.scrollLeft };
    });
    window.addEventListener("pointermove", function (e) {
      if (drag) { viewport.scrollLeft = drag.left - (e.clientX - drag.x); }
    });
    window.addEventListener("pointerup", function () { drag = null; });
    window.addEventListener("resize", layout);
    layout();
  }

  function markTarget() {
    // #c{start} names the offset of a fact; light its element and the sentence that holds it.
    Array.prototype.forEach.call(document.querySelectorAll(".hit"), function (el) {
      el.classList.remove("hit");
    });
    var match = /^#c(\d+)$/.exec(window.location.hash);
    if (!match) { return; }
    var at = Number(match[1]);
    var el = document.getElementById("c" + at);
    var sentence = el ? el.closest(".sent") : null;
    if (!sentence) {
      sentence = Array.prototype.find.call(document.querySelectorAll(".sent"), function (s) {
        return Number(s.dataset.start) <= at && at < Number(s.dataset.end);
      }) || null;
    }
    if (sentence) { sentence.classList.add("hit"); }
    if (el) { el.classList.add("hit"); }
    var shown = el || sentence;
    if (shown) { shown.scrollIntoView({ block: "center" }); }
  }

  var root = document.getElementById("timeline");
  if (root) { timeline(root); }
  if (document.querySelector(".article .text")) {
    markTarget();
    window.addEventListener("hashchange", markTarget);
  }
})();
