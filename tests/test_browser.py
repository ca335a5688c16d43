"""The reports in a real browser: headless Chromium driven over the DevTools protocol.

Chromium is started with ``--remote-debugging-pipe`` (commands on fd 3, replies on fd 4, each
message a JSON text ended by NUL), so only the standard library is needed. Each page must load
with no console error, no exception, no network request besides the file itself, our hashed CSS
and script accepted by the page's Content Security Policy, and must work with scripts off.
Screenshots and a PDF print go to the test's temp folder (set ``REPORT_SHOTS=/some/dir`` to keep
them for a look).
"""

from __future__ import annotations

import base64
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from report_factory import hostile_result, independent_result, sample_result, unreadable_result

from contract_audit.report import output_names, write_document_html, write_index_html

RULES = "r-test01"
WHEN = "2026-11-26T08:30:00Z"


def chromium_binary() -> str | None:
    for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        if name and (found := shutil.which(name)):
            return found
    return None


class CDPError(RuntimeError):
    pass


class Browser:
    """A headless Chromium and one page, spoken to over the DevTools pipe."""

    FLAGS = (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--mute-audio",
        "--remote-debugging-pipe",
    )

    def __init__(self, binary: str, profile: Path) -> None:
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        child_in, child_out = to_chrome_r, from_chrome_w

        def wire() -> None:  # runs in the child: fd 3 = commands in, fd 4 = replies out
            a, b = os.dup(child_in), os.dup(child_out)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [binary, *self.FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,  # our other fds are non-inheritable (PEP 446); 3 and 4 must pass
            preexec_fn=wire,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._out = os.fdopen(to_chrome_w, "wb", buffering=0)
        self._in = os.fdopen(from_chrome_r, "rb", buffering=0)
        self._messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")

    def _read(self) -> None:
        buffer = b""
        while chunk := self._in.read(65536):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                self._messages.put(json.loads(raw))

    def call(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._out.write(json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._messages.get(timeout=max(0.01, deadline - time.monotonic()))
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def send(self, method: str, params: dict | None = None) -> dict[str, Any]:
        """A command to the page's session."""
        return self.call(method, params, self.session)

    def wait_for(self, event: str, since: int = 0, timeout: float = 30.0) -> dict[str, Any]:
        """The first ``event`` at or after index ``since`` of :attr:`events` (it may already
        have arrived while a command was waiting for its reply)."""
        deadline = time.monotonic() + timeout
        while True:
            for e in self.events[since:]:
                if e.get("method") == event:
                    return e
            since = len(self.events)
            reply = self._messages.get(timeout=max(0.01, deadline - time.monotonic()))
            if "method" in reply:
                self.events.append(reply)

    def open(
        self,
        path: Path,
        *,
        width: int = 1280,
        height: int = 2000,
        mobile: bool = False,
        scripts: bool = True,
    ) -> None:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )
        self.send("Emulation.setScriptExecutionDisabled", {"value": not scripts})
        self.events.clear()
        self.send("Page.navigate", {"url": path.resolve().as_uri()})
        self.wait_for("Page.loadEventFired", since=0)
        self.send("Runtime.evaluate", {"expression": "1"})  # let queued console events arrive

    def evaluate(self, expression: str) -> Any:
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in reply:
            raise CDPError(f"{expression}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def problems(self, page: Path) -> list[str]:
        """Console errors/warnings, exceptions, dialogs and any request but the page itself."""
        url = page.resolve().as_uri()
        out = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Network.requestWillBeSent" and p["request"]["url"] != url:
                out.append(f"request: {p['request']['url']}")
            elif m == "Runtime.consoleAPICalled" and p.get("type") in (
                "error",
                "warning",
                "assert",
            ):
                out.append(f"console.{p['type']}: {p.get('args')}")
            elif m == "Runtime.exceptionThrown":
                out.append(f"exception: {p['exceptionDetails']}")
            elif m == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
                out.append(f"log {p['entry']['level']}: {p['entry'].get('text')}")
            elif m == "Page.javascriptDialogOpening":
                out.append(f"dialog: {p.get('message')}")
        return out

    def requests(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def screenshot(self, path: Path, *, full: bool = True) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full:
            size = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params |= {
                "captureBeyondViewport": True,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": size["width"],
                    "height": min(size["height"], 12000),
                    "scale": 1,
                },
            }
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", params)["data"]))
        return path

    def pdf(self, path: Path) -> Path:
        data = self.send("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})
        path.write_bytes(base64.b64decode(data["data"]))
        return path

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except (CDPError, queue.Empty, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for f in (self._out, self._in):
            f.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    binary = chromium_binary()
    if binary is None:
        pytest.skip("no chromium binary on PATH (install Debian's chromium, as .ci/run does)")
    b = Browser(binary, tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """A batch written the way ``scan`` writes it: one page per document and an index."""
    out = tmp_path_factory.mktemp("reports")
    results = [sample_result(), independent_result(), unreadable_result(), hostile_result()]
    names = output_names(r.path for r in results)
    pages = {}
    for r in results:
        pages[r.path] = write_document_html(
            r, out / f"{names[r.path]}.html", rules_version=RULES, generated_at=WHEN
        )
    links = {p: f"{n}.html" for p, n in names.items()}
    index = write_index_html(
        results, out / "index.html", rules_version=RULES, links=links, generated_at=WHEN
    )
    return index, pages


def shots_dir(tmp_path: Path) -> Path:
    keep = os.environ.get("REPORT_SHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        return Path(keep)
    return tmp_path


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_document_report_loads_clean_and_filters(browser: Browser, batch, tmp_path: Path) -> None:
    page = batch[1][sample_result().path]
    browser.open(page)
    assert browser.problems(page) == []
    assert browser.requests() == [page.resolve().as_uri()]  # the page itself, nothing else
    # The hashed style sheet applied (a wrong CSP hash would leave the badge unstyled) ...
    assert (
        browser.evaluate("getComputedStyle(document.querySelector('.badge.sev-high')).color")
        == "rgb(180, 35, 24)"
    )
    # ... and the hashed script ran: the filter form is revealed and counts the findings.
    assert browser.evaluate("document.getElementById('finding-filters').hidden") is False
    total = browser.evaluate("document.querySelectorAll('[data-finding]').length")
    highs = browser.evaluate(
        "document.querySelectorAll('[data-finding][data-severity=high]').length"
    )
    assert total == 9 and highs == 2
    browser.evaluate("document.querySelector('input[name=severity][value=high]').click()")
    shown = browser.evaluate("document.querySelectorAll('[data-finding]:not([hidden])').length")
    assert shown == total - highs
    assert browser.evaluate("document.getElementById('filter-status').textContent") == (
        f"Showing {total - highs} of {total} findings"
    )
    shots = shots_dir(tmp_path)
    browser.open(page)
    w, h = png_size(browser.screenshot(shots / "document-1280.png"))
    assert w == 1280 and h > 2000
    pdf = browser.pdf(shots / "document.pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    # Nothing overflows sideways at phone width.
    browser.open(page, width=390, height=844, mobile=True)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    browser.screenshot(shots / "document-390.png")


def test_document_report_works_without_javascript(browser: Browser, batch) -> None:
    page = batch[1][sample_result().path]
    browser.open(page, scripts=False)
    assert browser.problems(page) == []
    browser.send("Emulation.setScriptExecutionDisabled", {"value": False})  # to inspect only
    assert browser.evaluate("document.getElementById('finding-filters').hidden") is True
    assert browser.evaluate("document.querySelectorAll('[data-finding][hidden]').length") == 0
    assert browser.evaluate("document.getElementById('filter-status').textContent") == ""


def test_hostile_contract_text_stays_inert(browser: Browser, batch) -> None:
    page = batch[1][hostile_result().path]
    browser.open(page)
    assert browser.problems(page) == []
    assert browser.evaluate("document.scripts.length") == 1  # ours, the filter
    assert (
        browser.evaluate("document.querySelectorAll('iframe, img, a[href^=javascript]').length")
        == 0
    )
    assert browser.evaluate("document.styleSheets.length") == 1
    text = browser.evaluate("document.body.innerText")
    assert "<script>alert('pwned')</script>" in text and "{{ 7*7 }}" in text


def test_unreadable_document_page(browser: Browser, batch) -> None:
    page = batch[1][unreadable_result().path]
    browser.open(page)
    assert browser.problems(page) == []
    text = browser.evaluate("document.querySelector('main').innerText")
    assert "could not be analysed" in text and "no text layer" in text
    assert "OCR" in text


def test_index_loads_sorts_and_links(browser: Browser, batch, tmp_path: Path) -> None:
    index, pages = batch
    browser.open(index)
    assert browser.problems(index) == []
    names = "Array.from(document.querySelectorAll('#documents tbody th')).map(c => c.dataset.value)"
    default = browser.evaluate(names)
    assert default[0] == "northwind-msp-agreement.docx"  # score 78, riskiest first
    assert default[-1] == "scanned-addendum.pdf"  # unreadable, listed last, not dropped
    hrefs = browser.evaluate(
        "Array.from(document.querySelectorAll('#documents a')).map(a => a.getAttribute('href'))"
    )
    assert sorted(hrefs) == sorted(p.name for p in pages.values())
    assert all((index.parent / h).is_file() for h in hrefs)
    browser.evaluate("document.querySelector('th[data-sort] button').click()")  # by name, A-Z
    by_name = browser.evaluate(names)
    assert by_name == sorted(default, key=str.casefold) and by_name != default
    assert browser.evaluate(
        "document.querySelector('th[data-sort]').getAttribute('aria-sort')"
    ) == ("ascending")
    shots = shots_dir(tmp_path)
    browser.open(index)
    browser.screenshot(shots / "index-1280.png")
    browser.open(index, width=390, height=844, mobile=True)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    browser.screenshot(shots / "index-390.png")


def test_the_checker_sees_fetches_and_errors(browser: Browser, tmp_path: Path) -> None:
    """Guard against a vacuous pass: a page that fetches and logs an error is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><title>bad</title><img src="http://127.0.0.1:9/pixel.png">'
        '<script>console.error("boom")</script>'
    )
    browser.open(bad)
    problems = browser.problems(bad)
    assert any("request: http://127.0.0.1:9/pixel.png" in p for p in problems)
    assert any("console.error" in p for p in problems)
