// Draws every chart on the page from its embedded Vega-Lite spec, with the Vega libraries served from
// this site (vega-bundle.js, loaded only on pages with a chart). Nothing is fetched from another host.
//
// Charts take the width of their box. In a narrow box (a phone) legends go below the plot, long axis
// and legend labels wrap onto several lines instead of being cut, side-by-side panels are stacked, and
// a chart of panels is narrowed until it fits. A chart is drawn again when its box changes width class.
(function () {
  "use strict";
  var NARROW = 560;        // px: below this width a chart is laid out for a small screen
  var CHAR_PX = 6;         // average width of a 10-11 px label character
  var MAX_PANEL = 560;     // px: the widest a panel of a compound chart is stretched

  function wrapText(text, limit) {
    var words = String(text).split(/\s+/), lines = [], line = "";
    words.forEach(function (word) {
      if (line && (line + " " + word).length > limit) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines.length > 1 ? lines : String(text);
  }

  function each(node, visit) {
    if (Array.isArray(node)) { node.forEach(function (n) { each(n, visit); }); return; }
    if (!node || typeof node !== "object") { return; }
    visit(node);
    Object.keys(node).forEach(function (key) { if (key !== "datasets" && key !== "data") { each(node[key], visit); } });
  }

  function discrete(channel) { return channel && (channel.type === "nominal" || channel.type === "ordinal"); }

  // The spec laid out for a box `width` px wide. Labels are never cut: long axis labels on a category
  // axis and long legend labels wrap onto several lines. In a narrow box legends go below the plot and
  // side-by-side panels are stacked.
  function fitted(original, width) {
    var spec = JSON.parse(JSON.stringify(original));
    var narrow = width < NARROW;
    var labelChars = narrow ? Math.max(12, Math.floor(width * 0.4 / CHAR_PX)) : 40;
    var legendChars = narrow ? Math.max(16, Math.floor((width - 80) / CHAR_PX)) : 28;
    var titleChars = { x: Math.max(16, Math.floor(width * 0.6 / 7)), y: 40 };   // bold titles: ~7 px a character
    spec.config = spec.config || {};
    spec.config.legend = Object.assign({ labelLimit: 0, titleLimit: 0 },
      narrow ? { orient: "bottom", direction: "vertical",   // one legend under another, not side by side
                 layout: { bottom: { anchor: "start", direction: "vertical" } } } : {}, spec.config.legend);
    each(spec, function (node) {
      if (narrow && node.encoding && node.encoding.column && !node.encoding.row) {
        node.encoding.row = node.encoding.column;
        delete node.encoding.column;
      }
      if (typeof node.title === "string" && (node.mark || node.layer)) {   // a panel's own title
        node.title = wrapText(node.title, Math.floor(width / 8));
      }
      if (!node.encoding) { return; }
      ["x", "y"].forEach(function (name) {
        var channel = node.encoding[name];
        if (!channel || typeof channel !== "object") { return; }
        if (typeof channel.title === "string") { channel.title = wrapText(channel.title, titleChars[name]); }
        if (discrete(channel) && channel.axis !== null) {
          channel.axis = Object.assign({}, channel.axis, { labelLimit: 0,
            labelExpr: "wrapLabel(datum.label, " + labelChars + ")" });
        }
      });
      ["color", "strokeDash", "shape", "size"].forEach(function (name) {
        var channel = node.encoding[name];
        if (!channel || typeof channel !== "object" || channel.legend === null) { return; }
        if (typeof channel.title === "string") { channel.title = wrapText(channel.title, legendChars); }
        channel.legend = Object.assign({}, channel.legend, { labelExpr: "wrapLabel(datum.label, " + legendChars + ")" });
      });
    });
    tallEnough(spec, labelChars);
    return spec;
  }

  // A view whose category axis has wrapped labels gets the height that its labels need.
  var LINE_PX = 12;
  function tallEnough(spec, labelChars) {
    var datasets = spec.datasets || {};
    function values(field) {
      var seen = {};
      Object.keys(datasets).forEach(function (name) {
        (datasets[name] || []).forEach(function (row) { if (row && row[field] != null) { seen[row[field]] = true; } });
      });
      return Object.keys(seen);
    }
    each(spec, function (node) {
      if (typeof node.height !== "number") { return; }
      var y = (node.encoding || {}).y;
      (node.layer || []).forEach(function (layer) { if (!discrete(y) && layer.encoding) { y = layer.encoding.y; } });
      if (!discrete(y) || !y.field) { return; }
      var labels = values(y.field);
      var lines = labels.reduce(function (most, label) {
        var wrapped = wrapText(label, labelChars);
        return Math.max(most, Array.isArray(wrapped) ? wrapped.length : 1);
      }, 1);
      var step = lines * LINE_PX + 8;   // per category: Vega-Lite counts the categories each view shows
      if (step * labels.length <= node.height) { return; }
      // A view that fills its box's width keeps a height in pixels (a height per category would stop
      // Vega-Lite fitting it); a panel of a compound chart, which may show only some categories, gets
      // a height per category.
      node.height = node.width === "container" ? step * labels.length : { step: step };
    });
  }

  function fixedWidth(spec) { return spec.width !== "container"; }

  // Panels and concatenated charts cannot take the width of their box from Vega-Lite: give every panel
  // a width, draw, and widen or narrow the panels by the difference between the drawn chart and its box.
  function panels(spec) {
    if (spec.vconcat || spec.hconcat || spec.concat) { return spec.vconcat || spec.hconcat || spec.concat; }
    return [spec.spec || spec];
  }

  function panelWidth(spec) {
    var first = panels(spec)[0];
    return typeof first.width === "number" ? first.width : ((spec.config || {}).view || {}).continuousWidth || 300;
  }

  function panelsAcross(spec) {
    if (spec.hconcat || spec.concat) { return (spec.hconcat || spec.concat).length; }
    var column = spec.encoding && spec.encoding.column;
    if (!column) { return 1; }
    var rows = (spec.datasets || {})[(spec.data || {}).name] || [], seen = {};
    rows.forEach(function (row) { seen[row[column.field]] = true; });
    return Math.max(1, Object.keys(seen).length);
  }

  var functions = { wrapLabel: function (text, limit) { return wrapText(text, limit); } };
  var OPTIONS = { actions: false, renderer: "svg", expressionFunctions: functions };

  function overflow(target, width) {   // the drawn width, not the width the style sheet scales it to
    var svg = target.querySelector("svg");
    return svg ? svg.width.baseVal.value - width : 0;
  }

  function draw(target, original) {
    var width = target.clientWidth;
    var spec = fitted(original, width);
    target.setAttribute("data-width-class", width < NARROW ? "narrow" : "wide");
    if (fixedWidth(spec) && width < NARROW) {
      panels(spec).forEach(function (p) { p.width = Math.max(120, width - 100); });
    }
    var attempt = function (result, tries) {
      var over = overflow(target, width);
      var fits = over <= 0 && (over > -12 || panelWidth(spec) >= MAX_PANEL);
      if (!fixedWidth(spec) || fits || tries === 0) { return result; }
      var resized = Math.min(MAX_PANEL, Math.max(60, panelWidth(spec) - Math.ceil((over + 2) / panelsAcross(spec))));
      if (resized === panelWidth(spec)) { return result; }
      panels(spec).forEach(function (p) { p.width = resized; });
      result.finalize();
      return window.vegaEmbed(target, spec, OPTIONS).then(function (next) { return attempt(next, tries - 1); });
    };
    return window.vegaEmbed(target, spec, OPTIONS).then(function (result) { return attempt(result, 4); });
  }

  function start(node) {
    var id = node.id.slice("spec-".length);
    var target = document.getElementById("vis-" + id);
    if (!target || typeof window.vegaEmbed !== "function") { return; }
    var original = JSON.parse(node.textContent);
    var render = function () {
      return draw(target, original)
        .then(function () { target.setAttribute("data-drawn", "true"); })
        .catch(function (err) { target.textContent = "The chart could not be drawn: " + err.message + ". Its data is in the table below."; });
    };
    render();
    if (typeof ResizeObserver === "function") {
      var drawnAt = target.clientWidth, timer = null;
      new ResizeObserver(function () {
        var now = target.clientWidth;
        var classChanged = (now < NARROW) !== (drawnAt < NARROW);
        if (!classChanged && !(fixedWidth(original) && Math.abs(now - drawnAt) > 8)) { return; }
        clearTimeout(timer);
        timer = setTimeout(function () { drawnAt = target.clientWidth; render(); }, 150);
      }).observe(target);
    }
  }

  window.addEventListener("load", function () {
    document.querySelectorAll('script[type="application/json"][id^="spec-"]').forEach(start);
  });
})();
