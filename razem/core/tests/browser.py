"""Helpers for the browser tests: Debian's Chromium through Playwright, axe-core, CSP checks.

Playwright drives the Chromium that Debian installs at /usr/bin/chromium (no
browser download). axe-core comes from npm (`npm ci`, pinned in
package-lock.json) and is injected into pages only in a context created with
``bypass_csp=True``; every CSP assertion runs in a normal context.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}

TERC = "teryt/TERC_2020-01-01.csv"
PARTNERSHIP_BOUNDARIES = "boundaries/partnership_16_units_wgs84.geojson"
MEMBER_FILL = "#1f5f8b"  # the colour of member gminas in razem.territory.maps.map_spec

# Records every CSP violation the page reports, from before its first script runs.
# (Init scripts are injected by the DevTools protocol, not subject to the page's CSP.)
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile + ":" + event.lineNumber,
    sample: event.sample,
  });
});
"""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_chromium() -> None:
    """Skip without Chromium on a developer's machine; in CI its absence is a failure."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: apt-get install chromium"
    if in_ci():
        pytest.fail(message + " (CI=true: the browser tests must run)")
    pytest.skip(message)


def require_axe() -> Path:
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} not found: run `npm ci` in {settings.BASE_DIR} (make test does)")
    return AXE_JS


@dataclass
class DemoData:
    with_boundaries: bool
    with_register: bool


def load_demo_data() -> DemoData:
    """The demo partnerships and users; the register and boundaries when the data pack is there.

    With the pack: the whole TERC register (~2.9k units) and all gmina shapes, so the map
    shows the members among their neighbours. Without it: the demo units only, no map shapes.
    """
    data_dir = Path(settings.RAZEM_DATA_DIR)
    out = io.StringIO()
    if (data_dir / TERC).is_file():
        call_command("load_demo", data_dir=data_dir, stdout=out)
        return DemoData(with_boundaries=(data_dir / PARTNERSHIP_BOUNDARIES).is_file(),
                        with_register=True)
    call_command("load_demo", data_dir=data_dir / "nonexistent", stdout=out)
    return DemoData(with_boundaries=False, with_register=False)


@dataclass
class PageWatch:
    """Console errors, uncaught exceptions and CSP violations of one page."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach(self, page) -> PageWatch:
        page.add_init_script(CSP_RECORDER)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        return self

    def _on_console(self, message) -> None:
        if message.type == "error":
            location = message.location.get("url", "") if message.location else ""
            self.console_errors.append(f"{message.text} ({location})")

    def csp_violations(self, page) -> list[Any]:
        reported = page.evaluate("window.__cspViolations || []")
        logged = [m for m in self.console_errors if "Content Security Policy" in m]
        return reported + logged


def new_context(browser, *, bypass_csp: bool = False, viewport: dict | None = None,
                locale: str = "pl-PL"):
    context = browser.new_context(
        bypass_csp=bypass_csp, viewport=viewport or DESKTOP, locale=locale,
        reduced_motion="reduce",
    )
    # The site has no favicon; keep its 404 out of the console.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    context.set_default_timeout(15_000)
    return context


@contextmanager
def open_context(browser, **kwargs) -> Iterator[Any]:
    context = new_context(browser, **kwargs)
    try:
        yield context
    finally:
        context.close()


def wait_for_charts(page) -> None:
    """Every chart container on the page has finished drawing (or failed)."""
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-spec-id], [data-vega-spec]")]
             .every((el) => ["ready", "failed"].includes(el.getAttribute("data-chart-state")))"""
    )


def map_summary(page, selector: str = ".vega-map") -> dict[str, Any]:
    return page.evaluate(
        """([selector, memberFill]) => {
             const el = document.querySelector(selector);
             if (!el) return null;
             const svg = el.querySelector("svg");
             const shapes = [...el.querySelectorAll(".mark-shape path")];
             return {
               state: el.getAttribute("data-chart-state"),
               svg: !!svg,
               svgHidden: svg ? svg.getAttribute("aria-hidden") : null,
               shapes: shapes.length,
               members: shapes.filter((p) => p.getAttribute("fill") === memberFill
                                             && (p.getAttribute("d") || "").length > 0).length,
               styleElements: document.querySelectorAll("style").length,
             };
           }""",
        [selector, MEMBER_FILL],
    )


def run_axe(page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations of WCAG 2.1 A/AA on the current page.

    The page must belong to a context created with bypass_csp=True (axe is injected
    as a script the policy would refuse).
    """
    page.add_script_tag(path=str(require_axe()))
    result = page.evaluate(
        """(tags) => axe.run(document, {
             runOnly: {type: "tag", values: tags},
             resultTypes: ["violations"],
           })""",
        AXE_TAGS,
    )
    return [v for v in result["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} serious/critical violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
                     f"({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_axe_clean(page) -> None:
    violations = run_axe(page)
    assert not violations, describe_violations(page.url, violations)


def horizontal_overflow(page) -> dict[str, int] | None:
    """The widths when the page scrolls sideways, or None when it does not."""
    widths = page.evaluate(
        """() => ({
             scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
             clientWidth: document.documentElement.clientWidth,
           })"""
    )
    return widths if widths["scrollWidth"] > widths["clientWidth"] else None


def wide_elements(page) -> list[str]:
    """Elements sticking out of the viewport on the right (to explain an overflow)."""
    return page.evaluate(
        """() => {
             const width = document.documentElement.clientWidth;
             return [...document.body.querySelectorAll("*")]
               .filter((el) => el.getBoundingClientRect().right > width + 1)
               .filter((el) => !el.closest(".table-scroll"))
               .slice(0, 10)
               .map((el) => {
                 const cls = (el.getAttribute("class") || "").trim();
                 return el.tagName.toLowerCase() + (cls ? "." + cls.split(/\\s+/).join(".") : "")
                   + " right=" + Math.round(el.getBoundingClientRect().right);
               });
           }"""
    )


def switch_language(page, code: str) -> None:
    """Use the header's language switch (a link, or a form's button), as a visitor would."""
    switch = page.locator(
        f'.language-form a[hreflang="{code}"], '
        f'.language-form button[name="language"][value="{code}"]'
    )
    with page.expect_navigation():
        switch.click()
    lang = page.evaluate("document.documentElement.lang")
    assert lang == code, f"after choosing {code!r} the page says lang={lang!r}"


def log_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(base_url + "/konto/logowanie/")
    page.fill('input[name="username"]', email)
    page.fill('input[name="password"]', password)
    with page.expect_navigation():
        page.locator("main form.stacked-form button[type=submit]").click()


@contextmanager
def launched_chromium() -> Iterator[Any]:
    """Headless Debian Chromium for one test module, with axe-core at hand."""
    require_chromium()
    require_axe()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, and Django
    # refuses database access from a thread with a running loop. The tests call the
    # ORM only between browser steps, never concurrently with it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
