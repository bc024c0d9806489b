// The safety plan, offline once loaded: registers the service worker (/sw.js) and asks it to keep
// this page and the static files it uses. When the device is offline, says that the page shown is
// the copy kept on this device. Without service workers nothing changes.
(function () {
  "use strict";

  function showOfflineNote() {
    var note = document.querySelector("[data-offline-note]");
    var offline = navigator.onLine === false;
    if (note) { note.hidden = !offline; }
    // A kept copy may hold a one-off message ("saved") from when it was stored: not news now.
    if (offline) {
      document.querySelectorAll(".messages").forEach(function (el) { el.hidden = true; });
    }
  }

  function assetUrls() {
    var urls = [];
    document.querySelectorAll("link[rel~='stylesheet'][href], link[rel~='icon'][href], script[src]")
      .forEach(function (el) { urls.push(el.href || el.src); });
    return urls;
  }

  document.addEventListener("DOMContentLoaded", function () {
    showOfflineNote();
    window.addEventListener("online", showOfflineNote);
    window.addEventListener("offline", showOfflineNote);
    if (!("serviceWorker" in navigator) || navigator.onLine === false) { return; }
    var servedByWorker = Boolean(navigator.serviceWorker.controller);
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "kept") {
        document.documentElement.setAttribute("data-offline-ready", "yes");
      }
    });
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) {
        registration.active.postMessage({ type: "keep", assets: assetUrls(), fetchPage: !servedByWorker });
      }
    }).catch(function () { /* offline copy unavailable; the page itself still works */ });
  });
}());
