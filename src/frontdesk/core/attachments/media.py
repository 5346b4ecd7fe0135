"""What a file really is: its type read from its bytes, a safe name, and image thumbnails.

The uploader's declared type and the file's extension are only claims; the bytes decide. Only an
allow-list of types is accepted, and a claim that contradicts the bytes refuses the file.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from frontdesk.core.errors import Invalid

THUMBNAIL_MAX_PX = 320
THUMBNAIL_TYPE = "image/webp"
MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs before decoding a single pixel
MAX_NAME_LENGTH = 255

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
# The extension a file of each type is given, and the extensions that may claim it.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image/jpeg": (".jpg", ".jpeg", ".jfif"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
    "audio/ogg": (".ogg", ".oga", ".opus"),
    "audio/mpeg": (".mp3",),
    "audio/mp4": (".m4a", ".mp4"),
    "video/mp4": (".mp4", ".m4v"),
    "text/plain": (".txt", ".csv", ".md", ".log", ".json", ".tsv"),
}
ALLOWED_TYPES = frozenset(EXTENSIONS)
# Declared types that say nothing about the content.
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
# Other spellings browsers and phones use for the same types.
ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "audio/mp3": "audio/mpeg",
    "audio/x-mp3": "audio/mpeg",
    "audio/x-m4a": "audio/mp4",
    "audio/m4a": "audio/mp4",
    "audio/aac": "audio/mp4",
    "audio/opus": "audio/ogg",
    "application/ogg": "audio/ogg",
    "video/ogg": "audio/ogg",
    "application/x-pdf": "application/pdf",
}
_MP4_AUDIO_BRANDS = {b"M4A ", b"M4B "}
_MP4_VIDEO_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1"}
_MP4_VIDEO_BRANDS |= {b"dash", b"mmp4", b"MSNV", b"M4V "}
_MPEG_HEADER_BYTES, _MPEG_SYNC, _MPEG_SYNC_LOW, _MPEG_BAD_BITRATE = 3, 0xFF, 0xE0, 0xF0
_MAX_EXTENSION_LENGTH = 10
_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f"*/:<>?\\|]')


@dataclass(frozen=True)
class ImageInfo:
    width: int
    height: int
    thumbnail: bytes


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in text)


def _mpeg_frame(data: bytes) -> bool:
    """An MPEG audio frame header: sync bits, a real layer, a valid bitrate index."""
    if len(data) < _MPEG_HEADER_BYTES or data[0] != _MPEG_SYNC or data[1] & 0xE0 != _MPEG_SYNC_LOW:
        return False
    return data[1] & 0x06 != 0 and data[2] & 0xF0 != _MPEG_BAD_BITRATE


def _mp4_type(data: bytes) -> str | None:
    if data[4:8] != b"ftyp":
        return None
    brand = data[8:12]
    if brand in _MP4_AUDIO_BRANDS:
        return "audio/mp4"
    return "video/mp4" if brand in _MP4_VIDEO_BRANDS else None


def _image_type(data: bytes) -> str | None:
    signatures = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
    if not (data.startswith(signatures) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")):
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            return IMAGE_TYPES.get(image.format or "")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def sniff_type(data: bytes) -> str | None:
    """The allowed type the bytes are, or None when they are none of them."""
    if image := _image_type(data):
        return image
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"OggS"):
        return "audio/ogg"
    if data.startswith(b"ID3") or _mpeg_frame(data):
        return "audio/mpeg"
    if mp4 := _mp4_type(data):
        return mp4
    return "text/plain" if _is_text(data) else None


def normalise_type(declared: str | None) -> str:
    base = (declared or "").split(";", 1)[0].strip().lower()
    return ALIASES.get(base, base)


def _agrees(declared: str, actual: str) -> bool:
    if declared in GENERIC_TYPES or declared == actual:
        return True
    if actual == "text/plain":
        return declared.startswith("text/") or declared == "application/json"
    # An .m4a is often declared as video/mp4 and a sound-only .mp4 as audio/mp4.
    return {declared, actual} == {"audio/mp4", "video/mp4"}


def safe_name(name: str | None) -> str:
    """A basename without paths, control or shell-special characters, at most 255 characters."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name or ""))[-1]
    base = _UNSAFE_NAME_CHARS.sub("_", base).strip(" .")
    if not base:
        return "file"
    if len(base) > MAX_NAME_LENGTH:
        stem, dot, ext = base.rpartition(".")
        suffix = f".{ext}" if dot and stem and len(ext) <= _MAX_EXTENSION_LENGTH else ""
        base = base[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .") + suffix
    return base


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot and stem else ""


def check_content(name: str, declared_type: str | None, data: bytes) -> tuple[str, str]:
    """The sniffed type and the name to keep; refuses a type or claim the bytes do not support."""
    if not data:
        raise Invalid("the file is empty", field="file")
    actual = sniff_type(data)
    if actual is None:
        raise Invalid("this type of file is not accepted", field="file")
    if not _agrees(normalise_type(declared_type), actual):
        raise Invalid("the file's content does not match its declared type", field="file")
    extension = _extension(name)
    known = {ext for exts in EXTENSIONS.values() for ext in exts}
    if extension in known and extension not in EXTENSIONS[actual]:
        raise Invalid("the file's content does not match its name", field="file")
    if extension not in EXTENSIONS[actual]:
        # No extension, or one that could make a download run (.exe, .bat): give it the true one.
        name = safe_name(name[: MAX_NAME_LENGTH - 6] + EXTENSIONS[actual][0])
    return actual, name


def image_info(data: bytes) -> ImageInfo:
    """Dimensions and a WebP thumbnail at most 320 px on its longer side (first frame)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise Invalid("the image has too many pixels", field="file")
                image.seek(0)
                frame = ImageOps.exif_transpose(image) or image
                frame = frame.convert("RGBA" if _has_alpha(frame) else "RGB")
                frame.thumbnail((THUMBNAIL_MAX_PX, THUMBNAIL_MAX_PX))
                out = io.BytesIO()
                frame.save(out, format="WEBP", quality=80)
        except (OSError, ValueError, Image.DecompressionBombError, Warning) as exc:
            raise Invalid("the image cannot be read", field="file") from exc
    return ImageInfo(width=width, height=height, thumbnail=out.getvalue())


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
