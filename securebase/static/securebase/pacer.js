/* Paced breathing: a visual pacer that needs no network once loaded (no requests, no eval).
   The circle grows and shrinks through CSS classes; with reduced motion it stays still and the
   text cues and a count carry the rhythm. */
(function () {
  "use strict";
  var root = document.querySelector("[data-pacer]");
  if (!root) { return; }
  root.hidden = false;
  var circle = root.querySelector("[data-pacer-circle]");
  var phaseText = root.querySelector("[data-pacer-phase]");
  var countText = root.querySelector("[data-pacer-count]");
  var startButton = root.querySelector("[data-pacer-start]");
  var stopButton = root.querySelector("[data-pacer-stop]");
  var inputs = root.querySelectorAll("[data-pacer-seconds]");
  var patterns = root.querySelectorAll("input[name='pacer-pattern']");
  var logForm = document.querySelector("[data-pacer-log]");
  // Holds can be skipped in one tap: the hold seconds go to 0 and back.
  var holdsNote = root.querySelector("[data-pacer-holds]");
  var skipHolds = root.querySelector("[data-pacer-skip-holds]");
  var holdsStatus = root.querySelector("[data-pacer-holds-status]");
  var words = {
    in: root.getAttribute("data-text-in"),
    hold: root.getAttribute("data-text-hold"),
    out: root.getAttribute("data-text-out"),
    ready: root.getAttribute("data-text-ready"),
    breath: root.getAttribute("data-text-breath")
  };
  var kinds = ["in", "hold", "out", "hold"];
  var motion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  var timer = null;
  var phase = 0;
  var remaining = 0;
  var breaths = 0;
  var startedAt = 0;

  function reduced() { return !!(motion && motion.matches); }

  function seconds() {
    return Array.prototype.map.call(inputs, function (input) {
      var n = parseInt(input.value, 10);
      if (isNaN(n)) { n = 0; }
      return Math.max(0, Math.min(20, n));
    });
  }

  function setLogField(name, value) {
    if (!logForm) { return; }
    var field = logForm.querySelector("[name='" + name + "']");
    if (field) { field.value = value; }
  }

  function isHold(i) { return i === 1 || i === 3; }

  function choosePattern(input) {
    var values = (input.getAttribute("data-phases") || "").split(",");
    var holds = values.some(function (value, i) { return isHold(i) && parseInt(value, 10) > 0; });
    var skipping = holds && !!(skipHolds && skipHolds.checked);
    if (holdsNote) { holdsNote.hidden = !holds; }
    Array.prototype.forEach.call(inputs, function (field, i) {
      field.value = skipping && isHold(i) ? "0" : (values[i] || "0");
    });
    setLogField("pattern", input.value);
    setLogField("seconds", seconds().join(","));
  }

  function checkedPattern() {
    return Array.prototype.filter.call(patterns, function (input) { return input.checked; })[0];
  }

  function toggleHolds() {
    var input = checkedPattern();
    if (input) { choosePattern(input); }
    if (holdsStatus && holdsNote) {
      holdsStatus.textContent = holdsNote.getAttribute(skipHolds.checked ? "data-text-skipped" : "data-text-kept");
    }
  }

  function enter(index) {
    var s = seconds();
    for (var tries = 0; tries < 4 && s[index] === 0; tries++) { index = (index + 1) % 4; }
    if (index === 0) { breaths += 1; }
    phase = index;
    remaining = s[index];
    var kind = kinds[index];
    phaseText.textContent = words[kind];
    circle.classList.remove("pacer-in", "pacer-hold", "pacer-out");
    circle.classList.add("pacer-" + kind);
    if (reduced()) {
      root.classList.add("pacer-reduced");
    } else {
      root.classList.remove("pacer-reduced");
      circle.style.transitionDuration = s[index] + "s";
      if (kind === "in") { circle.classList.add("pacer-big"); }
      if (kind === "out") { circle.classList.remove("pacer-big"); }
    }
    showCount();
  }

  function showCount() {
    var s = seconds();
    var done = s[phase] - remaining + 1;
    countText.textContent = Math.min(done, s[phase]) + " / " + s[phase] + " · " + words.breath + " " + breaths;
  }

  function tick() {
    remaining -= 1;
    if (remaining <= 0) {
      enter((phase + 1) % 4);
    } else {
      showCount();
    }
  }

  function start() {
    var s = seconds();
    if (s[0] + s[1] + s[2] + s[3] === 0) { return; }
    setLogField("seconds", s.join(","));
    breaths = 0;
    startedAt = Date.now();
    enter(0);
    timer = window.setInterval(tick, 1000);
    startButton.disabled = true;
    stopButton.disabled = false;
    stopButton.focus();
  }

  function stop() {
    if (timer !== null) { window.clearInterval(timer); }
    timer = null;
    circle.classList.remove("pacer-in", "pacer-hold", "pacer-out", "pacer-big");
    phaseText.textContent = words.ready;
    countText.textContent = "";
    startButton.disabled = false;
    stopButton.disabled = true;
    if (startedAt) {
      setLogField("minutes", String(Math.max(1, Math.round((Date.now() - startedAt) / 60000))));
    }
    if (logForm) {
      logForm.classList.add("pacer-log-ready");
      var heading = logForm.querySelector("h2");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
  }

  Array.prototype.forEach.call(patterns, function (input) {
    input.addEventListener("change", function () { if (input.checked) { choosePattern(input); } });
    if (input.checked) { choosePattern(input); }
  });
  Array.prototype.forEach.call(inputs, function (input, i) {
    input.addEventListener("change", function () {
      // A hold set by hand is no longer skipped: the box follows what the fields say.
      if (skipHolds && isHold(i) && seconds()[i] > 0) { skipHolds.checked = false; }
      setLogField("seconds", seconds().join(","));
    });
  });
  if (skipHolds) { skipHolds.addEventListener("change", toggleHolds); }
  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", stop);
  stopButton.disabled = true;
  phaseText.textContent = words.ready;
}());
