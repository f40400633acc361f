// Shared by the console's pages: JSON calls to the planner's API, formatting, the confirmation dialog.
"use strict";
window.dmap = (function () {
  async function call(method, url, body) {
    // X-Dmap-Console: with authentication on, a change made with the sign-in cookie must carry it (cross-site guard)
    const init = { method: method, headers: { "Accept": "application/json", "X-Dmap-Console": "1" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = typeof body === "string" ? body : JSON.stringify(body);
    }
    const response = await fetch(url, init);
    let json = null;
    try { json = await response.json(); } catch (e) { json = null; }
    return { status: response.status, ok: response.ok, body: json };
  }

  /** "409 Conflict: map run ... has already ended" from an error answer. */
  function describeError(answer) {
    const b = answer.body || {};
    return answer.status + " " + (b.error || "Error") + (b.message ? ": " + b.message : "");
  }

  function text(el, value) {
    if (el) { el.textContent = value === null || value === undefined ? "" : String(value); }
  }

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === null || v === undefined) { return; }
      if (k === "text") { e.textContent = v; } else if (k === "class") { e.className = v; } else { e.setAttribute(k, v); }
    });
    (children || []).forEach(c => e.append(c));
    return e;
  }

  function duration(seconds) {
    if (!isFinite(seconds) || seconds < 0) { return "–"; }
    seconds = Math.round(seconds);
    if (seconds < 60) { return seconds + " s"; }
    if (seconds < 3600) { return Math.floor(seconds / 60) + " min " + seconds % 60 + " s"; }
    return Math.floor(seconds / 3600) + " h " + Math.floor(seconds % 3600 / 60) + " min";
  }

  function time(iso) {
    return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z").replace("Z", " UTC") : "";
  }

  /** Resolves true when the user confirms in the page's dialog (keyboard: Tab to a button, Enter; Esc cancels). */
  function confirm(message) {
    const dialog = document.getElementById("confirm");
    document.getElementById("confirm-text").textContent = message;
    return new Promise(resolve => {
      dialog.returnValue = "";
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
      dialog.showModal();
      document.getElementById("confirm-ok").focus();
    });
  }

  return { call, describeError, text, el, duration, time, confirm };
})();
