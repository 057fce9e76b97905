"""Media API v1_beta: upload product pictures (Odoo's are rarely public).

Media lives on its own host (``apim``) and takes the seller's user token
(scope ``sell.inventory``).
"""

from typing import NamedTuple

from .paths import path_segment

BASE = "/commerce/media/v1_beta"
HOST = "apim"


class UploadedImage(NamedTuple):
    """What an upload gave: eBay's image id and the picture URL to list."""

    image_id: str | None
    image_url: str | None


def image_id_from_location(location):
    """The image id at the end of createImageFrom*'s Location header."""
    return (location or "").rstrip("/").rsplit("/", 1)[-1] or None


class MediaApi:
    def __init__(self, client):
        self.client = client

    def _created(self, response):
        return UploadedImage(
            image_id_from_location(response.headers.get("Location")),
            (response.data or {}).get("imageUrl"),
        )

    def upload_image(self, filename, content_bytes, content_type="image/jpeg"):
        """Upload a picture file; return ``(image_id, image_url)``."""
        response = self.client.request(
            "POST",
            BASE + "/image/create_image_from_file",
            host=HOST,
            operation="createImageFromFile",
            files={"image": (filename, content_bytes, content_type)},
        )
        return self._created(response)

    def upload_image_from_url(self, image_url):
        """Have eBay copy an HTTPS picture; return ``(image_id, image_url)``."""
        response = self.client.request(
            "POST",
            BASE + "/image/create_image_from_url",
            host=HOST,
            operation="createImageFromUrl",
            json={"imageUrl": image_url},
        )
        return self._created(response)

    def get_image(self, image_id):
        """eBay's ImageResponse: imageUrl, maxDimensionImageUrl, expirationDate."""
        return (
            self.client.request(
                "GET",
                f"{BASE}/image/{path_segment(image_id, 'image id')}",
                host=HOST,
                operation="getImage",
            ).data
            or {}
        )
