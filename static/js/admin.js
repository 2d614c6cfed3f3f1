// The desk's keyboard triage, idle warning and text-selection masking. Everything here is also a
// visible button or link; the shortcuts are single keys, so they are off while typing and can be
// switched off in settings (WCAG 2.1.4).
(function () {
  "use strict";

  function typing(event) {
    var el = event.target;
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-moment-row]"));
  }

  function currentIndex(list) {
    var i = list.findIndex(function (row) { return row.hasAttribute("data-current"); });
    if (i >= 0) { return i; }
    return list.findIndex(function (row) { return row.classList.contains("moment-row--open"); });
  }

  function setCurrent(list, index) {
    list.forEach(function (row) { row.removeAttribute("data-current"); });
    var row = list[index];
    if (!row) { return; }
    row.setAttribute("data-current", "");
    var link = row.querySelector("[data-open]");
    if (link) { link.focus(); }
  }

  function move(step) {
    // In the detail pane j/k follow the filtered order across pages; in the list they move focus.
    var list = rows();
    var i = currentIndex(list);
    var detailLink = document.querySelector(step > 0 ? "[data-next]" : "[data-prev]");
    if (document.querySelector(".moment-row--open") && detailLink && !document.querySelector("[data-current]")) {
      window.location.href = detailLink.href;
      return;
    }
    setCurrent(list, Math.max(0, Math.min(list.length - 1, (i < 0 ? (step > 0 ? -1 : list.length) : i) + step)));
  }

  function toggleHelp(show) {
    var help = document.querySelector("[data-shortcut-help]");
    if (!help) { return; }
    help.hidden = show === undefined ? !help.hidden : !show;
    if (!help.hidden) { help.querySelector("button").focus(); }
  }

  function setUpShortcuts() {
    if (document.body.getAttribute("data-shortcuts") !== "on" || !document.querySelector("[data-moment-list], .desk-detail")) {
      return;
    }
    var close = document.querySelector("[data-shortcut-close]");
    if (close) { close.addEventListener("click", function () { toggleHelp(false); }); }
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
      var list = rows();
      var handled = true;
      switch (event.key) {
        case "j": move(1); break;
        case "k": move(-1); break;
        case "o": {
          var row = list[currentIndex(list)];
          var link = row && row.querySelector("[data-open]");
          if (link) { window.location.href = link.href; }
          break;
        }
        case "x": {
          var current = list[currentIndex(list)];
          var box = current && current.querySelector("[data-select]");
          if (box) { box.checked = !box.checked; }
          break;
        }
        case "e": { var status = document.querySelector("[data-status-select]"); if (status) { status.focus(); } break; }
        case "t": { var tag = document.querySelector("[data-tag-input]"); if (tag) { tag.focus(); } break; }
        case "/": { var search = document.querySelector("[data-search-box]"); if (search) { search.focus(); search.select(); } break; }
        case "?": toggleHelp(); break;
        case "Escape": toggleHelp(false); break;
        default: handled = false;
      }
      if (handled) { event.preventDefault(); }
    });
  }

  // Selecting words in the moment fills the "mask more" field, so a moderator masks what they see.
  function setUpMaskSelection() {
    var text = document.querySelector("[data-moment-text]");
    var field = document.querySelector("[data-mask-phrase]");
    if (!text || !field) { return; }
    text.addEventListener("mouseup", function () {
      var chosen = String(window.getSelection() || "").trim();
      if (chosen.length >= 2 && chosen.length <= 200) {
        field.value = chosen;
        var details = field.closest("details");
        if (details) { details.open = true; }
      }
    });
  }

  function setUpIdleWarning() {
    var seconds = parseInt(document.body.getAttribute("data-idle-warn-after") || "0", 10);
    var warning = document.querySelector("[data-idle-warning]");
    var token = document.querySelector('input[name="csrf_token"]');
    if (!seconds || !warning || !token) { return; }
    var timer;
    function arm() {
      clearTimeout(timer);
      timer = setTimeout(function () { warning.hidden = false; }, seconds * 1000);
    }
    warning.querySelector("[data-idle-continue]").addEventListener("click", function () {
      var body = new URLSearchParams();
      body.set("csrf_token", token.value);
      fetch(document.body.getAttribute("data-ping-url"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          if (response.ok) { warning.hidden = true; arm(); } else { window.location.reload(); }
        });
    });
    arm();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpShortcuts();
    setUpMaskSelection();
    setUpIdleWarning();
    document.documentElement.setAttribute("data-desk", "ready");  // shortcuts are listening
  });
})();
