// "Print or save as PDF": any <button data-print> opens the browser's print dialog (no inline JS: CSP).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
