"""Media API v1_beta (user token): pictures uploaded to eBay Picture Services.

``createImageFromFile`` takes multipart/form-data with an ``image`` file
part (no JSON body, so the contract check has nothing to validate there);
the format is read from the file's magic bytes, never trusted from the part's
Content-Type.  ``createImageFromUrl`` only accepts HTTPS URLs (the emulator
does not download them).  Error ids from ``commerce_media_v1_beta_oas3.json``:
190203 unsupported format, 190204 nothing downloadable, 190200 unknown image.
"""

import hashlib
import re
import time
import uuid
from urllib.parse import urlsplit

from . import errors
from .routes import route

BASE = "/commerce/media/v1_beta"
DOMAIN = "API_MEDIA"
EPS_URL = "https://i.ebayimg.com/images/g/{image_id}/s-l1600.jpg"
# Unused EPS pictures expire; the emulator's choice of delay (not enforced).
EXPIRY_SECONDS = 30 * 24 * 3600
HEIF_BRANDS = (b"avif", b"avis", b"heic", b"heix", b"hevc", b"heim", b"mif1")
_PARAM = re.compile(r';\s*([\w-]+)\s*=\s*(?:"([^"]*)"|([^;\s]*))')


def images(state):
    return state.data.setdefault("images", {})


def _err(error_id, message, status=400):
    return status, errors.body(errors.error(error_id, DOMAIN, message)), {}


def image_format(content):
    """The picture format named by the file's magic bytes, or None."""
    if content.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if content[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if content.startswith(b"BM") and len(content) > 26:
        return "BMP"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "WEBP"
    if content[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if content[4:8] == b"ftyp" and content[8:12] in HEIF_BRANDS:
        return "AVIF" if content[8:12] in (b"avif", b"avis") else "HEIC"
    return None


def _params(header):
    return {
        m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _PARAM.finditer(header or "")
    }


def multipart_parts(content_type, raw):
    """[(name, filename, content type, bytes)] of a multipart/form-data body."""
    boundary = _params(content_type).get("boundary")
    if not boundary:
        return []
    parts = []
    for chunk in raw.split(b"--" + boundary.encode("latin-1"))[1:]:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            continue
        if content.endswith(b"\r\n"):
            content = content[:-2]
        headers = {}
        for line in head.decode("latin-1").split("\r\n"):
            key, _colon, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = _params(";" + headers.get("content-disposition", ""))
        parts.append(
            (
                disposition.get("name"),
                disposition.get("filename"),
                headers.get("content-type", ""),
                content,
            )
        )
    return parts


def _iso(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(seconds))


def _response(image_id, data):
    url = EPS_URL.format(image_id=image_id)
    return {
        "imageUrl": url,
        "maxDimensionImageUrl": url,
        "expirationDate": _iso(data["expires"]),
    }


def _store(req, record):
    image_id = uuid.uuid4().hex[:24]
    record["expires"] = req.state.now() + EXPIRY_SECONDS
    with req.state.lock:
        images(req.state)[image_id] = record
    location = f"{req.base_url}{BASE}/image/{image_id}"
    return 201, _response(image_id, record), {"Location": location}


@route("POST", f"{BASE}/image/create_image_from_file", auth="user")
def create_image_from_file(req):
    content_type = req.headers.get("Content-Type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        return (
            400,
            errors.invalid_request(
                req.path, "Content-Type must be multipart/form-data"
            ),
            {},
        )
    found = [p for p in multipart_parts(content_type, req.raw_body) if p[0] == "image"]
    if not found:
        return (
            400,
            errors.invalid_request(req.path, "the form has no 'image' file part"),
            {},
        )
    _name, filename, part_type, content = found[0]
    kind = image_format(content) if content else None
    if kind is None:
        return _err(
            190203,
            "The supplied image is in a format that is not supported. Please refer "
            "to the documentation for a list of supported formats.",
        )
    return _store(
        req,
        {
            "format": kind,
            "filename": filename,
            "content_type": part_type,
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        },
    )


@route("POST", f"{BASE}/image/create_image_from_url", auth="user")
def create_image_from_url(req):
    url = (req.json or {}).get("imageUrl") if isinstance(req.json, dict) else None
    split = urlsplit(url or "")
    if split.scheme != "https" or not split.netloc:
        return _err(
            190204,
            "No valid image can be downloaded from the provided imageUrl. Please "
            "refer to the documentation.",
        )
    return _store(req, {"format": None, "source_url": url, "sha256": None})


@route("GET", f"{BASE}/image/{{image_id}}", auth="user")
def get_image(req):
    image_id = req.params["image_id"]
    with req.state.lock:
        data = images(req.state).get(image_id)
    if not data:
        return _err(190200, "The image resource was not found.", 404)
    return 200, _response(image_id, data), {}
