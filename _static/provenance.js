// Where a number comes from, in place. Each number on a page is a link to its entry on the figures register
// page; this script opens the same entry beside the number instead: what the number is, the chapter that
// computes it, the inputs it is computed from with their values and sources, and the version. The entries
// are in the page itself (a JSON script written when the site was built): nothing is fetched. Without
// JavaScript the link simply opens the register entry. Keyboard: Enter opens the panel and moves focus into
// it; Escape or the close button closes it and returns focus to the number.
(function () {
  "use strict";
  var panel = null;
  var opener = null;
  var entries = null;

  function data() {
    if (entries === null) {
      var store = document.getElementById("figure-data");
      entries = store ? JSON.parse(store.textContent) : {entries: {}, inputs: {}};
    }
    return entries;
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function close() {
    if (!panel) { return; }
    panel.remove();
    panel = null;
    if (opener) { opener.setAttribute("aria-expanded", "false"); opener.focus(); }
    opener = null;
  }

  function sourceList(sources, more) {
    var span = el("span");
    sources.forEach(function (s, i) {
      if (i > 0) { span.appendChild(document.createTextNode(", ")); }
      var a = el("a", s.label);
      a.href = "bibliography.html#src-" + s.id;
      span.appendChild(a);
    });
    if (more > 0) { span.appendChild(document.createTextNode(" and " + more + " more")); }
    return span;
  }

  function open(link, entry) {
    close();
    opener = link;
    link.setAttribute("aria-expanded", "true");
    panel = el("div", null, "figure-panel");
    panel.id = "figure-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", "Where this number comes from");
    panel.tabIndex = -1;
    var head = el("p", null, "figure-panel-value");
    head.appendChild(el("strong", entry.text));
    if (entry.unit) { head.appendChild(document.createTextNode(" (" + entry.unit + ")")); }
    panel.appendChild(head);
    if (entry.label) { panel.appendChild(el("p", "What it is: " + entry.label)); }
    var computed = el("p", "Computed in: ");
    var chapter = el("a", entry.chapter);
    chapter.href = entry.chapter_page;
    computed.appendChild(chapter);
    computed.appendChild(document.createTextNode(". Version " + entry.version + "."));
    panel.appendChild(computed);
    var inputs = data().inputs[entry.chapter_name] || [];
    if (inputs.length) {
      var details = el("details");
      details.appendChild(el("summary", "The inputs it is computed from (" + inputs.length + ")"));
      var list = el("ul");
      inputs.forEach(function (input) {
        var item = el("li", input.input + (input.value ? ": " + input.value : ""));
        if (input.sources && input.sources.length) {
          item.appendChild(document.createTextNode(" (sources: "));
          item.appendChild(sourceList(input.sources, input.more_sources));
          item.appendChild(document.createTextNode(")"));
        }
        list.appendChild(item);
      });
      details.appendChild(list);
      panel.appendChild(details);
    }
    var actions = el("p", null, "figure-panel-actions");
    var full = el("a", "Open in the figures register");
    full.href = link.getAttribute("href");
    actions.appendChild(full);
    var button = el("button", "Close", "figure-panel-close");
    button.type = "button";
    button.addEventListener("click", close);
    actions.appendChild(button);
    panel.appendChild(actions);
    // after the paragraph, list item or cell that holds the number, so the panel takes none of its styling
    var block = link.closest("p, li, td, th, dd") || link;
    block.insertAdjacentElement("afterend", panel);
    panel.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.figure-ref") : null;
    if (!link) {
      if (panel && !panel.contains(event.target)) { close(); }
      return;
    }
    var entry = data().entries[link.getAttribute("data-figure")];
    if (!entry) { return; }  // no copy in the page: follow the link
    event.preventDefault();
    if (opener === link) { close(); } else { open(link, entry); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel) { close(); }
  });
})();
