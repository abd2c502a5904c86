/* The review page: reveal the signing panel, anchor comments to selected text, highlight anchored comments
 * and the claims check's findings.
 * Positions are counted in Unicode code points (W3C TextQuoteSelector), not in JavaScript's UTF-16 units. */
(function () {
  "use strict";
  var CONTEXT = 32;

  function codePoints(text) { return Array.from(text); }
  function cpLength(text) { return codePoints(text).length; }

  /* UTF-16 index in `text` of the code point offset `cp`. */
  function utf16Index(text, cp) {
    var units = 0, seen = 0;
    for (var ch of text) {
      if (seen === cp) { return units; }
      units += ch.length; seen += 1;
    }
    return units;
  }

  // --- "Approve and sign" reveals the password and attestation.
  document.querySelectorAll("[data-reveal]").forEach(function (button) {
    button.addEventListener("click", function () {
      var panel = document.getElementById(button.getAttribute("data-reveal"));
      if (!panel) { return; }
      panel.hidden = false;
      button.setAttribute("aria-expanded", "true");
      var first = panel.querySelector("input[type=password]");
      if (first) { first.focus(); }
    });
  });

  var root = document.querySelector("[data-annotate-root]");
  if (!root) { return; }

  // --- Selecting a passage fills the comment form's quote fields.
  var form = document.querySelector("[data-quote-form]");
  function field(name) { return form && form.querySelector("input[name=" + name + "]"); }

  function setQuote(quote) {
    if (!form) { return; }
    ["exact", "prefix", "suffix", "start", "end"].forEach(function (name) {
      var input = field(name);
      if (input) { input.value = quote ? String(quote[name]) : ""; }
    });
    var preview = form.querySelector("[data-quote-preview]");
    var hint = form.querySelector("[data-quote-hint]");
    if (preview) {
      preview.hidden = !quote;
      preview.querySelector("[data-quote-text]").textContent = quote ? quote.exact : "";
    }
    if (hint) { hint.hidden = !!quote; }
  }

  function quoteOfSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return null; }
    var range = selection.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) { return null; }
    var exact = range.toString();
    if (!exact.trim()) { return null; }
    var before = document.createRange();
    before.setStart(root, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var after = document.createRange();
    after.setStart(range.endContainer, range.endOffset);
    after.setEnd(root, root.childNodes.length);
    var beforeCps = codePoints(before.toString());
    var start = beforeCps.length;
    return {
      exact: exact,
      prefix: beforeCps.slice(-CONTEXT).join(""),
      suffix: codePoints(after.toString()).slice(0, CONTEXT).join(""),
      start: start,
      end: start + cpLength(exact)
    };
  }

  function onSelect() {
    var quote = quoteOfSelection();
    if (quote) { setQuote(quote); }
  }
  root.addEventListener("mouseup", onSelect);
  root.addEventListener("keyup", onSelect);
  document.addEventListener("selectionchange", function () {
    // Keyboard and programmatic selections end up here as well.
    var quote = quoteOfSelection();
    if (quote) { setQuote(quote); }
  });
  if (form) {
    var clear = form.querySelector("[data-quote-clear]");
    if (clear) { clear.addEventListener("click", function () { setQuote(null); }); }
  }

  // --- Highlight every open comment's passage.
  function locate(text, anchor) {
    var cps = codePoints(text);
    if (anchor.start !== null && cps.slice(anchor.start, anchor.end).join("") === anchor.exact) {
      return [anchor.start, anchor.end];
    }
    var best = -1, bestScore = -1, from = 0, at;
    while ((at = text.indexOf(anchor.exact, from)) !== -1) {
      var score = 0;
      var pre = text.slice(Math.max(0, at - anchor.prefix.length), at);
      if (pre && anchor.prefix.endsWith(pre)) { score += pre.length; }
      var post = text.slice(at + anchor.exact.length, at + anchor.exact.length + anchor.suffix.length);
      if (post && anchor.suffix.startsWith(post)) { score += post.length; }
      if (score > bestScore) { best = at; bestScore = score; }
      from = at + 1;
    }
    if (best === -1) { return null; }
    var start = cpLength(text.slice(0, best));
    return [start, start + cpLength(anchor.exact)];
  }

  function textNodes() {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), nodes = [], node;
    while ((node = walker.nextNode())) { nodes.push(node); }
    return nodes;
  }

  function highlight(anchor) {
    var text = root.textContent;
    var found = locate(text, anchor);
    if (!found) { return false; }
    var from = utf16Index(text, found[0]), to = utf16Index(text, found[1]), offset = 0;
    textNodes().forEach(function (node) {
      var length = node.data.length, nodeStart = offset;
      offset += length;
      var a = Math.max(from, nodeStart) - nodeStart, b = Math.min(to, nodeStart + length) - nodeStart;
      if (b <= a || !node.data.slice(a, b).trim()) { return; }
      var range = document.createRange();
      range.setStart(node, a);
      range.setEnd(node, b);
      var mark = document.createElement("mark");
      mark.className = "comment-mark";
      mark.setAttribute("data-comment-id", anchor.id);
      mark.title = "Open comment";
      range.surroundContents(mark);
    });
    return true;
  }

  var data = document.getElementById("comment-anchors");
  var anchors = data ? JSON.parse(data.textContent) : [];
  anchors.forEach(highlight);

  // --- Mark the claims check's findings in the article, where their wording lies in one run of text.
  document.querySelectorAll("[data-finding-text]").forEach(function (item) {
    var needle = item.getAttribute("data-finding-text");
    if (!needle.trim()) { return; }
    var found = textNodes().some(function (node) {
      var at = node.data.indexOf(needle);
      if (at === -1 || (node.parentNode.closest && node.parentNode.closest("mark.finding-mark"))) { return false; }
      var range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      var mark = document.createElement("mark");
      mark.className = "finding-mark";
      mark.title = "Claims check: see the list below the article";
      range.surroundContents(mark);
      return true;
    });
    item.setAttribute("data-marked", found ? "true" : "false");
  });

  root.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest("mark.comment-mark");
    if (!mark) { return; }
    var card = document.getElementById("comment-" + mark.getAttribute("data-comment-id"));
    if (card) {
      card.scrollIntoView({ behavior: "smooth", block: "center" });
      card.classList.add("flash");
      window.setTimeout(function () { card.classList.remove("flash"); }, 1500);
    }
  });
})();
