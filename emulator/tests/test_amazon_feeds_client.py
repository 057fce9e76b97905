"""amazon.feeds and amazon.reports: many SKUs in one JSON_LISTINGS_FEED, the
processing report per message, the merchant listings report.

The document builder is checked against Amazon's listings-feed-schema-v2;
the rest runs against the emulator over real HTTP: upload to a presigned
URL (no Amazon token, the Content-Type it was created with), createFeed, the
emulator clock moved on instead of sleeping, the gzip report downloaded
without transparent decoding.
"""

import gzip
import json
import os
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest
import requests
from amazon_app import SELLER, US
from marketplace_connector.amazon import RateLimiter, SpApiClient
from marketplace_connector.amazon.attributes import listing_attributes, offer_patches
from marketplace_connector.amazon.documents import gunzip_if_gzip
from marketplace_connector.amazon.errors import (
    AmazonRateLimited,
    AmazonRefused,
    AmazonTransientError,
)
from marketplace_connector.amazon.feeds import (
    JSON_LISTINGS_FEED,
    LISTINGS_FEED_CONTENT_TYPE,
    MAX_MESSAGES,
    TERMINAL_STATUSES,
    chunks,
    delete_message,
    document_bytes,
    listings_feed_document,
    parse_processing_report,
    partial_update_message,
    patch_message,
    update_message,
)
from marketplace_connector.amazon.reports import (
    MERCHANT_LISTINGS_ALL,
    parse_merchant_listings,
)

HERE = Path(__file__).resolve().parent
MODELS_DIR = Path(
    os.environ.get("AMAZON_MODELS_DIR") or HERE.parents[2] / "shared" / "amazon-models"
)
FEEDS_SCHEMAS = MODELS_DIR / "schemas" / "feeds"


def shirt(sku, **values):
    """Attributes of a valid SHIRT (the emulator's product type) for US."""
    base = {
        "title": f"Cotton T-shirt {sku}",
        "brand": "Acme",
        "bullet_points": ["100% cotton"],
        "description": "A soft shirt for every day.",
        "identifier_exempt": True,
        "main_image_url": "https://img.example.com/a.jpg",
        "price": 19.99,
        "quantity": 5,
    }
    attributes = listing_attributes({**base, **values}, US, "en_US", "USD")
    attributes["department"] = [
        {"value": "mens", "language_tag": "en_US", "marketplace_id": US}
    ]
    return attributes


@pytest.fixture(scope="module")
def feed_schema():
    path = FEEDS_SCHEMAS / "listings-feed-schema-v2.json"
    if not path.is_file():
        pytest.fail(f"Amazon's models are needed at {MODELS_DIR} (AMAZON_MODELS_DIR)")
    return jsonschema.Draft7Validator(json.loads(path.read_text()))


@pytest.fixture(scope="module")
def report_schema():
    path = FEEDS_SCHEMAS / "listings-feed-processing-report-schema-v2.json"
    return jsonschema.Draft7Validator(json.loads(path.read_text()))


# -- the document, offline ---------------------------------------------------------
def test_the_feed_document_follows_amazons_schema(feed_schema):
    messages = [
        update_message("SKU-1", "SHIRT", shirt("SKU-1")),
        patch_message("SKU-2", "PRODUCT", offer_patches(US, "USD", 9.5, 3)),
        delete_message("SKU-3"),
        partial_update_message(
            "SKU-4", "SHIRT", {"item_name": shirt("SKU-4")["item_name"]}
        ),
    ]
    document = listings_feed_document(SELLER, messages)
    feed_schema.validate(document)
    assert document["header"] == {
        "sellerId": SELLER,
        "version": "2.0",
        "issueLocale": "en_US",
        "report": {"includedData": ["issues"], "apiVersion": "2021-08-01"},
    }
    assert [m["messageId"] for m in document["messages"]] == [1, 2, 3, 4]
    assert next(iter(document["messages"][0])) == "messageId"
    assert "messageId" not in messages[0]  # the caller's messages stay as given
    # Without includedData the report covers acceptance only: no report part.
    bare = listings_feed_document(SELLER, messages, included_data=None)
    feed_schema.validate(bare)
    assert "report" not in bare["header"]


def test_message_ids_given_are_kept_and_the_others_follow():
    document = listings_feed_document(
        SELLER, [{**delete_message("A"), "messageId": 7}, delete_message("B")]
    )
    assert [m["messageId"] for m in document["messages"]] == [7, 8]


