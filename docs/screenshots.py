"""Take the README's screenshots of `confgen serve` on the bundled example.

    .venv/bin/python docs/screenshots.py [OUT_DIR]   # default: docs/

Serves a private copy of summaries/neurips-2025 on a free loopback port and photographs
the index and one paper page with headless Chromium (Debian's chromium + chromium-driver).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import webdriver  # noqa: E402

from generator.cli.serve import allowed_hosts, bind  # noqa: E402
from generator.serve import Reviewer, create_app  # noqa: E402


def main(out: Path, paper: str = "gated-attention") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        event = Path(tmp) / "neurips-2025"
        shutil.copytree(ROOT / "summaries" / "neurips-2025", event)
        sock = bind("127.0.0.1", 0)
        port = sock.getsockname()[1]
        app = create_app(Reviewer(event, "offline"), "t", allowed_hosts("127.0.0.1", port))
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
        while not server.started:
            time.sleep(0.02)
        with webdriver(1280, 860) as driver:
            driver.get(f"http://127.0.0.1:{port}/?token=t")
            time.sleep(0.5)
            driver.save_screenshot(str(out / "serve-index.png"))
            driver.set_window_size(1400, 1240)
            driver.get(f"http://127.0.0.1:{port}/papers/{paper}")
            time.sleep(1.5)
            driver.save_screenshot(str(out / "serve-paper.png"))
        server.should_exit = True
    for name in ("serve-index.png", "serve-paper.png"):  # 256 colours: a UI needs no more
        image = Image.open(out / name).convert("RGB")
        image.quantize(256, method=Image.Quantize.MEDIANCUT).save(out / name, optimize=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
