"""Measure `confgen add --figures --fulltext`: reading archives and PDFs, drawing figures.

Everything runs against the local stand-in server (tests/source_server.py) with the
throttle off, on the archives and PDFs the tests build (tests/paper_files.py): each
LaTeX paper has a PNG teaser, a vector PDF figure, JPEG subfigures and a PNG without an
extension; the PDF-only papers have a vector figure found by its caption.

    python bench/bench_figures.py            # 10 papers (8 LaTeX, 2 PDF-only), 3 repeats
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from paper_files import latex_archive, pdf_paper  # noqa: E402
from source_server import serve  # noqa: E402
from timing import best_of  # noqa: E402

from generator.sources.add import AddOptions, add_papers  # noqa: E402
from generator.sources.arxiv_files import read_eprint  # noqa: E402
from generator.sources.paper_assets import paper_assets  # noqa: E402

IDS = ["2505.06708", "2411.04975", "2503.14858", "2504.13837", "2505.17638", "2510.22954",
       "2505.10465", "2502.09992", "2506.08010", "2512.99901"]
PDF_ONLY = {"2504.13837", "2505.17638"}



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    archive, pdf = latex_archive(), pdf_paper()
    latex_ms = best_of(args.repeats, lambda: paper_assets("p", read_eprint(archive), True, True))
    pdf_ms = best_of(args.repeats, lambda: paper_assets("p", read_eprint(pdf), True, True))
    print(f"one LaTeX paper ({len(archive) / 1024:.0f} KB tar.gz, 4 figures, full text): "
          f"{latex_ms:.0f} ms")
    print(f"one PDF-only paper (2 pages, 1 vector figure by its caption, text): {pdf_ms:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CONFGEN_CACHE_DIR"] = str(Path(tmp) / "cache")
        with serve() as server:
            for arxiv in IDS:
                server.files[("pdf" if arxiv in PDF_ONLY else "e-print", arxiv)] = \
                    pdf if arxiv in PDF_ONLY else latex_archive()
            os.environ.update(CONFGEN_ARXIV_URL=f"{server.url}/arxiv/api/query",
                              CONFGEN_ARXIV_FILES_URL=f"{server.url}/files",
                              CONFGEN_ARXIV_INTERVAL="0", CONFGEN_HTTP_RETRY_DELAY="0")
            counter = iter(range(10**6))
            options = AddOptions(refs=IDS, figures=True, fulltext=True)
            start = time.perf_counter()
            add_papers(Path(tmp) / f"new{next(counter)}", options)
            cold = (time.perf_counter() - start) * 1000
            warm = best_of(args.repeats, lambda: add_papers(Path(tmp) / f"new{next(counter)}",
                                                            options))
            print(f"confgen add --figures --fulltext of 10 arXiv ids: {cold:.0f} ms cold, "
                  f"{warm:.0f} ms with the download cache warm; file requests: "
                  f"{server.count('files')}")


if __name__ == "__main__":
    main()
