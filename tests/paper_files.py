"""Build the files arXiv serves for a paper, as the tests need them.

`latex_archive` makes a gzipped tar laid out like a real submission: a main file with
`\\graphicspath`, an `\\input` section, a PNG teaser, a vector PDF figure (reportlab),
JPEG subfigures and a PNG named without an extension. `single_tex`, `pdf_paper` (a
PDF-only paper with a vector figure above its "Figure 1:" caption), `hostile_archive`
(`../` and absolute names, a symlink, a hard link, a device) and `bomb` complete the set.
"""

from __future__ import annotations

import gzip
import io
import tarfile

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

RESULT = ("Our model reaches 87.5% accuracy on the benchmark, 12.5 points above the "
          "strongest baseline.")
MAIN = r"""\documentclass{article}
\usepackage{graphicx}
\graphicspath{{figs/}{art/}}
\newcommand{\sys}{GraphNet}
%% \input{never} a comment, not an input
\begin{document}
\title{A Test Paper}
\begin{abstract}We test.\end{abstract}
\section{Introduction}
We present \sys{}, a model for graphs. % a comment that must not reach the text
Teasers matter: see Figure~\ref{fig:teaser}.
\begin{figure*}[t]
  \centering
  \includegraphics[width=\linewidth]{teaser}
  \caption{The \textbf{teaser}: \sys{} at a glance ($\alpha=0.5$).}
  \label{fig:teaser}
\end{figure*}
\input{sections/results}
\section{Conclusion}
\sys{} is simple. We release the code.
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""
RESULTS = r"""\section{Results}
""" + RESULT.replace("%", r"\%") + r""" Table~\ref{tab:x} has the rest.
\begin{figure}
  \includegraphics{plot.pdf}
  \caption{Accuracy against depth.}\label{fig:plot}
\end{figure}
\begin{figure}
  \begin{subfigure}{0.5\linewidth}\includegraphics{sub-a.jpg}\caption{Left}\label{fig:a}
  \end{subfigure}
  \begin{subfigure}{0.5\linewidth}\includegraphics{art/sub-b}\caption{Right}\end{subfigure}
  \caption{Two views.}\label{fig:views}
\end{figure}
\begin{figure}
  \includegraphics{diagram}
  \caption{A diagram stored without an extension.}
\end{figure}
\begin{table}\caption{Not a figure.}\end{table}
"""


def png(width: int, height: int, color: str = "#3465a4", kind: str = "PNG") -> bytes:
    """Return an image with a frame and a diagonal, so a distorted copy shows."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, width - 5, height - 5), outline=color, width=6)
    draw.line((0, 0, width, height), fill=color, width=6)
    draw.ellipse((width // 3, height // 4, width // 3 + height // 2, height * 3 // 4), fill=color)
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def vector_pdf(width: float = 400, height: float = 300) -> bytes:
    """Return a one-page PDF figure drawn with vectors only (axes and a curve)."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(width, height))
    page.setLineWidth(3)
    page.line(30, 30, width - 20, 30)
    page.line(30, 30, 30, height - 20)
    page.bezier(30, 30, width / 3, height - 30, width / 2, 40, width - 30, height - 40)
    page.save()
    return out.getvalue()


def tar_gz(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def latex_archive(teaser: tuple[int, int] = (800, 400), color: str = "#3465a4",
                  extra: str = "") -> bytes:
    """Return a gzipped tar of a LaTeX paper whose Figure 1 is a `teaser`-sized PNG
    (`extra`: a sentence more in its results, as a new version might say)."""
    results = RESULTS.replace(" Table~", f" {extra} Table~") if extra else RESULTS
    return tar_gz({
        "paper.tex": MAIN.encode(), "sections/results.tex": results.encode(),
        "figs/teaser.png": png(*teaser, color), "figs/plot.pdf": vector_pdf(),
        "figs/sub-a.jpg": png(300, 300, "#cc0000", "JPEG"),
        "art/sub-b.jpg": png(300, 200, "#00aa00", "JPEG"),
        "figs/diagram": png(500, 250, "#555555"), "refs.bib": b"@misc{x, title={X}}",
    })


def single_tex() -> bytes:
    """Return a single gzipped .tex (arXiv serves these for one-file submissions)."""
    text = MAIN.replace(r"\input{sections/results}", RESULTS.split(r"\begin{figure}")[0])
    return gzip.compress(text.encode())


def pdf_paper(figure_caption: str = "A vector plot above its caption.") -> bytes:
    """Return a two-page paper PDF: text with sections, and a drawn Figure 1 on page 2."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=letter)
    page.setFont("Helvetica", 11)
    lines = ["1 Introduction", "We study graphs with a simple model.", "", "2 Results", RESULT]
    for index, line in enumerate(lines):
        page.drawString(72, 700 - 16 * index, line)
    page.showPage()
    page.setLineWidth(3)
    page.rect(150, 420, 300, 200)
    page.line(150, 420, 450, 620)
    page.setFont("Helvetica", 9)
    page.drawString(140, 411, "0")  # a tick label under the axis belongs to the figure
    page.drawString(445, 411, "1")
    page.setFont("Helvetica", 10)
    page.drawString(150, 396, f"Figure 1: {figure_caption}")
    page.drawString(72, 300, "3 Conclusion")
    page.drawString(72, 284, "Graphs are fine.")
    page.drawString(72, 250, "References")
    page.drawString(72, 234, "[1] Someone. A cited paper that must not be in the text. 2020.")
    page.save()
    return out.getvalue()


def hostile_archive() -> bytes:
    """Return a tar.gz whose members try to leave the folder or point elsewhere."""
    out = io.BytesIO()
    main = MAIN.split(r"\input{sections")[0].encode() + b"\\end{document}"
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in {"../escape.tex": b"escaped", "/abs/evil.png": png(10, 10),
                           "paper.tex": main,
                           "figs/teaser.png": png(640, 480)}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, kind, target in (("figs/link.png", tarfile.SYMTYPE, "/etc/passwd"),
                                   ("figs/hard.png", tarfile.LNKTYPE, "figs/teaser.png"),
                                   ("dev", tarfile.CHRTYPE, "")):
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, target
            archive.addfile(info)
    return out.getvalue()


def bomb(megabytes: int) -> bytes:
    """Return a tar.gz that unpacks to `megabytes` of zeros (a few KB compressed)."""
    return tar_gz({"paper.tex": MAIN.encode(), "zeros.bin": bytes(megabytes * 2**20)})
