/*
 * Renders the Vega-Lite charts and maps of a page under a strict
 * Content-Security-Policy (script-src 'self'; style-src 'self'; no
 * 'unsafe-eval', no inline styles).
 *
 * Markup: a container names the json_script element that holds its spec,
 *
 *   <div class="vega-map" data-spec-id="partnership-map-spec" role="img"
 *        aria-label="…"></div>
 *   {{ spec|json_script:"partnership-map-spec" }}
 *
 * (`data-vega-spec="<id>"` is accepted as a synonym of `data-spec-id`).
 *
 * CSP: expressions are evaluated by the AST interpreter (vega-interpreter)
 * instead of code generated with new Function(); vega-embed and vega-tooltip
 * are told not to inject their <style> elements (the rules live in
 * razem.css); the SVG renderer sets styles only through the CSSOM, which the
 * policy allows.
 *
 * Accessibility: the container carries the accessible name (role="img" and
 * aria-label) and the same data is in a table beside it, so the drawing is
 * hidden from assistive technology. Vega is given a child element of its own
 * to draw into, because it rewrites the role and aria-label of the element it
 * draws into. The container's data-chart-state attribute is "loading",
 * "ready" or "failed" (the stylesheet and the browser tests use it).
 */
(function () {
  "use strict";

  var SELECTOR = "[data-spec-id], [data-vega-spec]";
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", ' +
    '"DejaVu Sans", Arial, sans-serif';
  // Defaults under each spec's own "config" (the spec wins where both say something).
  var CONFIG = {
    font: FONT,
    legend: {
      labelFontSize: 14, labelColor: "#1b1b1b", labelLimit: 0, titleFontSize: 14,
      symbolSize: 160, direction: "vertical"
    },
    axis: { labelFontSize: 13, titleFontSize: 14, labelColor: "#1b1b1b", titleColor: "#1b1b1b" },
    title: { fontSize: 16, color: "#1b1b1b" }
  };

  function readSpec(container) {
    var id = container.getAttribute("data-spec-id") || container.getAttribute("data-vega-spec");
    var source = id ? document.getElementById(id) : null;
    if (!source) {
      throw new Error("charts.js: no spec element with id " + JSON.stringify(id));
    }
    return JSON.parse(source.textContent);
  }

  function hideDrawing(container) {
    var svgs = container.querySelectorAll("svg");
    for (var i = 0; i < svgs.length; i++) {
      svgs[i].setAttribute("aria-hidden", "true");
      svgs[i].setAttribute("focusable", "false");
      svgs[i].removeAttribute("tabindex");
    }
  }

  function render(container) {
    if (container.getAttribute("data-chart-state")) {
      return; // already rendered (or being rendered)
    }
    container.setAttribute("data-chart-state", "loading");
    var spec;
    try {
      spec = readSpec(container);
    } catch (error) {
      container.setAttribute("data-chart-state", "failed");
      console.error(error);
      return;
    }
    var target = document.createElement("div");
    target.className = "vega-chart";
    target.setAttribute("aria-hidden", "true");
    container.appendChild(target);
    window.vegaEmbed(target, spec, {
      renderer: "svg",
      actions: false,
      // No <style> element from vega-embed or vega-tooltip: style-src 'self'.
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true },
      // Interpret expressions from their AST: no 'unsafe-eval' needed.
      ast: true,
      expr: window.vega.expressionInterpreter,
      logLevel: window.vega.Warn,
      // Legible text in the drawing: the page's fonts, legend labels of 14px.
      config: CONFIG
    }).then(function (result) {
      hideDrawing(container);
      // Vega redraws into the same <svg> on resize, but keep the attributes
      // in place should a future version replace the element.
      result.view.addResizeListener(function () { hideDrawing(container); });
      container.setAttribute("data-chart-state", "ready");
    }).catch(function (error) {
      container.setAttribute("data-chart-state", "failed");
      console.error("charts.js: the chart could not be drawn", error);
    });
  }

  function renderAll() {
    if (!window.vegaEmbed || !window.vega || !window.vega.expressionInterpreter) {
      console.error("charts.js: Vega, vega-interpreter and vega-embed must be loaded first");
      return;
    }
    var containers = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < containers.length; i++) {
      render(containers[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
