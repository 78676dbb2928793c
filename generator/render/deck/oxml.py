"""Add slides to a large deck in constant time.

python-pptx finds the next free part name (notes slides, images, charts) by walking every
part of the package, and relates each new slide to the presentation by scanning all of
its relationships, so a deck of n slides costs O(n²): for 1,000 papers those walks were
most of the build time. `fast_package` keeps the used names and the presentation's
relationships in indexes instead; the names and rIds it hands out are the ones
python-pptx would choose.
"""

from __future__ import annotations

from pptx.opc.packuri import PackURI

IMAGE_PREFIX = "/ppt/media/image"


class _PartNames:
    def __init__(self, package):
        self.used = {str(part.partname) for part in package.iter_parts()}
        self.image_indexes = {part.partname.idx for part in package.iter_parts()
                              if part.partname.startswith(IMAGE_PREFIX)}
        self.next_index: dict[str, int] = {}

    def next_partname(self, template: str) -> PackURI:
        index = self.next_index.get(template, 1)
        while template % index in self.used:
            index += 1
        self.next_index[template] = index + 1
        self.used.add(template % index)
        return PackURI(template % index)

    def next_image_partname(self, ext: str) -> PackURI:
        index = self.next_index.get(IMAGE_PREFIX, 1)
        while index in self.image_indexes:
            index += 1
        self.next_index[IMAGE_PREFIX] = index + 1
        self.image_indexes.add(index)
        return PackURI(f"{IMAGE_PREFIX}{index}.{ext}")


def _index_relationships(rels) -> None:
    """Make `rels.get_or_add` a dict lookup (confgen never drops a presentation rel)."""
    index = {(rel.reltype, id(rel.target_part)): rId
             for rId, rel in rels.items() if not rel.is_external}
    add = rels._add_relationship

    def get_or_add(reltype: str, target_part) -> str:
        key = (reltype, id(target_part))
        if key not in index:
            index[key] = add(reltype, target_part)
        return index[key]

    rels.get_or_add = get_or_add


def fast_package(presentation) -> None:
    """Replace part naming and the presentation's relationship lookup on this instance."""
    package = presentation.part.package
    names = _PartNames(package)
    package.next_partname = names.next_partname
    package.next_image_partname = names.next_image_partname
    _index_relationships(presentation.part.rels)
