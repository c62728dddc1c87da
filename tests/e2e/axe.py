"""WCAG 2.1 AA checks of a page with axe-core (vendored from npm, see vendor/README.md)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Page) -> list[str]:
    """Every WCAG 2.1 A/AA rule the page breaks, one line per rule with the elements."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's CSP (scripts from this site
        # only) rightly refuses an injected <script>, and must not be loosened for a test.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))",
        WCAG_21_AA,
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}" for v in found]


def assert_accessible(page: Page) -> None:
    """Fail with the broken rules when axe-core finds any WCAG 2.1 AA violation."""
    broken = violations(page)
    assert not broken, f"{page.url}:\n" + "\n".join(broken)
