/* Pictures in the writing form: upload one with its alt text, then insert it into the body or make it the hero
   with one click. The server checks everything; this only carries the file and shows the answer.
   When its handlers are bound it adds "images" to <html data-ready>, which browser tests wait for. */
(function () {
  "use strict";
  var html = document.documentElement;
  function ready() { html.dataset.ready = ((html.dataset.ready || "") + " images").trim(); }
  var panel = document.querySelector("[data-picture-panel]");
  var form = document.querySelector("form[data-editor-form]");
  if (!panel || !form || !window.fetch || !window.FormData) { ready(); return; }
  var body = form.querySelector("[name=body]");
  var heroSelect = form.querySelector("[data-hero-select]");
  var heroAlt = form.querySelector("[name=hero_alt]");
  var status = panel.querySelector("[data-picture-status]");
  var list = panel.querySelector("[data-picture-list]");
  var button = panel.querySelector("[data-picture-upload]");
  var inputs = {};
  panel.querySelectorAll("[data-picture-input]").forEach(function (el) { inputs[el.dataset.pictureInput] = el; });
  panel.querySelector("[data-pictures-js]").hidden = false;
  panel.querySelector("[data-pictures-nojs]").hidden = true;

  function say(lines, isError) {
    status.replaceChildren();
    status.className = isError ? "form-errors" : "note";
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      status.append(p);
    });
  }

  function changed(el) { el.dispatchEvent(new Event("input", { bubbles: true })); }

  function insert(markdown) {
    var start = body.selectionStart, end = body.selectionEnd, text = body.value;
    var before = text.slice(0, start), after = text.slice(end);
    // A picture on its own paragraph becomes a figure with its caption.
    var lead = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
    var tail = after === "" || /^\n\n/.test(after) ? "" : (/^\n/.test(after) ? "\n" : "\n\n");
    body.value = before + lead + markdown + tail + after;
    var caret = (before + lead + markdown).length;
    body.focus();
    body.setSelectionRange(caret, caret);
    changed(body);
  }

  function useAsHero(picture) {
    if (!heroSelect.querySelector('option[value="' + picture.id + '"]')) {
      heroSelect.add(new Option(picture.alt + " (image:" + picture.id + ")", String(picture.id)), 1);
    }
    heroSelect.value = String(picture.id);
    if (heroAlt && !heroAlt.value.trim()) { heroAlt.value = picture.alt; changed(heroAlt); }
    changed(heroSelect);
  }

  function show(picture) {
    var item = document.createElement("li");
    var img = document.createElement("img");
    img.src = picture.thumbnail;
    img.alt = picture.alt;
    img.width = 96;
    img.height = Math.round(96 * picture.height / picture.width);
    var code = document.createElement("code");
    code.textContent = picture.markdown;
    var insertButton = document.createElement("button");
    insertButton.type = "button";
    insertButton.className = "button small";
    insertButton.textContent = "Insert into body";
    insertButton.addEventListener("click", function () { insert(picture.markdown); });
    var heroButton = document.createElement("button");
    heroButton.type = "button";
    heroButton.className = "button subtle small";
    heroButton.textContent = "Use as hero";
    heroButton.addEventListener("click", function () { useAsHero(picture); });
    item.append(img, code, insertButton, heroButton);
    if (picture.preparing) { item.append(preparing(picture, img)); }
    list.prepend(item);
    return insertButton;
  }

  // The resized copies are made in the background after the upload: say so, and ask the server until they exist.
  function preparing(picture, img) {
    var note = document.createElement("span");
    note.className = "picture-preparing";
    note.setAttribute("role", "status");
    note.textContent = "Preparing resized copies…";
    function ask() {
      fetch(picture.status_url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : picture; })
        .then(function (now) {
          if (now.preparing) { window.setTimeout(ask, 1000); return; }
          img.src = now.thumbnail;
          note.textContent = "Resized copies ready.";
        })
        .catch(function () { window.setTimeout(ask, 5000); });
    }
    window.setTimeout(ask, 1000);
    return note;
  }

  button.addEventListener("click", function () {
    var file = inputs.file.files[0];
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    if (file) { data.append("file", file, file.name); }
    ["alt", "caption", "credit"].forEach(function (name) { data.append(name, inputs[name].value); });
    Object.keys(inputs).forEach(function (name) { inputs[name].removeAttribute("aria-invalid"); });
    button.disabled = true;
    say(["Uploading…"], false);
    fetch(panel.dataset.uploadUrl, {
      method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" },
    })
      .then(function (response) {
        return response.json().catch(function () { return { errors: { file: ["The upload failed (" + response.status + ")."] } }; });
      })
      .then(function (result) {
        if (result.errors) {
          var lines = [];
          Object.keys(result.errors).forEach(function (field) {
            if (inputs[field]) { inputs[field].setAttribute("aria-invalid", "true"); }
            lines = lines.concat(result.errors[field]);
          });
          say(["Not uploaded: " + lines.join(" ")], true);
          return;
        }
        var lines = ["Uploaded. Insert it where the cursor is in the body, or use it as the hero."];
        (result.findings || []).forEach(function (f) { lines.push("Claims check: " + f.message + " (“" + f.text + "”)"); });
        say(lines, false);
        ["file", "alt", "caption", "credit"].forEach(function (name) { inputs[name].value = ""; });
        show(result).focus();
      })
      .catch(function () { say(["The picture could not be sent. Check the connection and try again."], true); })
      .then(function () { button.disabled = false; });
  });
  ready();
})();
