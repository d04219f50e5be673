"""axe-core in the browser tests (issue 12 §10): every page a story looks at is checked for serious and critical
accessibility violations.

axe-core 4.12.1 comes from the PyPI wheel axe-playwright-python==0.1.8 (installed with `pip install --no-deps`; only
its bundled axe.min.js is used, injected into the Selenium page). `AuditingChrome` is a Selenium Chrome driver that
runs axe whenever the page it shows is one it has not checked yet: after `get`, and before any `find_element(s)`
(so a page reached by a click or a form is checked as soon as the story reads it). A page is "the same" when its
path (numbers and ids replaced by N), language, offered actions (form[data-action]) and flash message class are;
a case page in another state is another page. Every serious or critical violation is a failing check naming the
rule, the element (its CSS selector) and the page; `summary()` prints the count per rule.

Set AXE_REPORT=FILE to write every violation found (all impacts) as JSON, for before/after figures.
"""
import json
import os

from selenium import webdriver

SERIOUS = ("serious", "critical")
_SOURCE = None
_CHECK = None
_SEEN_VIOLATIONS = set()
FOUND = []  # every violation: {"rule", "impact", "target", "page"}
PAGES = []  # every page key checked

SIGNATURE = """
var path = location.pathname.split('/').map(function (s) { return /\\d/.test(s) ? 'N' : s; }).join('/');
var lang = (new URLSearchParams(location.search)).get('lang') || document.documentElement.lang || '';
var actions = Array.prototype.map.call(document.querySelectorAll('form[data-action]'),
    function (f) { return f.getAttribute('data-action'); }).sort().join(',');
var flash = document.querySelector('.flash');
var rest = (new URLSearchParams(location.search));
rest.delete('lang');
var keys = Array.from(rest.keys()).sort().join(',');
return document.readyState === 'complete'
    ? path + '?' + keys + ' [' + lang + '] {' + actions + '}' + (flash ? ' ' + flash.className : '') : null;
"""

RUN = """
var done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  done(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(function (n) { return {target: n.target.join(' '), impact: n.impact,
                                                      html: n.html.slice(0, 160)}; })};
  }));
}).catch(function (e) { done({error: String(e)}); });
"""


def source():
    global _SOURCE
    if _SOURCE is None:
        import axe_playwright_python
        path = os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js")
        with open(path, encoding="utf-8") as handle:
            _SOURCE = handle.read()
    return _SOURCE


def configure(check):
    """Records violations through `check(condition, message)` (console_browser.check)."""
    global _CHECK
    _CHECK = check


def scan(driver, page=None):
    """Runs axe on the current page now; records each serious/critical violation as a failing check. Returns the
    violations (all impacts), or None when the page could not be checked (it was being replaced)."""
    page = page or driver.current_url
    try:
        if not driver.execute_script("return typeof axe !== 'undefined'"):
            driver.execute_script(source())
        driver.set_script_timeout(30)
        result = driver.execute_async_script(RUN)
    except Exception:
        return None
    if isinstance(result, dict):
        return None
    serious = 0
    for violation in result:
        for node in violation["nodes"]:
            impact = node.get("impact") or violation["impact"]
            FOUND.append({"rule": violation["id"], "impact": impact, "target": node["target"], "page": page})
            if impact not in SERIOUS:
                continue
            key = (violation["id"], node["target"], page)
            if key in _SEEN_VIOLATIONS:
                continue
            _SEEN_VIOLATIONS.add(key)
            serious += 1
            if _CHECK:
                _CHECK(False, f"axe {impact} {violation['id']} ({violation['help']}) on {page}: "
                              f"{node['target']} {node['html']}")
    if _CHECK and serious == 0:
        print(f"ok   axe: no serious or critical violation on {page}")
    _write_report()
    return result


def _write_report():
    path = os.environ.get("AXE_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"pages": PAGES, "violations": FOUND}, handle, ensure_ascii=False, indent=1)


class AuditingChrome(webdriver.Chrome):
    """A Chrome driver that runs axe on every new page it shows (see the module docstring)."""

    _auditing = False

    def audit(self):
        if self._auditing:
            return
        self._auditing = True
        try:
            key = self.execute_script(SIGNATURE)
            if key is None or key in PAGES:
                return
            if scan(self, key) is not None:
                PAGES.append(key)
        except Exception:
            pass
        finally:
            self._auditing = False

    def get(self, url):
        super().get(url)
        self.audit()

    def find_element(self, by="id", value=None):
        self.audit()
        return super().find_element(by, value)

    def find_elements(self, by="id", value=None):
        self.audit()
        return super().find_elements(by, value)


def summary():
    """Prints the pages checked and the serious/critical violations per rule; returns their count."""
    per_rule = {}
    for found in FOUND:
        if found["impact"] in SERIOUS:
            per_rule.setdefault(found["rule"], set()).add((found["target"], found["page"]))
    _write_report()
    print(f"axe: {len(PAGES)} page(s) checked; serious/critical violations: "
          + (", ".join(f"{rule} {len(nodes)}" for rule, nodes in sorted(per_rule.items())) or "none"))
    return sum(len(nodes) for nodes in per_rule.values())

