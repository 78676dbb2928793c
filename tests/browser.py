"""Headless Chromium (Debian's `chromium`): dump a page's DOM after its scripts, or drive
it with Selenium through Debian's `chromium-driver` (nothing is downloaded)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Root in a container needs --no-sandbox; the rest keeps Chromium off the network.
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
FLAGS = [*BROWSER_FLAGS, "--virtual-time-budget=3000"]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromedriver() -> str | None:
    return shutil.which("chromedriver")


@contextmanager
def webdriver(width: int = 1400, height: int = 1000) -> Iterator:
    """Yield a Selenium driver for the system Chromium, with a fresh profile."""
    from selenium import webdriver as selenium
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_AVOID_STATS", "true")  # Selenium Manager: no telemetry
    with tempfile.TemporaryDirectory() as profile:
        options = selenium.ChromeOptions()
        options.binary_location = chromium()
        for flag in [*BROWSER_FLAGS, f"--user-data-dir={profile}",
                     f"--window-size={width},{height}"]:
            options.add_argument(flag)
        driver = selenium.Chrome(options=options, service=Service(chromedriver()))
        try:
            yield driver
        finally:
            driver.quit()


def dump_dom(page: Path, timeout: float = 60) -> str:
    """Return the serialized DOM of `page` once its scripts (if any) have run."""
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=timeout, check=True)
    return result.stdout
