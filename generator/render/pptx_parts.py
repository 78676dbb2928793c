"""Name new package parts in constant time.

python-pptx finds the next free part name (notes slides, images, charts) by walking every
part of the package, so a deck of n slides costs O(n²): for 1,000 papers that walk was
most of the build time. `fast_part_names` keeps the used names in a set instead; the
names it hands out are the same sequential names python-pptx would choose.
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


def fast_part_names(presentation) -> None:
    """Replace the package's part-naming methods on this instance with set-based ones."""
    package = presentation.part.package
    names = _PartNames(package)
    package.next_partname = names.next_partname
    package.next_image_partname = names.next_image_partname
