// The map runs list: its rows are fetched again every 2 s (server-rendered rows), while the tab is visible.
"use strict";
(function () {
  const rows = document.getElementById("runs-rows");
  if (!rows) { return; }
  async function refresh() {
    if (document.visibilityState !== "visible" || rows.contains(document.activeElement)) {
      return; // hidden, or the keyboard is on a row: do not pull it away
    }
    try {
      const response = await fetch(rows.dataset.refresh, { headers: { "Accept": "text/html" } });
      if (response.ok) {
        const html = await response.text();
        if (html.trim() !== rows.innerHTML.trim()) { rows.innerHTML = html; }
      }
    } catch (e) {
      // the planner restarting: the next refresh tries again
    }
  }
  setInterval(refresh, 2000);
})();
