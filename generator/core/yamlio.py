"""Read YAML with the line of every key, and write YAML atomically.

Pydantic reports errors by location (``("papers", 3, "title")``); the loader keeps a map
from such locations to source lines so every message can say ``event.yaml:42``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfgenError, Problem

Location = tuple[str | int, ...]
TMP_SUFFIX = ".confgen-tmp"


# LibYAML's C parser is ~10x faster; fall back to pure Python where it is not compiled in.
FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # LibYAML when installed
FastDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _SafeLineLoader(FastLoader):
    """A safe loader that refuses duplicate keys, which plain PyYAML silently merges."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            message = f"duplicate key {key!r} (first on line {seen[key]})"
            raise yaml.constructor.ConstructorError(None, None, message, key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_SafeLineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def _line_map(node: yaml.Node | None, loc: Location = ()) -> dict[Location, int]:
    """Map every location in the document to the 1-based line where it starts."""
    if node is None:
        return {}
    lines: dict[Location, int] = {loc: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (key_node.value,)
            lines.update(_line_map(value_node, loc + key))
            lines[loc + key] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_line_map(item, loc + (index,)))
    return lines


class YamlDoc:
    """A parsed YAML file that can say on which line any value sits."""

    def __init__(self, path: Path, data: Any, lines: dict[Location, int]):
        self.path, self.data, self.lines = path, data, lines

    def line_of(self, loc: Location) -> int | None:
        """Return the line of `loc`, or of its nearest enclosing value."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())

    def problem(self, loc: Location, message: str) -> Problem:
        return Problem(self.path, self.line_of(loc), message)


def read_yaml(path: Path) -> YamlDoc:
    """Parse `path`; a syntax error becomes a ConfgenError with file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfgenError([Problem(path, None, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfgenError([Problem(path, None, f"cannot read file: {exc}")]) from None
    loader = _SafeLineLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ConfgenError([Problem(path, line, f"invalid YAML: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise ConfgenError([Problem(path, None, f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    return YamlDoc(path, data, _line_map(node))


class _BlockDumper(FastDumper):
    """Dump long strings as folded blocks so hand-editing stays pleasant."""


def _represent_str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """Return `data` as readable YAML: keys in model order, unicode kept, wide lines."""
    return yaml.dump(data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=88)


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write `content` to `path` so readers see the old file or the new one, never half."""
    mode = "wb" if isinstance(content, bytes) else "w"
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as fh:
            fh.write(content)
        os.chmod(tmp, _target_mode(path))
        # rename is atomic: readers and interrupted runs see the old file or the new one.
        # (No fsync: it would cost seconds per thousand files and only helps on power loss.)
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfgenError([Problem(path, None, f"cannot write: {exc.strerror or exc}")]) from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def _target_mode(path: Path) -> int:
    """Return the mode `path` keeps (it exists) or gets from the umask (it is new).

    mkstemp creates 0600 files; left so, a rewritten summary shows up as a mode change
    in git and a newsletter folder cannot be served.
    """
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """Return the process umask without changing it where the system can tell (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere it can only be read by setting it
    os.umask(mask)
    return mask


def remove_stale_temp_files(folder: Path) -> None:
    """Delete temp files an interrupted run left behind (call while holding the lock)."""
    if folder.is_dir():
        for stale in folder.rglob(f".*{TMP_SUFFIX}"):
            stale.unlink(missing_ok=True)
