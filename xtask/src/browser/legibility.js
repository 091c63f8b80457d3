// Injected by `cargo xtask book --check` into a copy of each page: once mermaid has drawn
// every diagram, measure what a reader sees at the window's width and leave it, as JSON,
// in the body's `data-ptm-diagrams` attribute for `--dump-dom` to print.
(function () {
  function words(element) {
    return (element.textContent || "").trim().replace(/\s+/g, " ").slice(0, 48);
  }
  // Whether box b covers part of a's text: more than 3 px each way (a quarter of a line).
  function covers(a, b) {
    var width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    var height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return width > 3 && height > 3;
  }
  function measure() {
    var found = [];
    var diagrams = document.querySelectorAll("svg[aria-roledescription]");
    Array.prototype.forEach.call(diagrams, function (svg, index) {
      // The SVG is scaled to the column: a font of N user units shows at N × scale px.
      var viewBox = svg.viewBox && svg.viewBox.baseVal;
      var shown = svg.getBoundingClientRect();
      var scale = viewBox && viewBox.width ? shown.width / viewBox.width : 1;
      var smallest = null;
      var texts = svg.querySelectorAll("text, foreignObject span, foreignObject p");
      Array.prototype.forEach.call(texts, function (text) {
        if (!words(text)) return;
        var px = parseFloat(getComputedStyle(text).fontSize) * scale;
        if (smallest === null || px < smallest.px) smallest = { px: px, text: words(text) };
      });
      // An edge's label, or a group's (subgraph's) title, mostly under a box (a node)
      // cannot be read; nor can a group's title wider than its group, which is cut off.
      var covered = [];
      var nodes = svg.querySelectorAll(".node");
      Array.prototype.forEach.call(svg.querySelectorAll(".cluster"), function (cluster) {
        var title = cluster.querySelector(".cluster-label");
        if (!title || !words(title)) return;
        var box = title.getBoundingClientRect();
        var group = cluster.querySelector("rect");
        if (group && box.width > group.getBoundingClientRect().width + 1) {
          covered.push("\"" + words(title) + "\" wider than its group, so cut off");
        }
      });
      var labels = svg.querySelectorAll(".edgeLabel, .cluster-label");
      Array.prototype.forEach.call(labels, function (label) {
        if (!words(label)) return;
        var box = label.getBoundingClientRect();
        Array.prototype.forEach.call(nodes, function (node) {
          if (covers(box, node.getBoundingClientRect())) {
            covered.push("\"" + words(label) + "\" under \"" + words(node) + "\"");
          }
        });
      });
      found.push({
        diagram: index + 1,
        px: smallest ? Math.round(smallest.px * 10) / 10 : null,
        text: smallest ? smallest.text : "",
        covered: covered,
      });
    });
    document.body.setAttribute("data-ptm-diagrams", JSON.stringify(found));
  }
  var tries = 0;
  function whenDrawn() {
    var blocks = document.querySelectorAll(".mermaid");
    var drawn = document.querySelectorAll(".mermaid svg[aria-roledescription]");
    if (drawn.length >= blocks.length || tries++ > 200) {
      measure();
    } else {
      setTimeout(whenDrawn, 50);
    }
  }
  window.addEventListener("load", function () {
    setTimeout(whenDrawn, 50);
  });
})();
