"""Accessibility checks with axe-core in the real browser.

axe-core comes from the npm registry (`package.json`, installed by `make test` into
node_modules). Its source is evaluated through Playwright, which goes through the browser's
debugging protocol and so is not blocked by the page's Content-Security-Policy; the page
itself is tested exactly as served.
"""

from functools import cache
from pathlib import Path

import pytest

from tests.e2e.conftest import in_ci

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SEVERE = ("serious", "critical")


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def severe_violations(page) -> list[str]:
    """The serious and critical axe-core violations of the page as it is now, described."""
    if not AXE.exists():
        reason = f"{AXE} is missing (make test installs it with npm ci)"
        if in_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    found = page.evaluate(
        """async () => {
            const result = await window.axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }));
        }"""
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['targets'])}"
        for v in found
        if v["impact"] in SEVERE
    ]
