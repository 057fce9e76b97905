"""Media API: images uploaded as files become eBay picture URLs."""

import hashlib
import uuid
from email.parser import BytesParser
from email.policy import HTTP

from . import errors
from .routes import route

BASE = "/commerce/media/v1_beta"
DOMAIN = "API_MEDIA"
MAGIC = (
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF8", "gif"),
    (b"BM", "bmp"),
    (b"RIFF", "webp"),
)


def images(state):
    return state.data.setdefault("images", {})


def _err(error_id, message, status=400):
    return status, errors.body(errors.error(error_id, DOMAIN, message)), {}


def _image_part(req):
    content_type = req.headers.get("Content-Type", "")
    if not content_type.startswith("multipart/form-data"):
        return None
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + req.raw_body
    )
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "image":
            return part.get_payload(decode=True)
    return None


def _public(image_id, data):
    return {
        "imageUrl": f"https://i.ebayimg.com/images/g/{image_id}/s-l1600.{data['ext']}",
        "expirationDate": "2027-11-22T00:00:00.000Z",
    }


@route("POST", f"{BASE}/image/create_image_from_file", auth="user")
def create_image(req):
    content = _image_part(req)
    if not content:
        return _err(
            190000, "The request must be multipart/form-data with an image part."
        )
    ext = next((e for magic, e in MAGIC if content.startswith(magic)), None)
    if not ext:
        return _err(
            190002, "The file is not a supported image (JPG, PNG, GIF, BMP, WEBP)."
        )
    image_id = uuid.uuid4().hex[:16]
    with req.state.lock:
        images(req.state)[image_id] = {
            "ext": ext,
            "sha256": hashlib.sha256(content).hexdigest(),
        }
    location = f"{req.base_url}{BASE}/image/{image_id}"
    return 201, _public(image_id, images(req.state)[image_id]), {"Location": location}


@route("GET", f"{BASE}/image/{{image_id}}", auth="user")
def get_image(req):
    with req.state.lock:
        data = images(req.state).get(req.params["image_id"])
    if not data:
        return _err(190003, "The image was not found.", 404)
    return 200, _public(req.params["image_id"], data), {}
