// The new-run form: posts the Map state (with Input when given) and shows the 400's problems beside the fields
// they name (Input and its sub-fields beside the Input box, all others beside the Map state).
"use strict";
(function () {
  const form = document.getElementById("new-run");
  const definition = document.getElementById("definition");
  const input = document.getElementById("input");
  const definitionProblems = document.getElementById("definition-problems");
  const inputProblems = document.getElementById("input-problems");
  const result = document.getElementById("form-result");

  function problem(field, reason) {
    const li = dmap.el("li", { "data-field": field || "" });
    if (field) { li.append(dmap.el("code", { text: field }), ": "); }
    li.append(reason);
    return li;
  }

  function show(problems) {
    definitionProblems.replaceChildren();
    inputProblems.replaceChildren();
    problems.forEach(p => {
      const forInput = p.field === "Input" || (p.field || "").startsWith("Input.") || (p.field || "").startsWith("Input[");
      (forInput ? inputProblems : definitionProblems).append(problem(p.field, p.reason));
    });
    definition.setAttribute("aria-invalid", String(definitionProblems.children.length > 0));
    input.setAttribute("aria-invalid", String(inputProblems.children.length > 0));
    if (definitionProblems.children.length) { definition.focus(); } else if (inputProblems.children.length) { input.focus(); }
  }

  function parse(text, field) {
    try {
      return { value: JSON.parse(text) };
    } catch (e) {
      return { problem: { field: field, reason: "is not valid JSON: " + e.message } };
    }
  }

  form.addEventListener("submit", async e => {
    e.preventDefault();
    dmap.text(result, "");
    let body = definition.value;
    if (input.value.trim() !== "") {
      const parsedInput = parse(input.value, "Input");
      const parsedDefinition = parse(definition.value, "(Map state)");
      const problems = [parsedInput.problem, parsedDefinition.problem].filter(Boolean);
      if (problems.length) { show(problems); return; }
      if (parsedDefinition.value === null || typeof parsedDefinition.value !== "object" || Array.isArray(parsedDefinition.value)) {
        show([{ field: "(Map state)", reason: "must be a JSON object" }]);
        return;
      }
      parsedDefinition.value.Input = parsedInput.value;
      body = JSON.stringify(parsedDefinition.value);
    }
    const button = document.getElementById("start");
    button.disabled = true;
    try {
      const answer = await dmap.call("POST", "/map-runs", body);
      if (answer.ok && answer.body && answer.body.mapRunId) {
        show([]);
        dmap.text(result, "Started map run " + answer.body.mapRunId + "…");
        window.location.assign("/runs/" + encodeURIComponent(answer.body.mapRunId));
        return;
      }
      const b = answer.body || {};
      const problems = b.problems && b.problems.length ? b.problems
        : [{ field: b.field || null, reason: b.message || dmap.describeError(answer) }];
      show(problems);
      dmap.text(result, dmap.describeError(answer));
    } catch (err) {
      dmap.text(result, "The planner did not answer: " + err.message);
    } finally {
      button.disabled = false;
    }
  });
})();
