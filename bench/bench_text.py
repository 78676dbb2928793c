"""Measure the LaTeX converter and the .bib reader on real material (tests/data/real).

    python bench/bench_text.py              # 5 repeats, best of each
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import best_of  # noqa: E402

from generator.sources.bibtex import read_bibtex  # noqa: E402
from generator.text.latex import clean_latex  # noqa: E402

REAL = ROOT / "tests" / "data" / "real"
ATOM = "{http://www.w3.org/2005/Atom}"



def main() -> None:
    abstracts = [entry.findtext(f"{ATOM}summary") for name in
                 ("query_testing_start20_max10.xml", "query_testing_start40_max10.xml")
                 for entry in ET.fromstring((REAL / "arxiv" / name).read_bytes())
                 .findall(f"{ATOM}entry")]
    total = best_of(5, lambda: [clean_latex(a) for a in abstracts])
    print(f"clean_latex: {len(abstracts)} real arXiv abstracts in {total:.1f} ms "
          f"({total / len(abstracts):.2f} ms each)")
    bib = REAL / "bib" / "bibtexparser_biber-examples_excerpt.bib"
    entries = len(read_bibtex(bib).found[bib])
    elapsed = best_of(5, lambda: read_bibtex(bib))
    print(f"read_bibtex: {entries} entries of {bib.name} in {elapsed:.1f} ms "
          f"({elapsed / entries:.2f} ms each)")


if __name__ == "__main__":
    main()