@pytest.mark.parametrize(
    ("messages", "match"),
    [
        ([], "at least one message"),
        ([delete_message("A")] * (MAX_MESSAGES + 1), "at most 25000"),
        ([{**delete_message("A"), "messageId": 1}] * 2, "its own messageId"),
        ([{**delete_message("A"), "messageId": 0}], "not in 1.."),
        ([{**delete_message("A"), "messageId": 2**31}], "not in 1.."),
        ([{**delete_message("A"), "messageId": "1"}], "not in 1.."),
        (
            [{**delete_message("A"), "messageId": 2**31 - 1}, delete_message("B")],
            "go past",
        ),
        ([{"sku": "A", "operationType": "UPSERT"}], "operationType"),
    ],
)
def test_a_feed_document_amazon_would_refuse_is_not_built(messages, match):
    with pytest.raises(ValueError, match=match):
        listings_feed_document(SELLER, messages)


def test_chunks_keep_each_feed_within_amazons_limit():
    messages = [delete_message(f"S{i}") for i in range(MAX_MESSAGES * 2 + 3)]
    parts = chunks(messages, MAX_MESSAGES)
    assert [len(p) for p in parts] == [MAX_MESSAGES, MAX_MESSAGES, 3]
    assert [m for p in parts for m in p] == messages
    assert chunks([], 10) == []
    with pytest.raises(ValueError):
        chunks(messages, 0)


def test_document_bytes_are_utf8_not_escapes():
    document = listings_feed_document(
        SELLER,
        [update_message("É-1", "SHIRT", shirt("É-1", title="Café crème"))],
    )
    data = document_bytes(document)
    assert "Café crème".encode() in data
    assert json.loads(data.decode("utf-8")) == document


def test_amazons_example_report_parses(report_schema):
    path = FEEDS_SCHEMAS / "listings-feed-processing-report-schema-v2.example.json"
    raw = path.read_bytes()
    report_schema.validate(json.loads(raw))
    report = parse_processing_report(raw)
    assert report.feed_id == "1234567890"
    assert report.summary["messagesInvalid"] == 2
    assert [i["code"] for i in report.errors(4)] == ["90220", "90220"]
    assert not report.accepted(4)
    assert report.accepted(1)  # no issue names message 1
    assert "My-SKU-B" in report.items


def test_feed_level_issues_refuse_every_message():
    report = parse_processing_report(
        {
            "header": {"sellerId": SELLER, "version": "2.0", "feedId": "9"},
            "issues": [{"severity": "ERROR", "message": "Not JSON."}],
            "summary": {
                "errors": 1,
                "warnings": 0,
                "messagesProcessed": 0,
                "messagesAccepted": 0,
                "messagesInvalid": 0,
            },
        }
    )
    assert report.feed_issues == [{"severity": "ERROR", "message": "Not JSON."}]
    assert not report.accepted(1)


@pytest.mark.parametrize("data", [b"<html>", b"[]", b'{"header": {}}', "{"])
def test_what_is_not_a_processing_report_says_so(data):
    with pytest.raises(ValueError, match="processing report"):
        parse_processing_report(data)


def test_gunzip_only_what_is_gzip():
    text = b'{"a": 1}'
    assert gunzip_if_gzip(text) == text
    assert gunzip_if_gzip(gzip.compress(text)) == text
    # Gzipped twice (stored gzip, then encoded again on the way): still text.
    assert gunzip_if_gzip(gzip.compress(gzip.compress(text))) == text
    with pytest.raises(AmazonRefused, match="damaged"):
        gunzip_if_gzip(b"\x1f\x8b not really gzip")


MERCHANT_LISTINGS = (
    "\ufeffitem-name\titem-description\tlisting-id\tseller-sku\tprice\tquantity\t"
    "open-date\tasin1\tproduct-id\tproduct-id-type\tfulfillment-channel\tstatus\n"
    'Shirt "M"\t\t0101ABC\tSKU-1\t19.99\t5\t2026-01-02 10:00:00 UTC\tB0EMU00001\t'
    "B0EMU00001\t1\tDEFAULT\tActive\n"
    "Café\t\t0101ABD\tSKU-2\t\t\t2026-01-02 10:00:00 UTC\tB0EMU00002\t"
    "B0EMU00002\t1\tAMAZON_NA\tInactive\n"
    "\n"
)


def test_merchant_listings_report_rows():
    rows = parse_merchant_listings(MERCHANT_LISTINGS.encode("utf-8"))
    assert [r["sku"] for r in rows] == ["SKU-1", "SKU-2"]
    first, second = rows
    assert first["item_name"] == 'Shirt "M"'  # flat files are not quoted
    assert first["price"] == Decimal("19.99")
    assert first["quantity"] == 5
    assert first["asin"] == "B0EMU00001"
    assert first["status"] == "Active"
    assert first["columns"]["listing-id"] == "0101ABC"
    # Amazon-fulfilled: the report has no quantity of the seller's.
    assert second["price"] is None and second["quantity"] is None
    assert second["item_name"] == "Café"
    # A legacy code page still reads.
    legacy = parse_merchant_listings(MERCHANT_LISTINGS[1:].encode("cp1252"))
    assert legacy[1]["item_name"] == "Café"
    assert parse_merchant_listings("") == []


