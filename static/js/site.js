// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Count as the server does: NFC code points.
  function countChars(text) {
    return Array.from((text || "").normalize("NFC").trim()).length;
  }

  // The page's own language (<html lang>, set by the server): the words this script adds.
  var ENGLISH = (document.documentElement.lang || "ko").slice(0, 2) === "en";
  var WORDS = ENGLISH ? {
    over: function (over, max) { return over + " characters too many. You can write up to " + max + "."; },
    short: function (n, min) { return "You've written " + n + ". Please write at least " + min + "."; },
    left: function (n, left) { return "You've written " + n + ". You can write " + left + " more."; },
    restored: "We brought back what you were writing. Carry on where you left off. ",
    discard: "Clear it and start again",
    discarded: "We've cleared what you were writing.",
    copied: "Your code is copied.",
    notCopied: "We couldn't copy it. Press and hold the code to copy it yourself."
  } : {
    over: function (over, max) { return over + "자 넘었어요. " + max + "자까지 쓸 수 있어요."; },
    short: function (n, min) { return "지금 " + n + "자예요. " + min + "자 이상 써 주세요."; },
    left: function (n, left) { return "지금 " + n + "자예요. " + left + "자 더 쓸 수 있어요."; },
    restored: "쓰시던 내용을 불러왔어요. 이어서 써 주세요. ",
    discard: "지우고 새로 쓰기",
    discarded: "쓰시던 내용을 지웠어요.",
    copied: "접수번호를 복사했어요.",
    notCopied: "복사하지 못했어요. 번호를 길게 눌러 직접 복사해 주세요."
  };

  function formatNumber(n) {
    return n.toLocaleString(ENGLISH ? "en-GB" : "ko-KR");
  }

  // GOV.UK pattern: move focus to the error summary so screen readers hear it first.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  function setUpCounters() {
    document.querySelectorAll("textarea[data-count-max]").forEach(function (area) {
      var max = parseInt(area.getAttribute("data-count-max"), 10);
      var min = parseInt(area.getAttribute("data-count-min") || "0", 10);
      var visible = document.querySelector('[data-counter-for="' + area.id + '"]');
      if (!visible) {
        return;
      }
      // The visible counter changes with every key; screen readers hear a calmer copy after a pause.
      var spoken = document.createElement("p");
      spoken.className = "visually-hidden";
      spoken.setAttribute("aria-live", "polite");
      visible.parentNode.insertBefore(spoken, visible.nextSibling);
      var timer = null;

      function message() {
        var n = countChars(area.value);
        if (n > max) {
          return { text: WORDS.over(formatNumber(n - max), formatNumber(max)), over: true };
        }
        if (n < min) {
          return { text: WORDS.short(formatNumber(n), min), over: false };
        }
        return { text: WORDS.left(formatNumber(n), formatNumber(max - n)), over: false };
      }

      function update() {
        var m = message();
        visible.textContent = m.text;
        visible.classList.toggle("counter--over", m.over);
        clearTimeout(timer);
        timer = setTimeout(function () { spoken.textContent = m.text; }, 1000);
      }

      area.addEventListener("input", update);
      visible.textContent = message().text;
    });
  }

  // Drafts stay on this device until the server confirms the moment was received, for a day at
  // most (a shared phone should not keep an abandoned story), and can be thrown away at once.
  var DRAFT_DAY_MS = 24 * 60 * 60 * 1000;
  function storage() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function setUpDrafts() {
    var store = storage();
    if (!store) {
      return;
    }
    var clearKey = document.body.getAttribute("data-draft-clear");
    if (clearKey) {
      store.removeItem(clearKey);
    }
    var form = document.querySelector("form[data-draft-key]");
    if (!form) {
      return;
    }
    var key = form.getAttribute("data-draft-key");
    var fields = Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && el.name !== "website" && el.type !== "hidden";
    });

    var saved = null;
    try {
      saved = JSON.parse(store.getItem(key) || "null");
    } catch (e) {
      saved = null;
    }
    var serverHasText = fields.some(function (el) { return el.tagName === "TEXTAREA" && el.value.trim(); });
    if (saved && !(saved._savedAt > Date.now() - DRAFT_DAY_MS)) {
      store.removeItem(key);
      saved = null;
    }
    if (saved && !serverHasText) {
      var restored = false;
      fields.forEach(function (el) {
        if (typeof saved[el.name] === "string" && saved[el.name]) {
          // A radio button keeps its own value: the saved answer says which one is checked.
          if (el.type === "radio") {
            el.checked = el.value === saved[el.name];
          } else {
            el.value = saved[el.name];
            el.dispatchEvent(new Event("input"));
          }
          restored = true;
        }
      });
      if (restored) {
        var note = document.createElement("p");
        note.className = "notice";
        note.setAttribute("role", "status");
        note.textContent = WORDS.restored;
        var discard = document.createElement("button");
        discard.type = "button";
        discard.className = "link-button";
        discard.textContent = WORDS.discard;
        discard.addEventListener("click", function () {
          store.removeItem(key);
          fields.forEach(function (el) {
            if (el.type === "radio") {
              el.checked = false;
              return;
            }
            el.value = el.tagName === "SELECT" ? (el.options[0] ? el.options[0].value : "") : "";
            el.dispatchEvent(new Event("input"));
          });
          store.removeItem(key);
          note.textContent = WORDS.discarded;
          var first = form.querySelector("textarea");
          if (first) { first.focus(); }
        });
        note.appendChild(discard);
        form.insertBefore(note, form.querySelector(".field"));
      }
    }

    function save() {
      var draft = { _savedAt: Date.now() };
      fields.forEach(function (el) {
        if (el.type !== "radio" || el.checked) {
          draft[el.name] = el.value;
        }
      });
      try {
        store.setItem(key, JSON.stringify(draft));
      } catch (e) {
        // Storage full or disabled: the form still works, only the draft is not kept.
      }
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  }

  function setUpCopy() {
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      if (!navigator.clipboard) {
        return;
      }
      button.hidden = false;
      var status = document.querySelector("[data-copy-status]");
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy-target"));
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
          if (status) { status.textContent = WORDS.copied; }
        }, function () {
          if (status) { status.textContent = WORDS.notCopied; }
        });
      });
    });
  }

  // The thanks page, while the moment is still being compared with the others: ask the server
  // every second (for half a minute at most) and show "N명 더 있어요" once it is known. The page
  // says the same on a reload without this.
  function setUpTogether() {
    var box = document.querySelector("[data-arrival-from]");
    if (!box || !window.fetch) {
      return;
    }
    var url = box.getAttribute("data-arrival-from");
    var tries = 0;
    function ask() {
      tries += 1;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (r) {
        if (r.status === 200) {
          return r.text().then(function (html) {
            var part = new DOMParser().parseFromString(html, "text/html").querySelector("[data-arrival-part]");
            if (part) {
              box.removeAttribute("data-arrival-from");
              box.replaceChildren.apply(box, Array.from(part.childNodes));
            }
          });
        }
        if (r.status === 204 && tries < 30) {
          setTimeout(ask, 1000);
        }
      }, function () {
        if (tries < 30) { setTimeout(ask, 2000); }
      });
    }
    setTimeout(ask, 500);
  }

  // 이미 고쳤어요 while typing on /submit: after a pause of 700 ms, ask this server (a POST with
  // the form's CSRF token; the text never goes in a URL) which published fixes look like the
  // text, and show them after the send button, so nothing moves the button. A newer pause aborts
  // the older request and an answer for an older text is dropped; the same list again is left
  // alone, so a screen reader hears it once. Focus never moves.
  function setUpSuggestions() {
    var slot = document.querySelector("[data-suggest-from]");
    var form = slot && slot.closest("form");
    var area = form && form.querySelector("textarea[name=body]");
    var token = form && form.querySelector("input[name=csrf_token]");
    if (!area || !token || !window.fetch || !window.FormData) {
      return;
    }
    var url = slot.getAttribute("data-suggest-from");
    var least = parseInt(slot.getAttribute("data-suggest-min"), 10) || 12;
    var timer = null;
    var controller = null;
    var asked = 0;
    var lastText = null;
    function listed(scope) {
      var list = scope.querySelector("[data-suggestions-list]");
      return list ? list.getAttribute("data-suggestions-list") : "";
    }
    function show(html) {
      var found = new DOMParser().parseFromString(html, "text/html").body;
      if (listed(found) === listed(slot)) {
        return;
      }
      slot.replaceChildren.apply(slot, Array.from(found.childNodes));
    }
    function ask() {
      var text = area.value.trim();
      if (text === lastText) {
        return;
      }
      lastText = text;
      asked += 1;
      var mine = asked;
      if (controller) {
        controller.abort();
      }
      if (text.length < least) {
        show("");
        return;
      }
      controller = window.AbortController ? new AbortController() : null;
      var data = new FormData();
      data.append("csrf_token", token.value);
      data.append("body", text);
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "text/html" },
        signal: controller ? controller.signal : undefined
      }).then(function (r) {
        return r.status === 200 ? r.text() : null;
      }).then(function (html) {
        if (html !== null && mine === asked) {
          show(html);
        }
      }).catch(function () {
        // Offline, aborted or refused: the form works the same without suggestions.
      });
    }
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 700);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCounters();
    setUpDrafts();
    setUpSuggestions();
    setUpCopy();
    setUpTogether();
    focusErrorSummary();
  });
})();
