"""PNG encoding of panels: lossless, deterministic, no metadata, readable anywhere."""

from __future__ import annotations

import io
import zlib

import pytest
from PIL import Image, ImageDraw

from generator.render.panels.png import SIGNATURE, encode_png


def drawing(mode: str) -> Image.Image:
    """Return a small image with flat areas, an outline and text, like a panel."""
    image = Image.new("RGB", (160, 90), (232, 240, 255))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((10, 10, 150, 60), 12, fill=(255, 255, 255), outline=(26, 29, 35),
                           width=3)
    draw.text((20, 25), "Gated attention", fill=(26, 29, 35))
    draw.line((0, 89, 159, 70), fill=(52, 81, 209), width=2)
    return image.convert(mode)


def chunks(data: bytes) -> list[bytes]:
    """Return the PNG chunk types in order."""
    kinds, offset = [], len(SIGNATURE)
    while offset < len(data):
        length = int.from_bytes(data[offset:offset + 4], "big")
        kinds.append(data[offset + 4:offset + 8])
        offset += 12 + length
    return kinds


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L"])
@pytest.mark.parametrize("filtered", [False, True])
def test_encoded_panels_decode_to_the_same_pixels(mode, filtered):
    image = drawing(mode)
    with Image.open(io.BytesIO(encode_png(image, filtered=filtered))) as decoded:
        assert decoded.mode == mode
        assert decoded.tobytes() == image.tobytes()


def test_equal_images_give_equal_bytes():
    assert encode_png(drawing("RGB")) == encode_png(drawing("RGB").copy())


def test_only_the_image_is_written_no_metadata():
    assert chunks(encode_png(drawing("RGB"))) == [b"IHDR", b"IDAT", b"IEND"]


def test_chunk_checksums_are_valid():
    data = encode_png(drawing("RGB"))
    offset = len(SIGNATURE)
    while offset < len(data):
        length = int.from_bytes(data[offset:offset + 4], "big")
        body = data[offset + 4:offset + 8 + length]
        crc = int.from_bytes(data[offset + 8 + length:offset + 12 + length], "big")
        assert zlib.crc32(body) == crc
        offset += 12 + length


def test_other_modes_fall_back_to_pillow():
    image = drawing("RGB").convert("P")
    with Image.open(io.BytesIO(encode_png(image))) as decoded:
        assert decoded.convert("RGB").tobytes() == image.convert("RGB").tobytes()