# -- against the emulator ----------------------------------------------------------
@pytest.fixture
def sp_client(amazon):
    token = amazon.access_token(SELLER)
    calls = []
    client = SpApiClient(
        api_url=amazon.url,
        access_token=lambda: token,
        seller_id=SELLER,
        limiter=RateLimiter(),
        on_call=calls.append,
    )
    client.calls = calls
    client.token = token
    return client


def finish(amazon, sp_client, feed_id):
    """The feed once the emulator clock has let it finish."""
    for _ in range(10):
        feed = sp_client.feeds.get_feed(feed_id)
        if feed["processingStatus"] in TERMINAL_STATUSES:
            return feed
        amazon.advance(5)
    raise AssertionError(f"feed {feed_id} did not finish: {feed}")


def test_a_feed_of_several_hundred_skus_with_a_mixed_report(amazon, sp_client):
    messages, expected = [], {}
    for i in range(300):
        sku = f"BULK-{i:03d}"
        if i % 10 == 3:  # refused at once: Amazon knows no such product type
            messages.append(update_message(sku, "NOT_A_TYPE", shirt(sku)))
            expected[sku] = "invalid"
        elif i % 10 == 7:  # refused at once: an attribute is not a list
            messages.append(update_message(sku, "SHIRT", {**shirt(sku), "brand": "A"}))
            expected[sku] = "invalid"
        elif i % 10 == 9:  # accepted, then an issue: the brand is missing
            attributes = shirt(sku)
            del attributes["brand"]
            messages.append(update_message(sku, "SHIRT", attributes))
            expected[sku] = "issue"
        else:
            messages.append(update_message(sku, "SHIRT", shirt(sku)))
            expected[sku] = "ok"
    submission = sp_client.feeds.submit_listings_feed_document(SELLER, US, messages)
    assert submission.feed_id and submission.document_id and submission.size > 0
    feed = finish(amazon, sp_client, submission.feed_id)
    assert feed["processingStatus"] == "DONE"
    assert feed["feedType"] == JSON_LISTINGS_FEED
    report = sp_client.feeds.processing_report(feed["resultFeedDocumentId"])
    assert report.feed_id == submission.feed_id
    assert report.summary["messagesProcessed"] == 300
    assert report.summary["messagesInvalid"] == 60
    assert report.summary["messagesAccepted"] == 240
    for message_id, sku in enumerate(expected, start=1):
        accepted = report.accepted(message_id)
        assert accepted == (expected[sku] != "invalid"), (
            sku,
            report.issues(message_id),
        )
        if expected[sku] == "invalid":
            assert report.errors(message_id)[0]["sku"] == sku
    # The issues found after acceptance come with the items (includedData).
    missing_brand = report.items["BULK-009"]
    assert any(
        issue["severity"] == "ERROR" and "brand" in issue.get("attributeNames", [])
        for issue in missing_brand["issues"]
    ), missing_brand
    assert not [
        i
        for i in report.items["BULK-000"].get("issues", [])
        if i["severity"] == "ERROR"
    ]
    listing = amazon.listing(SELLER, "BULK-000")
    assert listing["attributes"]["item_name"][0]["value"] == "Cotton T-shirt BULK-000"
    # One upload, one createFeed: a handful of calls for 300 SKUs.
    operations = [call["operation"] for call in sp_client.calls]
    assert operations.count("createFeed") == 1
    assert operations.count("uploadFeedDocument") == 1
    assert len(operations) <= 12, operations


def test_an_upload_with_another_content_type_is_a_clear_refusal(amazon, sp_client):
    document = sp_client.feeds.create_document(LISTINGS_FEED_CONTENT_TYPE)
    data = document_bytes(listings_feed_document(SELLER, [delete_message("X")]))
    with pytest.raises(AmazonRefused) as caught:
        sp_client.feeds.upload(document["url"], data, "text/plain")
    message = str(caught.value)
    assert "Content-Type sent (text/plain)" in message
    assert "the one the document was created with" in message
    assert caught.value.status == 403
    assert caught.value.error_ids == ["SignatureDoesNotMatch"]
    # Nothing of the URL's signature reaches the call record.
    upload = sp_client.calls[-1]
    assert upload["operation"] == "uploadFeedDocument"
    assert "?" not in upload["path"] and "Signature" not in upload["path"]
    # The same document takes the upload with its own Content-Type (and no
    # Amazon token: the emulator, like S3, refuses an unsigned x-amz header).
    assert sp_client.feeds.upload(document["url"], data, LISTINGS_FEED_CONTENT_TYPE)
    assert sp_client.token not in json.dumps(sp_client.calls)
    assert "X-Amz-Signature" not in json.dumps(sp_client.calls)


