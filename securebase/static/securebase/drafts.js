// Drafts that survive a closed tab: forms marked data-draft="KEY" are kept on this device as
// the person types, brought back when the form opens again, and forgotten once saved (the page
// after a successful save carries data-clear-draft="KEY"). Without JavaScript nothing changes.
(function () {
  "use strict";
  var PREFIX = "securebase.draft.";

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(PREFIX + key) || "null"); } catch (e) { return null; }
  }

  function snapshot(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit") { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        fields[el.name] = fields[el.name] || [];
        if (el.checked) { fields[el.name].push(el.value); }
      } else {
        fields[el.name] = el.value;
      }
    });
    return fields;
  }

  function restore(form, fields) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in fields) || el.name === "csrfmiddlewaretoken") { return; }
      var value = fields[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else if (typeof value === "string") {
        el.value = value;
      }
    });
  }

  function announce(form, text, key) {
    var note = document.createElement("div");
    note.className = "notice draft-notice";
    note.setAttribute("role", "status");
    var message = document.createElement("p");
    message.textContent = text;
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link-button";
    discard.textContent = form.getAttribute("data-draft-discard") || "Discard";
    discard.addEventListener("click", function () {
      window.localStorage.removeItem(PREFIX + key);
      window.location.reload();
    });
    note.appendChild(message);
    note.appendChild(discard);
    form.insertBefore(note, form.firstChild);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-clear-draft]"), function (el) {
      window.localStorage.removeItem(PREFIX + el.getAttribute("data-clear-draft"));
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
      var key = form.getAttribute("data-draft");
      var saved = read(key);
      // After a refused save the server already shows what was typed: keep that.
      if (saved && !form.querySelector(".form-errors")) {
        restore(form, saved.fields || {});
        announce(form, form.getAttribute("data-draft-message") || "", key);
      }
      var save = function () {
        window.localStorage.setItem(PREFIX + key, JSON.stringify({ at: Date.now(), fields: snapshot(form) }));
      };
      form.addEventListener("input", save);
      form.addEventListener("change", save);
    });
  });
}());
