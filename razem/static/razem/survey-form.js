/* Skip logic for the survey form: hides the questions that do not apply.
 *
 * Each question that has a `relevant` expression carries it in data-relevant as a
 * small JSON tree written by razem/surveys/collect_form.py (expression_json). This
 * file evaluates it with the rules of razem/surveys/expressions.py, in form order,
 * counting only the answers of questions that are shown, as the server does. The
 * server remains the judge: it drops answers to questions that do not apply. The form
 * works without this script (every question is shown with a note saying when it
 * applies). No inline code: the strict CSP allows only this static file.
 */
(function () {
  "use strict";

  var NUMERIC = /^\s*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*$/;

  function numeric(value) {
    if (typeof value === "boolean") return value ? 1 : 0;
    if (typeof value === "number") return value;
    return NUMERIC.test(value) ? parseFloat(value) : null;
  }

  function toNumber(value) {
    var number = numeric(value);
    return number === null ? NaN : number;
  }

  function toBoolean(value) {
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return !(value === 0 || isNaN(value));
    return value !== "";
  }

  function numberText(value) {
    if (isNaN(value)) return "NaN";
    if (!isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return String(value);
  }

  function toText(value) {
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "number") return numberText(value);
    return value;
  }

  function order(op, left, right) {
    switch (op) {
      case "=": return left === right;
      case "!=": return left !== right;
      case "<": return left < right;
      case "<=": return left <= right;
      case ">": return left > right;
      default: return left >= right;
    }
  }

  function compare(op, left, right) {
    if (typeof left === "boolean" || typeof right === "boolean") {
      if (op === "=" || op === "!=") return order(op, toBoolean(left), toBoolean(right));
      return order(op, toBoolean(left) ? 1 : 0, toBoolean(right) ? 1 : 0);
    }
    var l = numeric(left);
    var r = numeric(right);
    if (l !== null && r !== null) return order(op, l, r);
    if (l !== null || r !== null) return op === "!=";
    return order(op, left, right);
  }

  function arithmetic(op, left, right) {
    switch (op) {
      case "+": return left + right;
      case "-": return left - right;
      case "*": return left * right;
      case "div": return left / right;
      default:
        if (right === 0 || !isFinite(left) || isNaN(right)) return NaN;
        return left % right;
    }
  }

  function regexMatches(text, pattern) {
    if (pattern.length > 200) return false;
    try {
      return new RegExp("^(?:" + pattern + ")$").test(text);
    } catch (error) {
      return false;
    }
  }

  function evaluate(node, answers) {
    switch (node[0]) {
      case "n": return node[1];
      case "s": return node[1];
      case "r": return Object.prototype.hasOwnProperty.call(answers, node[1]) ? answers[node[1]] : "";
      case ".": return "";
      case "neg": return -toNumber(evaluate(node[1], answers));
      case "op": {
        var op = node[1];
        if (op === "or") return toBoolean(evaluate(node[2], answers)) || toBoolean(evaluate(node[3], answers));
        if (op === "and") return toBoolean(evaluate(node[2], answers)) && toBoolean(evaluate(node[3], answers));
        var left = evaluate(node[2], answers);
        var right = evaluate(node[3], answers);
        if (["=", "!=", "<", "<=", ">", ">="].indexOf(op) >= 0) return compare(op, left, right);
        return arithmetic(op, toNumber(left), toNumber(right));
      }
      case "f": {
        var args = node.slice(2).map(function (arg) { return evaluate(arg, answers); });
        switch (node[1]) {
          case "not": return !toBoolean(args[0]);
          case "selected":
            return toText(args[0]).split(/\s+/).indexOf(toText(args[1]).trim()) >= 0;
          case "count-selected":
            return toText(args[0]).split(/\s+/).filter(Boolean).length;
          case "string-length": return toText(args[0]).length;
          case "regex": return regexMatches(toText(args[0]), toText(args[1]));
        }
      }
    }
    throw new Error("unknown expression node");
  }

  function checkedValues(container, name) {
    return Array.prototype.filter.call(container.querySelectorAll("input"), function (input) {
      return input.name === name && input.checked;
    }).map(function (input) { return input.value; });
  }

  function controlValue(container, name) {
    var control = Array.prototype.find.call(
      container.querySelectorAll("select, textarea, input[type=text]"),
      function (element) { return element.name === name; }
    );
    return control ? control.value : "";
  }

  // The answers of one shown question, in the text form the server stores.
  function readAnswers(container, answers) {
    var widget = container.getAttribute("data-widget");
    var names = (container.getAttribute("data-answer-names") || "").split(" ").filter(Boolean);
    names.forEach(function (name) {
      var value = "";
      if (widget === "multiple") {
        value = checkedValues(container, name).join(" ");
      } else if (widget === "choice" || widget === "matrix") {
        value = checkedValues(container, name)[0] || controlValue(container, name);
      } else if (widget === "ranking") {
        var ranked = Array.prototype.filter.call(container.querySelectorAll("select"), function (select) {
          return select.name.indexOf(name + ":") === 0 && select.value !== "";
        });
        ranked.sort(function (a, b) { return Number(a.value) - Number(b.value); });
        value = ranked.map(function (select) { return select.name.slice(name.length + 1); }).join(" ");
      } else {
        value = controlValue(container, name).trim();
        var numeric = container.querySelector("input[inputmode]");
        if (numeric) value = value.replace(/[\s\u00a0]/g, "").replace(",", ".");
        else if (widget === "input") value = value.replace(/\s+/g, " ");
      }
      if (value !== "") answers[name] = value;
    });
  }

  function update(form, live) {
    var answers = {};
    var appeared = 0;
    form.querySelectorAll(".survey-question[data-answer-names]").forEach(function (container) {
      var tree = container.getAttribute("data-relevant");
      var shown = true;
      if (tree) {
        try {
          shown = toBoolean(evaluate(JSON.parse(tree), answers));
        } catch (error) {
          shown = true; // when in doubt, ask: the server decides
        }
      }
      // A question the server reported an error for stays in view.
      if (container.classList.contains("field-error")) shown = true;
      if (shown && container.hidden) appeared += 1;
      container.hidden = !shown;
      if (shown) readAnswers(container, answers);
    });
    if (live && appeared > 0) {
      live.textContent = "";
      live.textContent = form.getAttribute("data-appeared-message") || "";
    }
  }

  function start(form) {
    var live = form.querySelector(".survey-live");
    form.classList.add("skip-logic-live");
    update(form, null);
    form.addEventListener("change", function () { update(form, live); });
    form.addEventListener("input", function () { update(form, live); });
  }

  document.querySelectorAll("form[data-survey-form]").forEach(start);

  // After an invalid post, start at the list of problems (it links to each field).
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
