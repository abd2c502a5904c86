/* The editor's enhancements: live preview, word count, slug from title, and a warning before
   leaving unsaved changes. The forms work without any of this. No inline script (CSP). */
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
        }
        preview.removeAttribute("data-stale");
      })
      .catch(function () { /* offline: the preview stays as it was; saving still works */ });
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
  }

  title.addEventListener("input", function () {
    if (previewTitle) { previewTitle.textContent = title.value; }
    if (slugFollowsTitle) { slug.value = slugify(title.value); }
  });
  if (summary) {
    summary.addEventListener("input", function () {
      if (previewSummary) { previewSummary.textContent = summary.value; }
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
