"""The review page in a real browser (Debian's chromium through chromium-driver), and the
`confgen serve` process itself: one URL with a token, Ctrl-C stops it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import uvicorn
from browser import chromedriver, chromium, webdriver

from generator.cli.serve import allowed_hosts, bind
from generator.core.event import load_summary
from generator.serve import Reviewer, create_app
from tests.factories import drafted, paper, write_event

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(chromium() is None or chromedriver() is None,
                       reason="Debian chromium and chromium-driver are not installed"),
]

TOKEN = "browser-token-0123456789"
XSS = '<img src=x onerror="document.title=\'pwned\'">'


@pytest.fixture
def event(tmp_path: Path) -> Path:
    root = write_event(tmp_path / "conf", [
        paper(id="gated"), paper(XSS, id="hostile", arxiv="2501.00001")])
    drafted(root)
    return root


@pytest.fixture
def server(event: Path):
    """Serve the event with uvicorn on a free loopback port, in a thread."""
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    app = create_app(Reviewer(event, "offline"), TOKEN, allowed_hosts("127.0.0.1", port),
                     cookie=f"confgen-token-{port}")
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not uv.started:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(10)


@pytest.fixture
def browser():
    with webdriver() as driver:
        driver.implicitly_wait(5)
        yield driver


def wait_for(condition, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def css(driver, selector: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def text_of(driver, selector: str) -> str:
    """Return an element's text; "" while the page is reloading under us."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    try:
        return css(driver, selector).text
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


def press(driver, keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(keys).perform()


def replace_text(field, text: str) -> None:
    from selenium.webdriver.common.keys import Keys

    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    field.send_keys(text)


def it_reviews_a_paper_from_the_index_to_a_reviewed_file_on_disk(server, browser, event):
    browser.get(f"{server}/?token={TOKEN}")
    assert "token" not in browser.current_url  # exchanged for a cookie
    rows = browser.find_elements("css selector", ".paper-row")
    assert [r.get_attribute("data-id") for r in rows] == ["gated", "hostile"]
    press(browser, "jk")  # down, then back up
    assert "selected" in rows[0].get_attribute("class")
    press(browser, "\ue007")  # Enter
    wait_for(lambda: browser.current_url.endswith("/papers/gated"))

    tldr = css(browser, "[data-k=tldr]")
    before = (event / "gated.yaml").read_bytes()
    replace_text(tldr, " ".join(["word"] * 31))
    assert "over the limit" in css(browser, "[data-k=tldr] + .count").text
    css(browser, "#save").click()
    wait_for(lambda: browser.find_elements("css selector", ".field-error"))
    assert css(browser, ".field-error").text == "31 words, more than 30"
    assert (event / "gated.yaml").read_bytes() == before

    replace_text(tldr, "One sigmoid gate after attention removes the attention sink.")
    css(browser, "#save").click()
    wait_for(lambda: "Saved" in text_of(browser, "#banner"))
    summary = load_summary(event / "gated.yaml")[0]
    assert summary.tldr == "One sigmoid gate after attention removes the attention sink."
    assert summary.status == "draft"

    css(browser, "#review").click()
    wait_for(lambda: text_of(browser, "#status").lower() == "reviewed")
    assert load_summary(event / "gated.yaml")[0].status == "reviewed"
    wait_for(lambda: browser.execute_script(
        "const i = document.getElementById('panel'); return i.complete && i.naturalWidth") == 600)

    browser.get(f"{server}/")  # the index, filtered by status
    from selenium.webdriver.support.select import Select

    Select(css(browser, "#filter-status")).select_by_value("reviewed")
    shown = [r.get_attribute("data-id") for r in browser.find_elements("css selector", ".paper-row")
             if r.is_displayed()]
    assert shown == ["gated"]


def it_asks_before_redrafting_a_reviewed_summary(server, browser, event):
    browser.get(f"{server}/papers/gated?token={TOKEN}")
    css(browser, "#review").click()
    wait_for(lambda: text_of(browser, "#status").lower() == "reviewed")
    reviewed = (event / "gated.yaml").read_bytes()
    css(browser, "#redraft").click()
    wait_for(lambda: _alert(browser) is not None)
    _alert(browser).dismiss()
    time.sleep(0.3)
    assert (event / "gated.yaml").read_bytes() == reviewed
    css(browser, "#redraft").click()
    wait_for(lambda: _alert(browser) is not None)
    _alert(browser).accept()
    wait_for(lambda: text_of(browser, "#status").lower() == "draft")
    assert load_summary(event / "gated.yaml")[0].status == "draft"


def _alert(browser):
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = browser.switch_to.alert
        alert.text  # noqa: B018 - raises when there is none
        return alert
    except NoAlertPresentException:
        return None


def it_shows_a_hostile_title_as_text_and_runs_no_script(server, browser):
    browser.get(f"{server}/?token={TOKEN}")
    assert css(browser, "[data-id=hostile] .paper-link").text == XSS
    press(browser, "j\ue007")
    wait_for(lambda: browser.current_url.endswith("/papers/hostile"))
    assert css(browser, ".source .title").text == XSS
    assert browser.find_elements("css selector", "img[src=x]") == []
    assert browser.title == f"{XSS} · confgen review"  # the onerror would have set "pwned"
    press(browser, "k")  # keyboard navigation between papers
    wait_for(lambda: browser.current_url.endswith("/papers/gated"))


def it_stops_cleanly_on_ctrl_c(event):
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", str(event), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        printed = ""
        while "token=" not in printed and process.poll() is None:
            printed += process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", printed).group(0)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with opener.open(url, timeout=10) as answer:  # the 303 sets the cookie, then the index
            assert answer.status == 200 and b"paper-row" in answer.read()
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0
    assert "stopped" in output and "Traceback" not in output
