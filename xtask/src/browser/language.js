// Injected by `cargo xtask book --check` into a copy of each page, beside legibility.js:
// what a reader of a translated edition sees. Leaves, as JSON in the body's
// `data-ptm-language` attribute for `--dump-dom` to print:
// - `blocks` and `blocks_with_hangul`: the page's text blocks (paragraphs, list items,
//   headings, table cells) outside code, output samples and diagrams, and how many of
//   them hold Hangul — a page left in English has almost none;
// - `hangul_renders`: whether the page's font draws Hangul, or every syllable would show
//   as an empty box (no font with Hangul installed).
(function () {
  function outsideCode(element) {
    return !element.closest("pre, code, svg, .mermaid, script, style, nav, .menu-bar");
  }
  function measure() {
    var main = document.querySelector("main") || document.body;
    var blocks = 0;
    var withHangul = 0;
    var selector = "p, li, h1, h2, h3, h4, h5, h6, td, th";
    Array.prototype.forEach.call(main.querySelectorAll(selector), function (block) {
      if (!outsideCode(block)) return;
      // A list item or cell holding a paragraph is counted as that paragraph.
      if (block.querySelector("p")) return;
      var text = block.textContent || "";
      if ((text.match(/[A-Za-z\uAC00-\uD7A3]/g) || []).length < 3) return;
      blocks += 1;
      if (/[\uAC00-\uD7A3]/.test(text)) withHangul += 1;
    });
    // A syllable drawn in the page's font, against a private-use character that no font
    // draws (so it shows as the missing-glyph box): the same pixels mean no Hangul glyph.
    var canvas = document.createElement("canvas");
    canvas.width = 48;
    canvas.height = 48;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.font = "36px " + getComputedStyle(main).fontFamily;
    function pixels(text) {
      context.clearRect(0, 0, 48, 48);
      context.fillText(text, 4, 40);
      return Array.prototype.join.call(context.getImageData(0, 0, 48, 48).data, ",");
    }
    var hangul = pixels("\uAC00");
    var renders = hangul !== pixels("\uE000") && hangul !== pixels(" ");
    document.body.setAttribute(
      "data-ptm-language",
      JSON.stringify({ blocks: blocks, blocks_with_hangul: withHangul, hangul_renders: renders })
    );
  }
  if (document.readyState === "complete") measure();
  else window.addEventListener("load", measure);
})();