def test_an_expired_upload_url_may_be_tried_again(amazon, sp_client):
    document = sp_client.feeds.create_document(LISTINGS_FEED_CONTENT_TYPE)
    amazon.advance(301)  # presigned URLs last 5 minutes
    with pytest.raises(AmazonTransientError, match="expired"):
        sp_client.feeds.upload(document["url"], b"{}", LISTINGS_FEED_CONTENT_TYPE)


def test_a_report_gzip_and_content_encoded_is_unzipped_once(amazon, sp_client):
    feed_id = sp_client.feeds.submit_listings_feed(
        SELLER, US, [update_message("GZ-1", "SHIRT", shirt("GZ-1"))]
    )
    feed = finish(amazon, sp_client, feed_id)
    document = sp_client.feeds.get_document(
        feed["resultFeedDocumentId"], content_encoding_header=True
    )
    assert document["compressionAlgorithm"] == "GZIP"
    # The trap: an HTTP client that decodes Content-Encoding hands over the
    # JSON already unzipped, and a second gunzip (as compressionAlgorithm
    # says) fails.
    decoded = requests.get(document["url"], timeout=10)
    assert decoded.headers["Content-Encoding"] == "gzip"
    assert not decoded.content.startswith(b"\x1f\x8b")
    with pytest.raises(OSError):
        gzip.decompress(decoded.content)
    data = sp_client.feeds.download(document["url"], document["compressionAlgorithm"])
    report = parse_processing_report(data)
    assert report.feed_id == feed_id
    assert report.accepted(1)


def test_merchant_listings_report_end_to_end(amazon, sp_client):
    feed_id = sp_client.feeds.submit_listings_feed(
        SELLER,
        US,
        [
            update_message(f"REP-{i}", "SHIRT", shirt(f"REP-{i}", quantity=i))
            for i in (1, 2)
        ],
    )
    finish(amazon, sp_client, feed_id)
    amazon.apply_pending()
    report_id = sp_client.reports.create_report(MERCHANT_LISTINGS_ALL, [US])
    for _ in range(10):
        report = sp_client.reports.get_report(report_id)
        if report["processingStatus"] in TERMINAL_STATUSES:
            break
        amazon.advance(5)
    assert report["processingStatus"] == "DONE"
    rows = sp_client.reports.merchant_listings(report["reportDocumentId"])
    by_sku = {row["sku"]: row for row in rows}
    assert by_sku["REP-1"]["quantity"] == 1
    assert by_sku["REP-2"]["quantity"] == 2
    assert by_sku["REP-2"]["price"] == Decimal("19.99")


def test_listings_feeds_count_in_their_own_bucket(amazon, sp_client):
    """5 JSON_LISTINGS_FEEDs per 5 minutes, not createFeed's burst of 15:
    once the feeds' bucket is empty the next one waits on our side (all 5
    of Amazon's are used: a bucket this slow keeps no spare) instead of
    drawing a 429."""
    message = [delete_message("RATE-1")]
    submitted = 0
    with pytest.raises(AmazonRateLimited) as caught:
        for _ in range(15):
            sp_client.feeds.submit_listings_feed(SELLER, US, message)
            submitted += 1
    assert submitted == 5
    assert 30 <= caught.value.retry_after <= 90
    assert len(amazon.calls(path="/feeds/2021-06-30/feeds$", method="POST")) == 5
    assert all(call["status"] != 429 for call in sp_client.calls)


# What the mislabelling storage host serves, by path.
STORED = {}


class MislabelledStorage(BaseHTTPRequestHandler):
    """A storage host that says ``Content-Encoding: gzip`` of whatever it
    sends: what clients that decode transparently trip over."""

    def do_GET(self):
        body = STORED[self.path.split("?")[0]]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def storage():
    server = ThreadingHTTPServer(("127.0.0.1", 0), MislabelledStorage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_downloads_take_the_bytes_as_sent_whatever_the_headers_say(storage):
    text = b'{"header": {}}'
    STORED.update({"/plain": text, "/twice": gzip.compress(gzip.compress(text))})
    client = SpApiClient(api_url=storage, access_token=lambda: "unused")
    # Decoding on the HTTP client's side fails on the plain one.
    with pytest.raises(requests.exceptions.ContentDecodingError):
        requests.get(f"{storage}/plain?X-Amz-Signature=s", timeout=5)
    assert client.feeds.download(f"{storage}/plain?X-Amz-Signature=s") == text
    assert client.reports.download(f"{storage}/twice?X-Amz-Signature=s") == text
