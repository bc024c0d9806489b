// Keeps a questionnaire answer on the phone when the connection drops, and sends it when the
// connection returns. Without JavaScript the form posts as usual; nothing here is required.
(function () {
  "use strict";
  var STORE = "securebase.pendingAnswers";

  function load() {
    try { return JSON.parse(window.localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }
  function save(items) { window.localStorage.setItem(STORE, JSON.stringify(items)); }

  function post(entry) {
    return window.fetch(entry.url, {
      method: "POST",
      body: new URLSearchParams(entry.fields),
      credentials: "same-origin",
      // The server then answers where to go next instead of redirecting: fetch would follow a
      // redirect and load the next question once, and the page would load it a second time.
      headers: { "X-CSRFToken": entry.fields.csrfmiddlewaretoken || "", "X-Answer-Script": "1" }
    });
  }

  // Send what is waiting, oldest first; stop at the first failure and keep the rest.
  function flush() {
    var items = load();
    if (!items.length) { return Promise.resolve(true); }
    return post(items[0]).then(function (response) {
      if (response.status >= 500) { return false; }
      items.shift();
      save(items);
      return flush();
    }, function () { return false; });
  }

  function notice(form, text) {
    var note = form.querySelector(".offline-notice");
    if (!note) {
      note = document.createElement("p");
      note.className = "offline-notice notice";
      note.setAttribute("role", "status");
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = text;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-offline-answer]");
    window.addEventListener("online", function () {
      flush().then(function (done) { if (done && form) { window.location.reload(); } });
    });
    flush();
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      if (!form.querySelector("input:checked")) { return; }  // let the server explain
      event.preventDefault();
      var entry = { url: form.action, fields: Object.fromEntries(new FormData(form)) };
      post(entry).then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (response.ok && json) {
          return response.json().then(function (answer) { window.location.assign(answer.next); });
        }
        if (response.redirected) { window.location.assign(response.url); } else { form.submit(); }
      }, function () {
        var items = load();
        items.push(entry);
        save(items);
        notice(form, form.getAttribute("data-offline-message"));
      });
    });
  });
}());
