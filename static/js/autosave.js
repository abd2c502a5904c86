/* Typing is never lost: the writing form's fields are kept in this browser (localStorage) as they are typed, per
   user, post and the revision the form was loaded with, so a closed tab, a crash or an expired session gives the
   text back: on return the form offers "Restore unsaved text". The copy is dropped once the server has taken the
   save. No revision is made and nothing is sent anywhere by this script.
   When its handlers are bound it adds "autosave" to <html data-ready>, which browser tests wait for. */
(function () {
  "use strict";
  var html = document.documentElement;
  function ready() { html.dataset.ready = ((html.dataset.ready || "") + " autosave").trim(); }

  var PREFIX = "medreview:unsaved:";
  var storage;
  try {
    storage = window.localStorage;
    storage.getItem(PREFIX);
  } catch (error) { ready(); return; }  // storage turned off: the form works as before

  function read(key) {
    try { return JSON.parse(storage.getItem(PREFIX + key)); } catch (error) { return null; }
  }
  function write(key, entry) {
    try { storage.setItem(PREFIX + key, JSON.stringify(entry)); } catch (error) { /* full: nothing more to do */ }
  }
  function drop(key) { storage.removeItem(PREFIX + key); }

  // A save was sent from `entry.page`. The page loading now, reached from there, is the server's answer:
  // the same form with its errors means refused (the copy stays), anything else means the server took it.
  // (An expired session answers with the login page, which does not run this script: the copy stays.)
  var errors = !!document.getElementById("form-errors");
  var form = document.querySelector("form[data-editor-form][data-autosave-key]");
  var key = form ? form.dataset.autosaveKey : null;
  var cameFrom = "";
  try { cameFrom = document.referrer ? new URL(document.referrer).pathname : ""; } catch (error) { cameFrom = ""; }
  for (var i = storage.length - 1; i >= 0; i--) {
    var name = storage.key(i);
    if (!name || name.indexOf(PREFIX) !== 0) { continue; }
    var sentKey = name.slice(PREFIX.length), entry = read(sentKey);
    if (!entry || !entry.sent || entry.page !== cameFrom) { continue; }
    if (errors && sentKey === key && location.pathname === entry.page) {
      delete entry.sent;
      write(sentKey, entry);
    } else {
      drop(sentKey);
    }
  }

  if (!form) { ready(); return; }
  var base = form.querySelector("[name=base_revision]");
  var fields = {};
  ["title", "slug", "summary", "body", "hero_image", "hero_alt"].forEach(function (field) {
    var el = form.querySelector("[name=" + field + "]");
    if (el && !el.disabled) { fields[field] = el; }
  });

  function current() {
    var values = {};
    Object.keys(fields).forEach(function (field) { values[field] = fields[field].value; });
    return values;
  }
  function rendered() {
    var values = {};
    Object.keys(fields).forEach(function (field) {
      var el = fields[field];
      if (el.tagName === "SELECT") {
        var chosen = Array.prototype.filter.call(el.options, function (option) { return option.defaultSelected; })[0];
        values[field] = chosen ? chosen.value : (el.options[0] ? el.options[0].value : "");
      } else {
        values[field] = el.defaultValue;
      }
    });
    return values;
  }
  function same(a, b) {
    return Object.keys(fields).every(function (field) { return (a[field] || "") === (b[field] || ""); });
  }

  var status = document.querySelector("[data-autosave-status]");
  var offer = document.querySelector("[data-autosave-offer]");
  var waiting = false;  // an offer is open: the kept copy is not overwritten until the writer chooses
  function keep(extra) {
    if (waiting) { return; }
    var entry = { fields: current(), base: base ? base.value : "", at: Date.now() };
    Object.keys(extra || {}).forEach(function (field) { entry[field] = extra[field]; });
    write(key, entry);
    if (status) {
      status.querySelector("time").textContent = new Date(entry.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
      status.hidden = false;
    }
  }

  var timer = null;
  function keepSoon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { timer = null; keep(); }, 300);
  }
  function keepNow() {
    if (timer !== null) { window.clearTimeout(timer); timer = null; keep(); }
  }
  Object.keys(fields).forEach(function (field) { fields[field].addEventListener("input", keepSoon); });
  window.addEventListener("pagehide", keepNow);
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { keepNow(); } });
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
    timer = null;
    keep({ sent: true, page: location.pathname });
  });

  function close() {
    waiting = false;
    offer.hidden = true;
  }

  var kept = read(key);
  if (kept && kept.sent) {  // sent, but no answer came back here: it was not saved
    delete kept.sent;
    write(key, kept);
  }
  if (errors) {
    keep();  // the form shows what was typed and not saved: keep that
  } else if (kept && kept.fields && same(kept.fields, rendered())) {
    drop(key);  // the server has this text
  } else if (kept && kept.fields && !same(kept.fields, current()) && offer) {
    waiting = true;
    offer.querySelector("[data-autosave-time]").textContent = new Date(kept.at).toLocaleString([], {
      day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
    offer.querySelector("[data-autosave-older]").hidden = !base || kept.base === base.value;
    offer.hidden = false;
    offer.querySelector("[data-autosave-restore]").addEventListener("click", function () {
      close();
      Object.keys(fields).forEach(function (field) {
        if (!Object.prototype.hasOwnProperty.call(kept.fields, field) || fields[field].value === kept.fields[field]) { return; }
        fields[field].value = kept.fields[field];
        fields[field].dispatchEvent(new Event("input", { bubbles: true }));  // preview, address, unsaved warning
      });
      // Written on an older version: saving it is checked against the newer one (409), never silently over it.
      if (base && kept.base) { base.value = kept.base; }
      keep();
      fields.body.focus();
    });
    offer.querySelector("[data-autosave-discard]").addEventListener("click", function () {
      close();
      drop(key);
    });
  }
  ready();
})();
