"""Convert decks with LibreOffice headless, and PDFs to PNGs with pdftoppm.

LibreOffice is the one external renderer confgen uses, so it sits behind this module.
Each run gets its own throw-away user profile (LibreOffice locks a shared profile, so
parallel runs would otherwise fail or hang) and a fontconfig file that adds the bundled
fonts, so the export looks the same on every machine. With `system_fonts=True` it uses
only the machine's fonts, as a viewer would (the tests check that the deck fits there
too: LibreOffice substitutes the metric-identical twins of the families a deck names).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ...core.errors import ConfgenError
from ...core.paths import FONTS_DIR

SOFFICE_NAMES = ("soffice", "libreoffice")
SYSTEM_FONTS_CONF = Path("/etc/fonts/fonts.conf")


def find_soffice() -> str:
    """Return the LibreOffice executable, or raise a ConfgenError saying how to get it."""
    override = os.environ.get("CONFGEN_SOFFICE")
    for name in ((override,) if override else SOFFICE_NAMES):
        found = shutil.which(name)
        if found:
            return found
    raise ConfgenError(
        "LibreOffice (soffice) is not installed or not on PATH; it is needed for --pdf and "
        "--png. Install it (Debian/Ubuntu: apt-get install libreoffice-impress-nogui) or "
        "set CONFGEN_SOFFICE to its path."
    )


def fonts_conf(directory: Path) -> Path:
    """Write a fonts.conf that adds the bundled fonts to the system configuration."""
    include = (f"  <include ignore_missing=\"yes\">{SYSTEM_FONTS_CONF}</include>\n"
               if SYSTEM_FONTS_CONF.is_file() else "")
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{FONTS_DIR}</dir>\n{include}"
        f"  <cachedir>{directory / 'fontcache'}</cachedir>\n</fontconfig>\n"
    )
    path = directory / "fonts.conf"
    path.write_text(text, encoding="utf-8")
    return path


def convert(pptx: Path, out_dir: Path, fmt: str = "pdf", timeout: float = 180,
            system_fonts: bool = False) -> Path:
    """Convert `pptx` to `fmt` in `out_dir` with LibreOffice and return the new file.

    The result is written next to a temporary name and moved into place, so a reader
    never sees half a file.
    """
    pptx = Path(pptx).resolve()
    if not pptx.is_file():
        raise ConfgenError(f"cannot convert {pptx}: file not found")
    soffice = find_soffice()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="confgen-lo-") as tmp_name:
        tmp = Path(tmp_name)
        work = tmp / "out"
        command = [
            soffice, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
            "--norestore", "--nologo", "--convert-to", fmt, "--outdir", str(work), str(pptx),
        ]
        _run(command, _environment(tmp, system_fonts), timeout, pptx)
        produced = work / f"{pptx.stem}.{fmt.split(':')[0]}"
        if not produced.is_file():
            raise ConfgenError(f"LibreOffice did not produce {produced.name} from {pptx}")
        target = out_dir / produced.name
        staged = out_dir / f".{produced.name}.tmp"
        shutil.copyfile(produced, staged)
        os.replace(staged, target)
    return target


def _environment(tmp: Path, system_fonts: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    if system_fonts:
        env.pop("FONTCONFIG_FILE", None)
    else:
        env["FONTCONFIG_FILE"] = str(fonts_conf(tmp))
    env["HOME"] = str(tmp)  # some LibreOffice builds write beside the profile into $HOME
    env.pop("SAL_USE_VCLPLUGIN", None)
    return env


def _run(command: list[str], env: dict[str, str], timeout: float, source: Path) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True,
                                timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise ConfgenError(f"LibreOffice took longer than {timeout:g} s to convert {source}; "
                           "is another LibreOffice instance stuck?") from None
    except OSError as exc:
        raise ConfgenError(f"cannot run LibreOffice ({command[0]}): {exc}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-400:]
        raise ConfgenError(f"LibreOffice failed to convert {source} "
                           f"(exit {result.returncode}): {detail}")


def pdf_to_pngs(pdf: Path, out_dir: Path, dpi: int = 100, prefix: str = "slide",
                timeout: float = 180) -> list[Path]:
    """Render every page of `pdf` to `out_dir/<prefix>-NN.png` and return the paths in order."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise ConfgenError("pdftoppm is not installed; it is needed for --png "
                           "(Debian/Ubuntu: apt-get install poppler-utils)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="confgen-png-", dir=out_dir) as tmp_name:
        command = [tool, "-png", "-r", str(dpi), str(pdf), str(Path(tmp_name) / prefix)]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                    check=False)
        except subprocess.TimeoutExpired:
            raise ConfgenError(f"pdftoppm took longer than {timeout:g} s on {pdf}") from None
        if result.returncode != 0:
            raise ConfgenError(f"pdftoppm failed on {pdf}: {result.stderr.strip()[-400:]}")
        return _move_pages(sorted(Path(tmp_name).glob(f"{prefix}-*.png")), out_dir, prefix)


def _move_pages(pages: list[Path], out_dir: Path, prefix: str) -> list[Path]:
    """Move pdftoppm's pages into place with stable two-digit-or-more numbers."""
    width = max(2, len(str(len(pages))))
    targets = []
    for index, page in enumerate(pages, start=1):
        target = out_dir / f"{prefix}-{index:0{width}d}.png"
        os.replace(page, target)
        targets.append(target)
    for stale in out_dir.glob(f"{prefix}-*.png"):
        if stale not in targets:
            stale.unlink()
    return targets
