/* Kakehashi: draw every chart on the page with vega-embed, offline and CSP-safe, and wire the
 * chart tools (PNG/SVG download, copy link).
 * Specs are inline JSON (<script type="application/json">); `ast: true` makes Vega use its
 * expression interpreter instead of eval, and default styles are off (CSS in kakehashi.css). */
"use strict";
(function () {
  var OPTIONS = {
    ast: true,
    actions: false,
    renderer: "svg",
    defaultStyle: false,
    tooltip: { theme: "custom", disableDefaultStyle: true }
  };
  var views = {};

  function fail(el, message) {
    el.textContent = "";
    var p = document.createElement("p");
    p.className = "chart-error";
    p.textContent = message + " The data table below has the same numbers.";
    el.appendChild(p);
  }

  function draw(el) {
    var script = document.getElementById(el.getAttribute("data-spec"));
    if (!script) { return; }
    var spec;
    try {
      spec = JSON.parse(script.textContent);
    } catch (err) {
      fail(el, "The chart specification could not be read.");
      return;
    }
    el.textContent = "";
    window.vegaEmbed(el, spec, OPTIONS).then(function (result) {
      views[el.id] = result.view;
      el.classList.add("drawn");
    }).catch(function (err) {
      fail(el, "The chart could not be drawn (" + err.message + ").");
    });
  }

  function save(url, name) {
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
  }

  function exportChart(button) {
    var view = views[button.getAttribute("data-chart")];
    var format = button.getAttribute("data-export");
    if (!view) { return; }
    view.toImageURL(format, format === "png" ? 2 : 1).then(function (url) {
      save(url, button.getAttribute("data-name") + "." + format);
    }).catch(function (err) {
      button.setAttribute("title", err.message);
    });
  }

  function copyLink(button) {
    var text = button.getAttribute("data-copy");
    var done = function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-done") || "Copied";
      setTimeout(function () { button.textContent = label; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { window.prompt("", text); });
    } else {
      window.prompt("", text);
    }
  }

  function onClick(event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var button = target.closest("button[data-export], button[data-copy]");
    if (!button) { return; }
    if (button.hasAttribute("data-export")) { exportChart(button); } else { copyLink(button); }
  }

  function selectOnFocus(event) {
    var t = event.target;
    if (t instanceof HTMLTextAreaElement && t.readOnly) { t.select(); }
  }

  function start() {
    document.addEventListener("click", onClick);
    document.addEventListener("focusin", selectOnFocus);
    var charts = document.querySelectorAll(".chart[data-spec]");
    if (typeof window.vegaEmbed !== "function") {
      charts.forEach(function (el) { fail(el, "The charting library did not load."); });
      return;
    }
    charts.forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
