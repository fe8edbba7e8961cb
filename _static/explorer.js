// The what-if explorer's page: keeps the chosen settings in the page address, opens a link with its settings,
// returns to the central case, and writes the result for the chosen settings as text, which screen readers
// announce (the result box is a live region). Every value was computed when the site was built and is in the
// page: this script only looks up the row for the chosen settings and never computes the model. The chart
// follows the same menus by itself (its Vega-Lite parameters are bound to them). On every other page, where
// there is no explorer, it does nothing.
//
// It also keeps the answer in view while a setting changes: where the page is wide enough, the chart is moved
// beside the settings, under the result, and both stay on screen (publication.css makes that column sticky);
// on a narrow screen the result is a bar that stays at the top of the screen, under the page's own header, and
// the chart follows the settings.
(function () {
  "use strict";
  var FORMULA = "cost_sharing_formula";
  var WIDE = 560;       // px: from this width of the explorer, the result and chart sit beside the settings
  var CHART = "fig-explorer-npv";

  function setUp() {
    var form = document.getElementById("explorer");
    var store = document.getElementById("explorer-data");
    if (!form || !store || form.getAttribute("data-ready") === "true") { return; }
    form.setAttribute("data-ready", "true");
    var data = JSON.parse(store.textContent);
    var result = document.getElementById("explorer-result");
    var menus = {};
    Array.prototype.forEach.call(form.querySelectorAll("select[data-control]"), function (menu) {
      menus[menu.name] = menu;
    });
    var names = data.controls.concat([FORMULA]).filter(function (name) { return menus[name]; });

    function field(name, text) {
      var node = result.querySelector('[data-field="' + name + '"]');
      if (node && node.textContent !== text) { node.textContent = text; }
    }

    // The row of the chosen settings, picked by its key; each entry is an index into the list of texts.
    function show() {
      var key = data.controls.map(function (name) { return menus[name].value; }).join("|");
      var row = data.rows[key];
      if (!row) { return; }
      var formula = Math.max(0, data.formulas.indexOf(menus[FORMULA].value));
      field("together", data.texts[row[0]]);
      field("payback", data.texts[row[1]]);
      field("formula", data.formula_names[formula]);
      for (var k = 0; k < data.councils; k += 1) {
        field("c" + k, data.texts[row[2 + formula * data.councils + k]]);
      }
    }

    // Where the answer goes: beside the settings with the chart under the result when the explorer is wide
    // enough, or as a bar at the top of the screen with the chart back in its own place when it is not. The
    // bar stops under the page's own sticky header; controls scrolled into view stop under the bar.
    var layout = document.getElementById("explorer-layout");
    var answer = document.getElementById("explorer-answer");
    var chart = document.getElementById(CHART);
    var home = null;
    if (chart) {
      home = document.createComment("the chart's own place");
      chart.parentNode.insertBefore(home, chart);
    }

    function place() {
      if (!layout || !answer) { return; }
      var wide = layout.clientWidth >= WIDE;
      if (layout.getAttribute("data-layout") !== (wide ? "wide" : "narrow")) {
        layout.setAttribute("data-layout", wide ? "wide" : "narrow");
      }
      if (chart) {
        if (wide && chart.parentNode !== answer) { answer.appendChild(chart); }
        else if (!wide && chart.parentNode === answer) { home.parentNode.insertBefore(chart, home.nextSibling); }
      }
      var header = document.querySelector(".bd-header-article");
      var style = header ? window.getComputedStyle(header) : null;
      var top = style && (style.position === "sticky" || style.position === "fixed") && style.display !== "none"
        ? Math.ceil(header.getBoundingClientRect().height) : 0;
      layout.style.setProperty("--explorer-top", top + "px");
      layout.style.setProperty("--explorer-bar", (wide ? 0 : Math.ceil(result.getBoundingClientRect().height)) + "px");
    }

    function address() {
      return names.map(function (name) {
        return encodeURIComponent(name) + "=" + encodeURIComponent(menus[name].value);
      }).join("&");
    }

    function remember() {
      var atStart = names.every(function (name) { return menus[name].value === menus[name].getAttribute("data-start"); });
      var url = window.location.pathname + window.location.search + (atStart ? "" : "#" + address());
      try { window.history.replaceState(null, "", url); } catch (e) { window.location.hash = atStart ? "" : address(); }
    }

    // Sets a menu to a value it offers, and tells the chart (its binding listens for "input").
    function choose(name, value) {
      var menu = menus[name];
      var offered = Array.prototype.some.call(menu.options, function (option) { return option.value === value; });
      if (!offered || menu.value === value) { return; }
      menu.value = value;
      menu.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function settingsInAddress() {
      var found = {};
      window.location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
        var parts = pair.split("=");
        if (parts.length !== 2) { return; }
        try { found[decodeURIComponent(parts[0])] = decodeURIComponent(parts[1]); } catch (e) { /* not ours */ }
      });
      return found;
    }

    function openAddress() {
      var found = settingsInAddress();
      names.forEach(function (name) {
        choose(name, Object.prototype.hasOwnProperty.call(found, name) ? found[name] : menus[name].getAttribute("data-start"));
      });
      show();
    }

    place();
    if (!layout) { /* an older page without the layout: the result stays where it is */ }
    else if (typeof ResizeObserver === "function") {
      var observer = new ResizeObserver(function () { window.requestAnimationFrame(place); });
      observer.observe(layout);
      observer.observe(result);
    } else {
      window.addEventListener("resize", place);
    }
    form.addEventListener("change", function () { show(); remember(); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    document.getElementById("explorer-reset").addEventListener("click", function () {
      names.forEach(function (name) { choose(name, menus[name].getAttribute("data-start")); });
      show();
      remember();
    });
    // Only an address that holds settings changes them: a link to a section of the page does not.
    function openIfSettings() { if (window.location.hash.indexOf("=") >= 0) { openAddress(); } }
    window.addEventListener("hashchange", openIfSettings);
    openIfSettings();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); }
  else { setUp(); }
})();
