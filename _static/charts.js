// Draws every chart on the page from its embedded Vega-Lite spec, with the Vega libraries
// served from this site (vega-bundle.js). Nothing is fetched from another host.
window.addEventListener("load", function () {
  document.querySelectorAll('script[type="application/json"][id^="spec-"]').forEach(function (node) {
    var id = node.id.slice("spec-".length);
    var target = document.getElementById("vis-" + id);
    if (!target || typeof window.vegaEmbed !== "function") { return; }
    window.vegaEmbed(target, JSON.parse(node.textContent), { actions: false, renderer: "svg" })
      .then(function () { target.setAttribute("data-drawn", "true"); })
      .catch(function (err) { target.textContent = "The chart could not be drawn: " + err.message + ". Its data is in the table below."; });
  });
});
