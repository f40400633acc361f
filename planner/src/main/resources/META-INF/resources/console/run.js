// The map run page: live progress from the run's server-sent events, rate, ETA and a chart computed from the
// snapshots, the child executions and failures from the executions API, the actions, and the result files.
"use strict";
(function () {
  const root = document.getElementById("run");
  const id = root.dataset.id;
  const api = "/map-runs/" + encodeURIComponent(id);
  const samples = []; // {t (ms), done, failed}
  let current = null;
  let events = null;

  function done(c) { return c.succeeded + c.failed + c.timedOut + c.aborted; }
  function failed(c) { return c.failed + c.timedOut + c.aborted; }

  function render(s) {
    current = s;
    const status = document.getElementById("status");
    dmap.text(status, s.status);
    status.className = "badge status-" + s.status.toLowerCase();
    root.dataset.status = s.status;
    root.dataset.terminal = String(s.status !== "RUNNING");
    document.title = (s.label || s.name || "Map") + " " + s.status + " · dmap console";
    const items = s.itemCounts || {};
    const percent = items.total > 0 ? Math.min(100, Math.floor(done(items) * 100 / items.total))
      : (s.status === "SUCCEEDED" ? 100 : 0);
    const bar = document.getElementById("bar");
    bar.setAttribute("aria-valuenow", String(percent));
    bar.firstElementChild.style.width = percent + "%";
    dmap.text(document.getElementById("percent"), percent + " %");
    dmap.text(document.getElementById("phase"), s.phase);
    dmap.text(document.getElementById("stopping"), s.stopping && s.status === "RUNNING" ? "· stopping" : "");
    ["itemCounts", "executionCounts"].forEach(kind => {
      const row = document.querySelector('[data-counts="' + kind + '"]');
      const counts = s[kind] || {};
      row.querySelectorAll("[data-c]").forEach(td => dmap.text(td, counts[td.dataset.c] ?? 0));
    });
    const failure = document.getElementById("failure");
    failure.hidden = !s.error;
    dmap.text(document.getElementById("error"), s.error);
    dmap.text(document.getElementById("cause"), s.cause);
    const start = s.startDate ? Date.parse(s.startDate) : NaN;
    const end = s.stopDate ? Date.parse(s.stopDate) : Date.now();
    dmap.text(document.getElementById("duration"), dmap.duration((end - start) / 1000));
    sample(items);
    updateActions(s);
  }

  function sample(items) {
    const now = Date.now();
    const last = samples[samples.length - 1];
    if (!last || now - last.t >= 250 || last.done !== done(items)) {
      samples.push({ t: now, done: done(items), failed: failed(items) });
      if (samples.length > 600) { samples.shift(); }
    }
    rateAndEta(items); // also for a snapshot that adds no sample: the status may have changed
    draw();
  }

  /** Items/s over the last 10 s of snapshots; ETA from the items not yet done. */
  function rateAndEta(items) {
    const now = Date.now();
    const recent = samples.filter(p => now - p.t <= 10000);
    let rate = NaN;
    if (recent.length >= 2) {
      const a = recent[0], b = recent[recent.length - 1];
      rate = (b.done - a.done) / Math.max(0.001, (b.t - a.t) / 1000);
    }
    const running = current && current.status === "RUNNING";
    dmap.text(document.getElementById("rate"), isFinite(rate) ? rate.toFixed(1) + " items/s" : "–");
    const left = (items.total || 0) - done(items);
    dmap.text(document.getElementById("eta"), !running ? "–" : left <= 0 ? "writing results"
      : rate > 0 ? dmap.duration(left / rate) : "–");
  }

  function draw() {
    const canvas = document.getElementById("chart");
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 600, height = canvas.clientHeight || 160;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    const g = canvas.getContext("2d");
    g.scale(ratio, ratio);
    g.clearRect(0, 0, width, height);
    if (samples.length < 2) {
      g.fillStyle = "#57606a";
      g.font = "13px system-ui, sans-serif";
      g.fillText(current && current.status !== "RUNNING" ? "the run had ended when this page opened"
        : "waiting for progress…", 10, 20);
      return;
    }
    // one point a second: the items (and failed items) that ended in that second; snapshots come in bursts, so
    // the rate between two of them says little
    const first = samples[0].t;
    const bySecond = new Map();
    samples.forEach(p => bySecond.set(Math.floor((p.t - first) / 1000), p));
    const points = [];
    let previous = samples[0];
    [...bySecond.keys()].sort((a, b) => a - b).forEach(second => {
      const p = bySecond.get(second);
      if (second > 0) {
        points.push({ t: first + second * 1000, rate: Math.max(0, p.done - previous.done), failed: Math.max(0, p.failed - previous.failed) });
      }
      previous = p;
    });
    if (points.length < 1) { return; }
    const t0 = first, t1 = Math.max(first + 1000, points[points.length - 1].t);
    const maxRate = Math.max(1, ...points.map(p => p.rate));
    const maxFailed = Math.max(1, ...points.map(p => p.failed));
    const x = t => 30 + (width - 40) * (t1 === t0 ? 1 : (t - t0) / (t1 - t0));
    g.strokeStyle = "#d0d7de";
    g.beginPath(); g.moveTo(30, height - 20); g.lineTo(width - 10, height - 20); g.stroke();
    g.fillStyle = "#cf222e";
    points.forEach(p => {
      if (p.failed > 0) {
        const h = (height - 40) * p.failed / maxFailed;
        g.fillRect(x(p.t) - 2, height - 20 - h, 4, h);
      }
    });
    g.strokeStyle = "#0969da";
    g.lineWidth = 2;
    g.beginPath();
    points.forEach((p, i) => {
      const y = height - 20 - (height - 40) * p.rate / maxRate;
      if (i === 0) { g.moveTo(x(p.t), y); } else { g.lineTo(x(p.t), y); }
    });
    g.stroke();
    g.fillStyle = "#57606a";
    g.font = "12px system-ui, sans-serif";
    g.fillText(maxRate.toFixed(1) + " items/s", 34, 14);
    g.fillText(dmap.duration((t1 - t0) / 1000), width - 70, height - 5);
  }

  // the action buttons stay enabled whatever the status: the API says why when it refuses
  function updateActions(s) {
    if (s.status !== "RUNNING") { loadResults(); }
  }

  // ---- live updates --------------------------------------------------------------------------------------------
  function follow() {
    if (events) { return; }
    events = new EventSource(api + "/events");
    events.onmessage = e => {
      const s = JSON.parse(e.data);
      render(s);
      refreshExecutions();
      if (s.status !== "RUNNING") { stop(); } // the server ends the stream; EventSource would reconnect
    };
    events.onerror = () => {
      if (events && events.readyState === EventSource.CLOSED) { events = null; setTimeout(poll, 2000); }
    };
  }

  function stop() {
    if (events) { events.close(); events = null; }
  }

  async function poll() {
    const a = await dmap.call("GET", api);
    if (a.ok) {
      render(a.body);
      refreshExecutions();
      if (a.body.status === "RUNNING") { follow(); }
    }
  }

  // ---- child executions and failures ---------------------------------------------------------------------------
  let nextToken = null;
  let lastRefresh = 0;
  let refreshTimer = null;

  function refreshExecutions() {
    const wait = 2000 - (Date.now() - lastRefresh);
    if (refreshTimer) { return; }
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      lastRefresh = Date.now();
      if (!nextToken) { loadExecutions(false); } // do not pull a page the user is reading away from under them
      loadFailures();
    }, Math.max(0, wait));
  }

  async function loadExecutions(more) {
    const status = document.getElementById("execution-status").value;
    let url = api + "/executions?maxResults=25" + (status ? "&status=" + encodeURIComponent(status) : "");
    if (more && nextToken) { url += "&nextToken=" + encodeURIComponent(nextToken); }
    const a = await dmap.call("GET", url);
    const error = document.getElementById("executions-error");
    if (!a.ok) { dmap.text(error, dmap.describeError(a)); return; }
    dmap.text(error, "");
    const tbody = document.querySelector("#executions tbody");
    // a live refresh keeps what the reader opened, and the keyboard where it was
    const open = new Set([...tbody.querySelectorAll("details[open]")].map(d => d.dataset.batch));
    const focused = tbody.contains(document.activeElement) && document.activeElement.closest("details")
      ? document.activeElement.closest("details").dataset.batch : null;
    if (!more) { tbody.replaceChildren(); }
    a.body.executions.forEach(e => {
      const row = executionRow(e);
      const details = row.querySelector("details");
      if (open.has(details.dataset.batch)) { details.open = true; }
      tbody.append(row);
      if (focused === details.dataset.batch) { details.querySelector("summary").focus(); }
    });
    if (!tbody.children.length) {
      tbody.append(dmap.el("tr", {}, [dmap.el("td", { colspan: "8", class: "empty",
        text: "No child executions" + (status ? " with status " + status : "") + " yet." })]));
    }
    nextToken = a.body.nextToken || null;
    document.getElementById("executions-more").hidden = !nextToken;
  }

  function executionRow(e) {
    const io = dmap.el("details", { "data-batch": String(e.batchIndex) }, [
      dmap.el("summary", { text: "Batch " + e.batchIndex }),
      dmap.el("h3", { class: "small", text: "Input" }),
      dmap.el("pre", { class: "json", text: e.input === null || e.input === undefined
        ? (e.inputRef ? "in S3: " + JSON.stringify(e.inputRef) : "—") : JSON.stringify(e.input, null, 2) }),
      dmap.el("h3", { class: "small", text: "Output" }),
      dmap.el("pre", { class: "json", text: e.output === null || e.output === undefined
        ? (e.outputRef ? "in S3: " + JSON.stringify(e.outputRef) : "—") : JSON.stringify(e.output, null, 2) })
    ]);
    return dmap.el("tr", { "data-execution": String(e.batchIndex), "data-status": e.status }, [
      dmap.el("td", { class: "num", text: String(e.batchIndex) }),
      dmap.el("td", {}, [dmap.el("span", { class: "badge status-" + e.status.toLowerCase(), text: e.status })]),
      dmap.el("td", { class: "num", text: String(e.itemCount) }),
      dmap.el("td", { text: dmap.time(e.startDate) }),
      dmap.el("td", { text: dmap.time(e.stopDate) }),
      dmap.el("td", { class: "mono", "data-field": "error", text: e.error || "" }),
      dmap.el("td", { "data-field": "cause", text: e.cause || "" }),
      dmap.el("td", {}, [io])
    ]);
  }

  async function loadFailures() {
    const a = await dmap.call("GET", api + "/failures");
    const tbody = document.querySelector("#failures tbody");
    if (!a.ok) { return; }
    tbody.replaceChildren();
    a.body.failures.forEach(f => tbody.append(dmap.el("tr", { "data-error": f.error }, [
      dmap.el("td", { class: "mono", text: f.error }),
      dmap.el("td", { class: "num", text: String(f.executions) }),
      dmap.el("td", { class: "num", text: String(f.items) }),
      dmap.el("td", { text: f.exampleCause || "" })
    ])));
    if (!a.body.failures.length) {
      tbody.append(dmap.el("tr", {}, [dmap.el("td", { colspan: "4", class: "empty", text: "No failures." })]));
    }
  }

  document.getElementById("executions-filter").addEventListener("submit", e => {
    e.preventDefault();
    nextToken = null;
    loadExecutions(false);
  });
  document.getElementById("executions-more").addEventListener("click", () => loadExecutions(true));

  // ---- result files --------------------------------------------------------------------------------------------
  let resultsLoaded = false;
  async function loadResults() {
    if (resultsLoaded) { return; }
    resultsLoaded = true;
    const note = document.getElementById("results-note");
    const list = document.getElementById("results");
    const a = await dmap.call("GET", api + "/results");
    if (!a.ok) { dmap.text(note, a.status === 404 ? (a.body && a.body.message) || "No result files." : dmap.describeError(a)); return; }
    dmap.text(note, "s3://" + a.body.bucket + "/ — downloaded through the planner.");
    list.replaceChildren(dmap.el("li", {}, [dmap.el("a", { href: a.body.manifest.href, download: "", text: a.body.manifest.key }),
      dmap.el("span", { class: "muted", text: " manifest" })]));
    a.body.files.forEach(f => list.append(dmap.el("li", { "data-category": f.category }, [
      dmap.el("a", { href: f.href, download: "", text: f.key }),
      dmap.el("span", { class: "muted", text: " " + f.category + ", " + f.size + " bytes" })])));
  }

  // ---- actions -------------------------------------------------------------------------------------------------
  const result = document.getElementById("action-result");
  function report(answer, okText) {
    result.classList.toggle("refused", !answer.ok);
    dmap.text(result, answer.ok ? okText : "Refused: " + dmap.describeError(answer));
  }

  async function act(button, method, path, body, okText) {
    if (!(await dmap.confirm(button.dataset.confirm))) { button.focus(); return; }
    const answer = await dmap.call(method, api + path, body);
    report(answer, okText);
    button.focus();
    if (answer.ok) { resultsLoaded = false; setTimeout(poll, 500); }
  }

  const abort = document.getElementById("abort");
  abort.addEventListener("click", () => act(abort, "POST", "/abort", "", "Abort requested."));
  const redrive = document.getElementById("redrive");
  redrive.addEventListener("click", () => act(redrive, "POST", "/redrive", "", "Redrive requested."));
  const update = document.getElementById("update");
  update.addEventListener("submit", e => {
    e.preventDefault();
    const body = {};
    ["toleratedFailureCount", "toleratedFailurePercentage", "maxConcurrency"].forEach(name => {
      const value = update.elements[name].value.trim();
      if (value !== "") { body[name] = Number(value); }
    });
    act(update.querySelector("button[type=submit]"), "PATCH", "", body, "Update requested: " + JSON.stringify(body));
  });

  // ---- start ---------------------------------------------------------------------------------------------------
  poll();
  // a sample a second while running, so that the rate falls when nothing moves
  setInterval(() => { if (current && current.status === "RUNNING") { sample(current.itemCounts || {}); } }, 1000);
})();
