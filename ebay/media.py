"""Media API: upload product images (Odoo's are rarely public) to eBay."""

BASE = "/commerce/media/v1_beta"


class MediaApi:
    def __init__(self, client):
        self.client = client

    def upload_image(self, filename, content, content_type="image/jpeg"):
        """Return the eBay picture URL of an uploaded image file."""
        response = self.client.request(
            "POST",
            BASE + "/image/create_image_from_file",
            host="apim",
            operation="createImageFromFile",
            files={"image": (filename, content, content_type)},
        )
        return (response.data or {}).get("imageUrl")
