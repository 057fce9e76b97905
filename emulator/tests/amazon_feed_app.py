"""What the Feeds and Reports tests do over HTTP, as an SP-API client does:
the document flow (createFeedDocument, the presigned PUT, createFeed,
getFeedDocument, the download) and the report flow, with listings
attributes of the emulator's HEADPHONES product type."""

import gzip
import json

from amazon_app import SELLER, US

FEEDS = "/feeds/2021-06-30"
REPORTS = "/reports/2021-06-30"
JSON_TYPE = "application/json"
INCLUDED = ["issues", "summaries"]

__all__ = [
    "FEEDS",
    "INCLUDED",
    "JSON_TYPE",
    "REPORTS",
    "SELLER",
    "US",
    "Seller",
    "feed_document",
    "headphones",
]


def headphones(sku, price=49.99, quantity=7, brand="Emulator Audio"):
    """Attributes of a complete HEADPHONES listing in the US marketplace
    (``brand=None`` leaves the required brand out)."""

    def text(value):
        return [{"value": value, "language_tag": "en_US", "marketplace_id": US}]

    digits = "".join(c for c in sku if c.isdigit()).rjust(8, "0")[-8:]
    attributes = {
        "item_name": text(f"Emulator headphones {sku}"),
        "brand": text(brand),
        "bullet_point": text("Closed back"),
        "product_description": text("Over-ear headphones for the emulator."),
        "externally_assigned_product_identifier": [
            {"type": "ean", "value": f"40063{digits}", "marketplace_id": US}
        ],
        "condition_type": [{"value": "new_new", "marketplace_id": US}],
        "main_product_image_locator": [
            {
                "media_location": f"https://images.example/{sku}.jpg",
                "marketplace_id": US,
            }
        ],
        "purchasable_offer": [
            {
                "audience": "ALL",
                "currency": "USD",
                "marketplace_id": US,
                "our_price": [{"schedule": [{"value_with_tax": price}]}],
            }
        ],
        "fulfillment_availability": [
            {"fulfillment_channel_code": "DEFAULT", "quantity": quantity}
        ],
        "headphones_form_factor": [
            {"value": "over_ear", "language_tag": "en_US", "marketplace_id": US}
        ],
    }
    if brand is None:
        del attributes["brand"]
    return attributes


def feed_document(messages, included=None, seller_id=SELLER):
    """A JSON_LISTINGS_FEED document (bytes) of ``messages``."""
    header = {"sellerId": seller_id, "version": "2.0", "issueLocale": "en_US"}
    if included:
        header["report"] = {"includedData": list(included), "apiVersion": "2021-08-01"}
    return json.dumps({"header": header, "messages": messages}).encode()


class Seller:
    """A seller's SP-API client on the emulator: an access token and the
    calls the tests make (raw answers)."""

    def __init__(self, amazon, seller_id=SELLER):
        self.amazon = amazon
        self.token = amazon.access_token(seller_id)

    def call(self, method, path, **kwargs):
        return self.amazon.call(method, path, self.token, **kwargs)

    def create_document(self, content_type=JSON_TYPE):
        answer = self.call(
            "POST", f"{FEEDS}/documents", json={"contentType": content_type}
        )
        assert answer.status_code == 201, answer.text
        return answer.json()

    def upload(self, url, data, content_type=JSON_TYPE, **headers):
        """The presigned PUT, as an S3 client sends it: no SP-API token."""
        return self.amazon.session.put(
            url,
            data=data,
            headers={"Content-Type": content_type, **headers},
            timeout=10,
        )

    def create_feed(self, document_id, marketplace_ids=(US,), feed_type=None):
        return self.call(
            "POST",
            f"{FEEDS}/feeds",
            json={
                "feedType": feed_type or "JSON_LISTINGS_FEED",
                "marketplaceIds": list(marketplace_ids),
                "inputFeedDocumentId": document_id,
            },
        )

    def submit(self, data, marketplace_ids=(US,)):
        """Document, upload and createFeed: the feed id."""
        document = self.create_document()
        put = self.upload(document["url"], data)
        assert put.status_code == 200, put.text
        answer = self.create_feed(document["feedDocumentId"], marketplace_ids)
        assert answer.status_code == 202, answer.text
        return answer.json()["feedId"]

    def get_feed(self, feed_id):
        answer = self.call("GET", f"{FEEDS}/feeds/{feed_id}")
        assert answer.status_code == 200, answer.text
        return answer.json()

    def download(self, url, **kwargs):
        """GET a presigned document URL; ``(answer, raw bytes)`` as sent,
        whatever the Content-Encoding (no transparent decoding)."""
        answer = self.amazon.session.get(url, stream=True, timeout=10, **kwargs)
        raw = answer.raw.read(decode_content=False)
        return answer, raw

    def result_report(self, feed_id):
        """The feed's processing report (getFeedDocument, download, gunzip)."""
        feed = self.get_feed(feed_id)
        answer = self.call("GET", f"{FEEDS}/documents/{feed['resultFeedDocumentId']}")
        assert answer.status_code == 200, answer.text
        document = answer.json()
        assert document["compressionAlgorithm"] == "GZIP"
        download, raw = self.download(document["url"])
        assert download.status_code == 200
        assert "Content-Encoding" not in download.headers
        return json.loads(gzip.decompress(raw))
