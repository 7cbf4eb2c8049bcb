/* Live updates of a session's page and of the hall screen (docs/live-protocol.md).
   Vanilla, no build. The page works without it: every action is a plain form.
   - connects to the session's socket with exponential back-off and jitter (1 s to 30 s);
   - tracks the sequence number; on a gap asks for a snapshot ("resync");
   - on an event re-fetches the server-rendered live regions and swaps them (debounced, 0-300 ms jitter);
   - applies poll progress directly to [data-poll-progress="<poll id>"];
   - sends votes over the socket when it is open (same client_id if resent), else lets the form post;
   - counts down <time data-deadline="ISO"> as m:ss.
   Every word shown comes from data-text-* attributes the template translated. */
(function () {
  "use strict";
  var VOTE_ACTION = /\/polls\/(\d+)\/vote\/?$/;

  // The form a fallback post uses once the region it was in has been refreshed: the same poll
  // (action) AND the same ballot. A proxy's ballot must never go as the holder's own, nor the
  // reverse, so the form is matched by its for_person too ("" for one's own ballot).
  function matchingVoteForm(forms, action, forPerson) {
    var sentFor = forPerson ? String(forPerson) : "";
    return Array.prototype.find.call(forms, function (candidate) {
      if (candidate.action !== action) { return false; }
      if (!VOTE_ACTION.exec(new URL(candidate.action, window.location.href).pathname)) { return false; }
      var field = candidate.querySelector('[name="for_person"]');
      return (field && field.value ? String(field.value) : "") === sentFor;
    }) || null;
  }
  window.villagegovLive = { matchingVoteForm: matchingVoteForm }; // for the tests

  var root = document.querySelector("[data-live-root]");
  if (!root || !window.WebSocket || !window.fetch || !window.JSON) { return; }

  var stateEl = root.querySelector("[data-live-state]");
  var noticeEl = root.querySelector("[data-live-notice]");
  var texts = stateEl ? stateEl.dataset : {};
  var seq = parseInt(root.getAttribute("data-seq") || "0", 10) || 0;
  var socket = null;
  var ready = false; // a snapshot arrived on the current socket
  var attempts = 0;
  var refused = false;
  var refreshTimer = null;
  var refreshAgain = false;
  var fetching = false;
  var deferredRegions = false;
  var noticeTimer = null;
  var pending = {}; // client_id -> vote message not yet acknowledged
  var REFUSED = { 4401: true, 4403: true, 4404: true };
  function text(name) { return texts[name] || ""; }

  function setState(name) {
    if (!stateEl) { return; }
    stateEl.hidden = false;
    stateEl.setAttribute("data-state", name);
    var label = stateEl.querySelector("[data-live-state-text]");
    var key = "text" + name.charAt(0).toUpperCase() + name.slice(1);
    if (label) { label.textContent = text(key); }
  }

  function notice(message, kind) {
    if (!noticeEl) { return; }
    noticeEl.textContent = message;
    noticeEl.setAttribute("data-kind", kind);
    noticeEl.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { noticeEl.hidden = true; }, 8000);
  }

  function socketUrl() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + root.getAttribute("data-ws-path");
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  // --- connection, back-off ------------------------------------------------------------------
  function connect() {
    ready = false;
    setState(attempts ? "reconnecting" : "connecting");
    try {
      socket = new WebSocket(socketUrl());
    } catch (error) {
      retry();
      return;
    }
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      if (message && typeof message === "object") { handle(message); }
    };
    socket.onclose = function (event) {
      socket = null;
      ready = false;
      if (REFUSED[event.code]) {
        refused = true;
        setState("refused");
        return;
      }
      retry();
    };
  }

  function retry() {
    if (refused) { return; }
    attempts += 1;
    // 1 s, 2 s, 4 s ... up to 30 s; each wait drawn between half and all of it, so that a
    // hall full of phones does not reconnect in one wave after a restart.
    var ceiling = Math.min(30000, 1000 * Math.pow(2, attempts - 1));
    var wait = ceiling / 2 + Math.random() * ceiling / 2;
    setState("reconnecting");
    setTimeout(connect, wait);
  }

  // --- messages --------------------------------------------------------------------------------
  function handle(message) {
    switch (message.type) {
      case "snapshot":
        ready = true;
        attempts = 0;
        setState("connected");
        if (message.seq !== seq) {
          seq = message.seq;
          refresh();
        }
        resendPending();
        break;
      case "event":
        var event = message.event || {};
        if (typeof event.seq !== "number" || event.seq <= seq) { return; }
        if (event.seq === seq + 1) {
          seq = event.seq;
          refresh();
        } else {
          send({ type: "resync" }); // missed one: start again from a snapshot
        }
        break;
      case "poll.progress":
        progress(message);
        break;
      case "ack":
        if (!pending[message.client_id]) { return; }
        delete pending[message.client_id];
        notice(message.duplicate ? text("textVoteDuplicate") : text("textVoteRecorded"), "ok");
        refresh();
        break;
      case "error":
        if (message.client_id && pending[message.client_id]) {
          delete pending[message.client_id];
          notice(text("textVoteFailed") + " " + (message.message || ""), "error");
          refresh();
        } else if (message.code === "too_many") {
          notice(message.message || "", "error");
        }
        break;
      default:
        break; // pong, and anything newer than this script
    }
  }

  function progress(message) {
    var poll = String(message.poll);
    var voted = String(message.voted);
    var entitled = String(message.entitled);
    document.querySelectorAll('[data-poll-progress="' + poll + '"]').forEach(function (el) {
      var votedEl = el.querySelector("[data-voted]");
      var entitledEl = el.querySelector("[data-entitled]");
      if (votedEl || entitledEl) {
        if (votedEl) { votedEl.textContent = voted; }
        if (entitledEl) { entitledEl.textContent = entitled; }
      } else {
        slowRefresh(); // a sentence without marked numbers: fetch it, but not more than every 3 s
      }
    });
    document.querySelectorAll('[data-poll-progress-bar="' + poll + '"]').forEach(function (bar) {
      bar.setAttribute("max", String(Math.max(1, message.entitled)));
      bar.setAttribute("value", voted);
    });
  }

  var lastSlowRefresh = 0;
  function slowRefresh() {
    var now = Date.now();
    if (now - lastSlowRefresh < 3000) { return; }
    lastSlowRefresh = now;
    refresh();
  }

  // --- fragments -------------------------------------------------------------------------------
  function refresh() {
    if (refreshTimer) { return; }
    // Jitter: a hall of phones does not fetch in the same millisecond.
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      fetchRegions();
    }, Math.random() * 300);
  }

  function editing(region) {
    var active = document.activeElement;
    if (!active || !region.contains(active)) { return false; }
    var tag = active.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && active.type !== "submit" && active.type !== "button");
  }

  function fetchRegions() {
    if (fetching) { refreshAgain = true; return; }
    fetching = true;
    fetch(root.getAttribute("data-live-url"), { credentials: "same-origin", headers: { "X-Requested-With": "live.js" } })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error("not refreshed"); }
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html;
        template.content.querySelectorAll("[data-live-region]").forEach(function (fresh) {
          var name = fresh.getAttribute("data-live-region");
          var current = root.querySelector('[data-live-region="' + name + '"]');
          if (!current) { return; }
          if (editing(current)) { deferredRegions = true; return; } // do not pull a form from under a finger
          current.replaceWith(fresh);
        });
        countdown();
      })
      .catch(function () { /* the next event, or a reload, brings the page up to date */ })
      .then(function () {
        fetching = false;
        if (refreshAgain) { refreshAgain = false; refresh(); }
      });
  }

  root.addEventListener("focusout", function () {
    if (deferredRegions) {
      setTimeout(function () {
        if (!deferredRegions) { return; }
        var region = document.activeElement && document.activeElement.closest && document.activeElement.closest("[data-live-region]");
        if (region && editing(region)) { return; }
        deferredRegions = false;
        refresh();
      }, 200);
    }
  });

  // --- votes -----------------------------------------------------------------------------------
  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) { window.crypto.getRandomValues(bytes); }
    else { for (var i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); } }
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function resendPending() {
    Object.keys(pending).forEach(function (clientId) { send(pending[clientId].message); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !root.contains(form)) { return; }
    var match = VOTE_ACTION.exec(new URL(form.action, window.location.href).pathname);
    if (!match || !ready || !socket || socket.readyState !== WebSocket.OPEN) { return; } // plain POST
    var data = new FormData(form);
    var choices = data.getAll("choices").concat(data.getAll("choice")).map(function (value) { return Number(value); });
    var valid = choices.length > 0 && choices.every(function (value) { return Number.isInteger(value) && value > 0; });
    if (!valid) { return; } // let the server explain what is missing
    var idField = form.querySelector('[name="client_id"]');
    var clientId = idField && idField.value ? idField.value : newClientId();
    if (idField) { idField.value = clientId; } // a fallback post reuses it: the server counts it once
    var message = { type: "vote", poll: Number(match[1]), choices: choices, client_id: clientId };
    var forPerson = data.get("for_person");
    if (forPerson) {
      if (!/^\d+$/.test(String(forPerson))) { return; }
      message.for_person = Number(forPerson); // a written proxy's ballot
    }
    event.preventDefault();
    pending[clientId] = { message: message, form: form };
    send(message);
    notice(text("textVoteSent"), "info");
    // No answer in time and no socket to resend on: post the form, with the same client id.
    setTimeout(function () {
      if (pending[clientId] && !(socket && socket.readyState === WebSocket.OPEN)) {
        delete pending[clientId];
        var target = form;
        if (!document.contains(form)) { // the region was refreshed: post its new form, with our id
          target = matchingVoteForm(root.querySelectorAll("form"), form.action, forPerson);
          var field = target && target.querySelector('[name="client_id"]');
          if (field) { field.value = clientId; }
          if (target) {
            target.querySelectorAll('[name="choices"], [name="choice"]').forEach(function (input) {
              if ("checked" in input) { input.checked = choices.indexOf(Number(input.value)) !== -1; }
            });
          }
        }
        if (target) { target.submit(); }
      }
    }, 8000);
  });

  // --- speaking timer --------------------------------------------------------------------------
  function countdown() {
    var now = Date.now();
    document.querySelectorAll("time[data-deadline]").forEach(function (el) {
      var deadline = Date.parse(el.getAttribute("data-deadline"));
      if (isNaN(deadline)) { return; }
      var left = Math.max(0, Math.round((deadline - now) / 1000));
      el.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
      el.classList.toggle("live-overtime", left === 0);
    });
  }

  setInterval(countdown, 1000);
  countdown();
  // Keep proxies from closing a quiet socket.
  setInterval(function () { if (ready) { send({ type: "ping" }); } }, 25000);
  connect();
})();
