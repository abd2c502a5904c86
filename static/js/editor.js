/* The editor's enhancements: live preview with the claims check beside it, word count, slug from
   title, and a warning before leaving unsaved changes. The forms work without any of this. No inline script (CSP). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var WORDS_PER_MINUTE = 200;
  var form = document.querySelector("form[data-editor-form]");
  if (!form) { return; }

  var title = form.querySelector("[name=title]");
  var slug = form.querySelector("[name=slug]");
  var summary = form.querySelector("[name=summary]");
  var body = form.querySelector("[name=body]");
  var preview = document.querySelector("[data-preview]");
  var previewTitle = document.querySelector("[data-preview-title]");
  var previewSummary = document.querySelector("[data-preview-summary]");
  var wordsOut = document.querySelector("[data-words]");
  var minutesOut = document.querySelector("[data-minutes]");

  function countWords(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function updateStats() {
    var words = countWords(body.value);
    wordsOut.textContent = String(words);
    minutesOut.textContent = String(Math.max(1, Math.ceil(words / WORDS_PER_MINUTE)));
  }

  // Preview: the server renders with the same function as the public site.
  var timer = null;
  var sequence = 0;
  function requestPreview() {
    var mine = ++sequence;
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("body", body.value);
    data.append("title", title.value);
    if (summary) { data.append("summary", summary.value); }
    fetch(form.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.json().catch(function () { return null; }); })
      .then(function (result) {
        if (!result || mine !== sequence) { return; }
        if (result.error) {
          var note = document.createElement("p");
          note.className = "error";
          note.textContent = result.error;
          preview.replaceChildren(note);
        } else {
          preview.innerHTML = result.html;  // sanitised on the server by the one renderer
          showFindings(result.findings || []);
        }
        preview.removeAttribute("data-stale");
      })
      .catch(function () { /* offline: the preview stays as it was; saving still works */ });
  }
  // Claims check: the findings of the text beside the preview, their wording marked in it.
  var findingsBox = document.querySelector("[data-findings]");
  var fieldsByName = { title: title, summary: summary, body: body };
  var LABELS = { title: "Title", summary: "Summary", body: "Body" };
  var typedReasons = {};
  if (findingsBox) {
    findingsBox.addEventListener("input", function (event) {
      var name = event.target.name || "";
      if (name.indexOf("justify:") === 0) { typedReasons[name] = event.target.value; }
    });
    findingsBox.querySelectorAll("textarea[name^='justify:']").forEach(function (area) {
      typedReasons[area.name] = area.value;
    });
  }

  /* UTF-16 index in `text` of code point offset `cp` (the server counts code points). */
  function utf16Index(text, cp) {
    return Array.from(text).slice(0, cp).join("").length;
  }

  function selectInField(finding) {
    var field = fieldsByName[finding.field];
    if (!field) { return; }
    field.focus();
    field.setSelectionRange(utf16Index(field.value, finding.start), utf16Index(field.value, finding.end));
  }

  function markInPreview(texts) {
    texts.forEach(function (needle) {
      if (!needle.trim()) { return; }
      var walker = document.createTreeWalker(preview, NodeFilter.SHOW_TEXT), node;
      while ((node = walker.nextNode())) {
        if (node.parentNode.closest("mark")) { continue; }
        var at = node.data.indexOf(needle);
        if (at === -1) { continue; }
        var range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + needle.length);
        var mark = document.createElement("mark");
        mark.className = "finding";
        range.surroundContents(mark);
        return;
      }
    });
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function showFindings(findings) {
    if (!findingsBox) { return; }
    var list = findingsBox.querySelector("[data-findings-list]");
    var justifyForm = findingsBox.getAttribute("data-justify-form");
    var kept = {};
    list.querySelectorAll("[data-finding-key]").forEach(function (item) {
      var note = item.querySelector(".finding-justified");
      if (note) { kept[item.getAttribute("data-finding-key")] = note; }
    });
    list.replaceChildren();
    findings.forEach(function (finding, i) {
      var item = element("li", "finding finding-" + finding.severity);
      item.setAttribute("data-finding-key", finding.key);
      var head = element("p", "finding-head");
      head.append(element("span", "badge severity-" + finding.severity,
        finding.severity === "block" ? "Blocks submission" : "Warning"), " ");
      head.append(element("mark", "finding", finding.text), " ");
      var where = element("button", "link-button small",
        (LABELS[finding.field] || finding.field) + ", characters " + finding.start + "–" + finding.end);
      where.type = "button";
      where.title = "Select this wording in the " + (LABELS[finding.field] || finding.field).toLowerCase();
      where.addEventListener("click", function () { selectInField(finding); });
      head.append(where);
      item.append(head, element("p", "finding-message", finding.message),
        element("p", "finding-source muted small", "Rule " + finding.rule + (finding.source ? " · " + finding.source : "")));
      if (kept[finding.key]) {
        item.append(kept[finding.key]);
      } else if (justifyForm && finding.severity === "block") {
        var name = "justify:" + finding.key;
        var label = element("label", "small", "Why this wording must stay");
        label.htmlFor = "justify-live-" + i;
        var area = element("textarea");
        area.id = label.htmlFor;
        area.name = name;
        area.rows = 2;
        area.maxLength = 2000;
        area.setAttribute("form", justifyForm);
        area.value = typedReasons[name] || "";
        item.append(label, area);
      }
      list.append(item);
    });
    findingsBox.querySelector("[data-findings-count]").textContent = String(findings.length);
    findingsBox.querySelector("[data-findings-empty]").hidden = findings.length > 0;
    markInPreview(findings.filter(function (f) { return f.field === "body"; }).map(function (f) { return f.text; }));
  }

  function schedulePreview() {
    preview.setAttribute("data-stale", "");
    window.clearTimeout(timer);
    timer = window.setTimeout(requestPreview, 400);
  }

  // Slug: follows the title until the writer types one of their own.
  function slugify(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^\w\s-]/g, "").trim().replace(/[-\s]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 200);
  }
  var slugFollowsTitle = slug && !slug.disabled && (slug.value === "" || slug.value === slugify(title.value));
  if (slug) {
    slug.addEventListener("input", function () { slugFollowsTitle = slug.value === ""; });
    // A title typed before this script ran (it is deferred) still gets its slug.
    if (slugFollowsTitle && title.value) { slug.value = slugify(title.value); }
  }

  title.addEventListener("input", function () {
    if (previewTitle) { previewTitle.textContent = title.value; }
    if (slugFollowsTitle) { slug.value = slugify(title.value); }
    schedulePreview();
  });
  if (summary) {
    summary.addEventListener("input", function () {
      if (previewSummary) { previewSummary.textContent = summary.value; }
      schedulePreview();
    });
  }
  body.addEventListener("input", function () { updateStats(); schedulePreview(); });

  // Unsaved changes: ask before leaving, but not when the form itself is being sent.
  var fields = [title, slug, summary, body].filter(Boolean);
  var saved = fields.map(function (field) { return field.value; });
  var submitting = false;
  function isDirty() {
    return fields.some(function (field, i) { return field.value !== saved[i]; });
  }
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && isDirty()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // After a refused save the typed text is not saved yet: count it as unsaved.
  if (document.getElementById("form-errors")) {
    saved = fields.map(function () { return null; });
    var invalid = form.querySelector("[aria-invalid=true]");
    if (invalid) { invalid.focus(); }
  }
})();
