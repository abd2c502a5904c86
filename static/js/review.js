/* The review page: reveal the signing panel, move focus to a form's error summary, offer "Comment" at a selected
 * passage and open the comment form there, fill its quote, and mark the passages of open
 * comments where the server says they lie (UTF-16 offsets into the article's text, review.anchoring). The server
 * finds passages and marks the claims check's wording; nothing here re-implements that.
 * When its handlers are bound it adds "review" to <html data-ready>, which browser tests wait for. */
(function () {
  "use strict";
  var html = document.documentElement;
  function ready() { html.dataset.ready = ((html.dataset.ready || "") + " review").trim(); }

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

  // --- A form sent back with problems: its summary (at the form's top) takes the focus, so it is seen and read.
  // After the page's load, when the browser has finished placing the page.
  var summary = document.querySelector("[data-error-summary]");
  function focusSummary() {
    summary.scrollIntoView({ block: "center" });
    summary.focus({ preventScroll: true });
  }
  if (summary) {
    if (document.readyState === "complete") { focusSummary(); } else { window.addEventListener("load", focusSummary); }
  }

  var root = document.querySelector("[data-annotate-root]");
  if (!root) { ready(); return; }
  var CONTEXT = Number(root.getAttribute("data-quote-context")) || 0;

  // --- Selecting a passage fills the comment form's quote; the server finds it in the text and stores where.
  var form = document.querySelector("[data-quote-form]");
  function field(name) { return form && form.querySelector("input[name=" + name + "]"); }

  function setQuote(quote) {
    if (!form) { return; }
    ["exact", "prefix", "suffix"].forEach(function (name) {
      var input = field(name);
      if (input) { input.value = quote ? quote[name] : ""; }
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
    // The text around the passage tells it apart from the same words elsewhere.
    return { exact: exact, prefix: CONTEXT ? before.toString().slice(-CONTEXT) : "", suffix: after.toString().slice(0, CONTEXT) };
  }

  // --- A "Comment" button at the selection opens the comment form just below it; Cancel puts the form back.
  var home = document.querySelector("[data-comment-form-home]");
  var cancel = form && form.querySelector("[data-comment-cancel]");
  var button = null, pending = null;
  if (form && home) {
    button = document.createElement("button");
    button.type = "button";
    button.className = "button primary comment-at-selection";
    button.textContent = "Comment";
    button.hidden = true;
    document.body.appendChild(button);
  }

  function below(rect) {
    return { top: rect.bottom + window.scrollY + 8, left: rect.left + window.scrollX };
  }

  function place(element, rect) {
    var at = below(rect), width = element.offsetWidth || 0;
    var maxLeft = document.documentElement.clientWidth - width - 8;
    element.style.top = at.top + "px";
    element.style.left = Math.max(8, Math.min(at.left, maxLeft)) + "px";
  }

  function offerComment() {
    var quote = quoteOfSelection();
    if (quote) { setQuote(quote); }
    if (!button) { return; }
    if (!quote) { if (!form.classList.contains("floating")) { button.hidden = true; } return; }
    pending = { quote: quote, rect: window.getSelection().getRangeAt(0).getBoundingClientRect() };
    button.hidden = false;
    place(button, pending.rect);
  }

  function openAtSelection() {
    if (!pending) { return; }
    setQuote(pending.quote);
    button.hidden = true;
    form.classList.add("floating");
    document.body.appendChild(form);
    if (cancel) { cancel.hidden = false; }
    place(form, pending.rect);
    var body = form.querySelector("textarea");
    if (body) { body.focus({ preventScroll: true }); }
  }

  function putBack() {
    form.classList.remove("floating");
    form.style.top = form.style.left = "";
    home.appendChild(form);
    if (cancel) { cancel.hidden = true; }
  }

  if (button) {
    // mousedown would collapse the selection before the click: keep it.
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });
    button.addEventListener("click", openAtSelection);
  }
  function closeFloating() {
    setQuote(null);
    putBack();
    button.hidden = true;
  }
  if (cancel) { cancel.addEventListener("click", closeFloating); }
  if (form) {
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && form.classList.contains("floating")) { closeFloating(); }
    });
  }
  root.addEventListener("mouseup", offerComment);
  root.addEventListener("keyup", offerComment);
  // Touch, keyboard and programmatic selections end up here as well.
  document.addEventListener("selectionchange", offerComment);
  if (form) {
    var clear = form.querySelector("[data-quote-clear]");
    if (clear) { clear.addEventListener("click", function () { setQuote(null); }); }
  }

  // --- Mark every open comment's passage: [from, to) in UTF-16 units of the article's text, from the server.
  function textNodes() {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), nodes = [], node;
    while ((node = walker.nextNode())) { nodes.push(node); }
    return nodes;
  }

  function highlight(anchor) {
    var offset = 0;
    textNodes().forEach(function (node) {
      var length = node.data.length, nodeStart = offset;
      offset += length;
      var a = Math.max(anchor.from, nodeStart) - nodeStart, b = Math.min(anchor.to, nodeStart + length) - nodeStart;
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
  }

  var data = document.getElementById("comment-anchors");
  (data ? JSON.parse(data.textContent) : []).forEach(highlight);

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
  ready();
})();
