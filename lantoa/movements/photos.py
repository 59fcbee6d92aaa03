"""Checks and re-encoding of activity photos, in memory, before anything is written.

The type is read from the content, never from the name: Pillow must recognize a JPEG or
a PNG and decode it completely (a truncated or corrupt file is refused). The picture is
turned upright from its EXIF orientation, then encoded again from its pixels alone, so
that nothing else travels with it: no EXIF (place, camera, date), no XMP, no ICC profile,
no comment or text chunk. A JPEG thumbnail at most 320 px wide and high goes with it.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

__all__ = [
    "MAX_PHOTO_PIXELS",
    "MAX_PHOTO_SIZE",
    "THUMBNAIL_SIZE",
    "ProcessedPhoto",
    "process_photo",
]

MAX_PHOTO_SIZE = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 50_000_000  # a 50-megapixel camera; more is taken for a decompression bomb
THUMBNAIL_SIZE = 320
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 80

JPEG = "jpeg"
PNG = "png"
CONTENT_TYPES = {JPEG: "image/jpeg", PNG: "image/png"}
_FORMATS = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG}  # MPO: a phone's JPEG with extra frames
_PNG_MODES = {"1", "L", "LA", "P", "RGB", "RGBA"}


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo ready to be stored: the re-encoded picture and its thumbnail."""

    format: str  # "jpeg" or "png"
    content: bytes
    thumbnail: bytes
    width: int
    height: int
    original_name: str = ""

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("This file is not a real %(types)s file (its content was checked, not its name).")
        % {"types": "JPEG, PNG"},
        code="bad_type",
    )


def _too_large(size: int) -> ValidationError:
    return ValidationError(
        _("The file is %(size)s; the largest allowed is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(MAX_PHOTO_SIZE)},
        code="too_large",
    )


def _read(upload: UploadedFile) -> bytes:
    """The upload's bytes, refusing an empty or too large file without reading it all."""
    size = upload.size or 0
    if size > MAX_PHOTO_SIZE:
        raise _too_large(size)
    upload.seek(0)
    data = upload.read(MAX_PHOTO_SIZE + 1)
    upload.seek(0)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(data) > MAX_PHOTO_SIZE:
        raise _too_large(max(size, len(data)))
    return data


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The photo has too many pixels; the largest allowed is %(limit)s megapixels.")
        % {"limit": MAX_PHOTO_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def _check_pixels(image: Image.Image) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise _not_an_image()
    if width * height > MAX_PHOTO_PIXELS:
        raise ValidationError(
            _(
                "The photo is %(width)s × %(height)s pixels; the largest allowed is "
                "%(limit)s megapixels."
            )
            % {
                "width": number_format(width, force_grouping=True),
                "height": number_format(height, force_grouping=True),
                "limit": MAX_PHOTO_PIXELS // 1_000_000,
            },
            code="too_many_pixels",
        )


def _decode(data: bytes) -> tuple[Image.Image, str]:
    """The fully decoded picture, upright, and its format; any failure means "not an image".

    Pillow reports bad data with many kinds of exceptions (OSError, SyntaxError,
    ValueError, struct.error, DecompressionBombError...): all of them mean the same here.
    """
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as probe:
            kind = _FORMATS.get(probe.format or "")
            if kind is None:
                raise _not_an_image()
            _check_pixels(probe)
            probe.verify()
        image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG"])
        _check_pixels(image)
        image.load()
        upright = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:  # over twice Pillow's own limit
        raise _too_many_pixels() from error
    except Exception as error:  # every decoding error of Pillow, bombs too: see above
        raise _not_an_image() from error
    return upright, kind


def _stripped(image: Image.Image, kind: str) -> Image.Image:
    """The pixels alone, in a mode the format stores; metadata left behind."""
    if kind == JPEG:
        clean = image.convert("RGB") if image.mode not in {"L", "RGB"} else image.copy()
        clean.info = {}
        return clean
    clean = image.copy() if image.mode in _PNG_MODES else image.convert("RGBA")
    transparency = image.info.get("transparency") if image.mode in _PNG_MODES else None
    clean.info = {} if transparency is None else {"transparency": transparency}
    return clean


def _encode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == JPEG:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    """A JPEG at most THUMBNAIL_SIZE on each side; transparency laid on white."""
    small = image.copy()
    small.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    if small.mode in {"RGBA", "LA", "P", "PA"} or "transparency" in small.info:
        rgba = small.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        small = flat
    elif small.mode not in {"L", "RGB"}:
        small = small.convert("RGB")
    small.info = {}
    out = io.BytesIO()
    small.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()


def _name_of(upload: UploadedFile) -> str:
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:255]


def process_photo(upload: UploadedFile) -> ProcessedPhoto:
    """The checked and re-encoded photo, or a ValidationError saying why it is refused.

    Refused: an empty file, one over 10 MB, anything Pillow does not decode completely as
    a JPEG or a PNG (whatever its name), and pictures over 50 megapixels.
    """
    data = _read(upload)
    image, kind = _decode(data)
    try:
        clean = _stripped(image, kind)
        content = _encode(clean, kind)
        thumbnail = _thumbnail(clean)
    except (OSError, ValueError) as error:
        raise _not_an_image() from error
    return ProcessedPhoto(
        format=kind,
        content=content,
        thumbnail=thumbnail,
        width=clean.width,
        height=clean.height,
        original_name=_name_of(upload),
    )
