/* The writing form's live preview and a warning before leaving unsaved changes. The form works without it.
   Every rule is the server's: this sends the fields to /editor/preview/ and shows the answer (the rendered article,
   words and reading time, the claims check, the address made from the title). No inline script (CSP).
   When its handlers are bound it adds "editor" to <html data-ready>, which browser tests wait for. */
(function () {
  "use strict";
  var html = document.documentElement;
  html.classList.add("js");
  function ready() { html.dataset.ready = ((html.dataset.ready || "") + " editor").trim(); }

  var form = document.querySelector("form[data-editor-form]");
  if (!form) { ready(); return; }

  var fields = {};
  ["title", "slug", "summary", "body", "hero_image", "hero_alt"].forEach(function (name) {
    var field = form.querySelector("[name=" + name + "]");
    if (field) { fields[name] = field; }
  });
  var title = fields.title, slug = fields.slug, summary = fields.summary, body = fields.body;
  var preview = document.querySelector("[data-preview]");
  var previewTitle = document.querySelector("[data-preview-title]");
  var previewSummary = document.querySelector("[data-preview-summary]");
  var stats = document.querySelector("[data-stats]");
  var findingsBox = document.querySelector("[data-findings]");

  // Reasons typed for blocked wording, kept while the claims check's list is replaced under them.
  var typedReasons = {};
  function isReason(el) { return el && el.name && el.name.indexOf("justify:") === 0; }
  document.addEventListener("input", function (event) {
    if (isReason(event.target)) { typedReasons[event.target.name] = event.target.value; }
  });

  // The address follows the title until the writer types one of their own.
  var slugFollowsTitle = !!slug && !slug.disabled && (slug.value === "" || slug.value === form.dataset.proposedSlug);
  if (slug) { slug.addEventListener("input", function () { slugFollowsTitle = slug.value === ""; }); }

  function showFindings(markup) {
    if (!findingsBox) { return; }
    var focused = isReason(document.activeElement) ? document.activeElement : null;
    var caret = focused ? [focused.selectionStart, focused.selectionEnd] : null;
    var holder = document.createElement("div");
    holder.innerHTML = markup;  // rendered by the server's template, from the server's findings
    var fresh = holder.firstElementChild;
    findingsBox.replaceWith(fresh);
    findingsBox = fresh;
    findingsBox.querySelectorAll("textarea[name^='justify:']").forEach(function (area) {
      if (Object.prototype.hasOwnProperty.call(typedReasons, area.name)) { area.value = typedReasons[area.name]; }
      if (focused && area.name === focused.name) { area.focus(); area.setSelectionRange(caret[0], caret[1]); }
    });
  }

  // "Body, characters 30–34" selects the wording in its field, where the server says it lies.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-select-in]");
    var field = button && fields[button.getAttribute("data-select-in")];
    if (!field) { return; }
    field.focus();
    field.setSelectionRange(Number(button.getAttribute("data-select-from")), Number(button.getAttribute("data-select-to")));
  });

  var timer = null;
  var sequence = 0;
  function requestPreview() {
    var mine = ++sequence;
    // URL-encoded, not multipart: multipart sends line ends as CRLF, and then the server's positions
    // would not be positions in the field.
    var data = new URLSearchParams();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    ["title", "summary", "body", "hero_image", "hero_alt"].forEach(function (name) {
      if (fields[name]) { data.append(name, fields[name].value); }
    });
    if (form.dataset.post) { data.append("post", form.dataset.post); }
    if (findingsBox && findingsBox.hasAttribute("data-justify-form")) {
      data.append("justify", "1");
      Object.keys(typedReasons).forEach(function (name) { data.append(name, typedReasons[name]); });
    }
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
          stats.querySelector("[data-words]").textContent = String(result.words);
          stats.querySelector("[data-minutes]").textContent = String(result.minutes);
          if (slugFollowsTitle) { slug.value = result.slug; }
          showFindings(result.findings_html);
        }
        preview.removeAttribute("data-stale");
        stats.removeAttribute("data-stale");
      })
      .catch(function () { /* offline: the preview stays as it was; saving still works */ });
  }

  function schedulePreview() {
    preview.setAttribute("data-stale", "");
    stats.setAttribute("data-stale", "");
    window.clearTimeout(timer);
    timer = window.setTimeout(requestPreview, 400);
  }

  function showHeadings() {
    if (previewTitle) { previewTitle.textContent = title.value; }
    if (previewSummary && summary) { previewSummary.textContent = summary.value; }
  }

  ["title", "summary", "body", "hero_image", "hero_alt"].forEach(function (name) {
    if (!fields[name]) { return; }
    fields[name].addEventListener("input", function () { showHeadings(); schedulePreview(); });
  });

  // Text typed before this script ran (it is deferred), or put back by the browser, got no preview yet:
  // catch up once with what the fields hold now.
  function differsFromPage(field) {
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (option) { return option.selected !== option.defaultSelected; });
    }
    return field.value !== field.defaultValue;
  }
  if (["title", "summary", "body", "hero_image", "hero_alt"].some(function (name) {
    return fields[name] && differsFromPage(fields[name]);
  })) {
    showHeadings();
    preview.setAttribute("data-stale", "");
    stats.setAttribute("data-stale", "");
    requestPreview();
  }

  // Unsaved changes: ask before leaving, but not when the form itself is being sent.
  var watched = [title, slug, summary, body].filter(Boolean);
  var saved = watched.map(function (field) { return field.defaultValue; });
  var submitting = false;
  function isDirty() {
    return watched.some(function (field, i) { return field.value !== saved[i]; });
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
    saved = watched.map(function () { return null; });
    var invalid = form.querySelector("[aria-invalid=true]");
    if (invalid) { invalid.focus(); }
  }
  ready();
})();
