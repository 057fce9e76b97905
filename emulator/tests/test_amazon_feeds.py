"""Feeds API 2021-06-30 with JSON_LISTINGS_FEED (real HTTP): the document
flow, the presigned URLs' rules, the feed's life on the emulator clock and
the processing report against Amazon's own schema."""

import gzip
import json
from pathlib import Path

from amazon_app import CA
from amazon_feed_app import (
    FEEDS,
    INCLUDED,
    JSON_TYPE,
    SELLER,
    US,
    Seller,
    feed_document,
    headphones,
)
from jsonschema import Draft7Validator

from emulator.amazon import feed_processing

REPORT_SCHEMA = "listings-feed-processing-report-schema-v2.json"


def report_validator(models_dir):
    path = Path(models_dir, "schemas", "feeds", REPORT_SCHEMA)
    return Draft7Validator(json.loads(path.read_text()))


def update(message_id, sku, product_type="HEADPHONES", **attributes):
    return {
        "messageId": message_id,
        "sku": sku,
        "operationType": "UPDATE",
        "productType": product_type,
        "requirements": "LISTING",
        "attributes": headphones(sku, **attributes),
    }


def quantity_patch(message_id, sku, quantity, path=None):
    return {
        "messageId": message_id,
        "sku": sku,
        "operationType": "PATCH",
        "productType": "HEADPHONES",
        "patches": [
            {
                "op": "merge",
                "path": path or "/attributes/fulfillment_availability",
                "value": [
                    {"fulfillment_channel_code": "DEFAULT", "quantity": quantity}
                ],
            }
        ],
    }


def several_hundred():
    """301 messages: which are invalid at acceptance, and which are accepted
    but break the product type's schema."""
    messages = [update(i, f"HP-{i:04d}") for i in range(1, 241)]
    # An unknown product type: refused at acceptance.
    messages += [
        update(i, f"HP-{i:04d}", "NOT_A_PRODUCT_TYPE") for i in range(241, 261)
    ]
    # No brand: accepted, then an ERROR issue on the item.
    messages += [update(i, f"HP-{i:04d}", brand=None) for i in range(261, 271)]
    # Quantity changes of the first 20 SKUs.
    messages += [quantity_patch(i, f"HP-{i - 270:04d}", 3) for i in range(271, 291)]
    # A patch path below the top level: refused at acceptance.
    messages += [
        quantity_patch(
            i, f"HP-{i:04d}", 1, path="/attributes/fulfillment_availability/0"
        )
        for i in range(291, 296)
    ]
    # Deletes of five SKUs the feed creates.
    messages += [
        {"messageId": i, "sku": f"HP-{i - 60:04d}", "operationType": "DELETE"}
        for i in range(296, 301)
    ]
    # A messageId used twice.
    messages.append(dict(update(1, "HP-DUPLICATE")))
    invalid = set(range(241, 261)) | set(range(291, 296))
    return messages, invalid


def test_feed_of_several_hundred_messages(amazon, amazon_models_dir):
    seller = Seller(amazon)
    messages, invalid_ids = several_hundred()

    document = seller.create_document()
    assert set(document) == {"feedDocumentId", "url"}
    assert "/_documents/" in document["url"]
    put = seller.upload(document["url"], feed_document(messages, INCLUDED))
    assert put.status_code == 200, put.text
    created = seller.create_feed(document["feedDocumentId"])
    assert created.status_code == 202, created.text
    assert created.headers["x-amzn-RequestId"]
    feed_id = created.json()["feedId"]

    feed = seller.get_feed(feed_id)
    assert feed["processingStatus"] == "IN_QUEUE"
    assert feed["feedType"] == "JSON_LISTINGS_FEED"
    assert feed["marketplaceIds"] == [US]
    assert "resultFeedDocumentId" not in feed
    amazon.advance(1)
    assert seller.get_feed(feed_id)["processingStatus"] == "IN_PROGRESS"
    amazon.advance(1)
    feed = seller.get_feed(feed_id)
    assert feed["processingStatus"] == "DONE"
    assert feed["processingStartTime"] <= feed["processingEndTime"]

    report = seller.result_report(feed_id)
    assert list(report_validator(amazon_models_dir).iter_errors(report)) == []
    assert report["header"] == {
        "sellerId": SELLER,
        "version": "2.0",
        "feedId": feed_id,
        "report": {"includedData": INCLUDED, "apiVersion": "2021-08-01"},
    }
    summary = report["summary"]
    assert summary["messagesProcessed"] == 301
    assert summary["messagesInvalid"] == len(invalid_ids) + 1  # and the duplicate
    assert summary["messagesAccepted"] == 301 - len(invalid_ids) - 1
    with_errors = {i["messageId"] for i in report["issues"] if i["severity"] == "ERROR"}
    assert with_errors == invalid_ids | {1}
    assert summary["errors"] == sum(
        1 for i in report["issues"] if i["severity"] == "ERROR"
    )
    unknown_type = next(i for i in report["issues"] if i["messageId"] == 241)
    assert unknown_type["sku"] == "HP-0241"
    assert "NOT_A_PRODUCT_TYPE" in unknown_type["message"]
    duplicate = [i for i in report["issues"] if i["messageId"] == 1]
    assert duplicate[0]["sku"] == "HP-DUPLICATE"
    assert "unique" in duplicate[0]["message"]

    # includedData: the items of the accepted SKUs, once applied; the ones
    # without a brand carry the product type's ERROR.
    items = {item["sku"]: item for item in report["items"]}
    assert "HP-0241" not in items  # refused
    assert "HP-0236" not in items  # deleted by the feed
    assert items["HP-0001"]["summaries"][0]["status"] == ["BUYABLE", "DISCOVERABLE"]
    assert items["HP-0001"]["issues"] == []
    no_brand = items["HP-0265"]
    assert any("brand" in i.get("attributeNames", []) for i in no_brand["issues"])
    assert no_brand["summaries"][0]["status"] == []
    assert summary["itemSummary"]["items"] == len(items)
    assert summary["itemSummary"]["errors"] >= 10

    # The listings store holds what the feed did.
    listings = amazon.listings(SELLER)
    assert "HP-0241" not in listings  # refused
    assert "HP-0236" not in listings  # deleted
    assert "HP-DUPLICATE" not in listings  # its messageId was taken
    assert len(listings) == 235 + 10
    patched = listings["HP-0005"]["attributes"]["fulfillment_availability"]
    assert patched == [{"fulfillment_channel_code": "DEFAULT", "quantity": 3}]
    assert (
        listings["HP-0021"]["attributes"]["fulfillment_availability"][0]["quantity"]
        == 7
    )

    # The control API: the feed with its decoded messages and its report.
    control = amazon.feed(feed_id)
    assert control["processingStatus"] == "DONE"
    assert len(control["messages"]) == 301
    assert control["messages"][240]["productType"] == "NOT_A_PRODUCT_TYPE"
    assert control["report"] == report
    assert [f["feedId"] for f in amazon.feeds(SELLER)] == [feed_id]
    kinds = sorted(d["kind"] for d in amazon.documents())
    assert kinds == ["feed_input", "feed_result"]


def test_report_without_included_data_covers_acceptance_only(amazon):
    seller = Seller(amazon)
    messages = [update(1, "HP-0001"), update(2, "HP-0002", "NOT_A_PRODUCT_TYPE")]
    feed_id = seller.submit(feed_document(messages))
    amazon.process_feeds()
    report = seller.result_report(feed_id)
    assert "items" not in report
    assert "report" not in report["header"]
    assert report["summary"] == {
        "errors": 1,
        "warnings": 0,
        "messagesProcessed": 2,
        "messagesAccepted": 1,
        "messagesInvalid": 1,
    }
    assert [i["messageId"] for i in report["issues"]] == [2]


def test_upload_content_type_must_match(amazon):
    seller = Seller(amazon)
    document = seller.create_document(JSON_TYPE)
    data = feed_document([update(1, "HP-0001")])
    put = seller.upload(document["url"], data, content_type="text/plain")
    assert put.status_code == 403
    assert put.headers["Content-Type"] == "application/xml"
    assert "<Code>SignatureDoesNotMatch</Code>" in put.text
    # Nothing was stored: the feed cannot use the document.
    refused = seller.create_feed(document["feedDocumentId"])
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "InvalidInput"
    assert seller.upload(document["url"], data).status_code == 200
    assert seller.create_feed(document["feedDocumentId"]).status_code == 202


def test_input_document_expires_after_two_days(amazon):
    seller = Seller(amazon)
    document = seller.create_document()
    data = feed_document([update(1, "HP-0001")])
    assert seller.upload(document["url"], data).status_code == 200
    amazon.advance(2 * 24 * 3600 + 1)
    seller = Seller(amazon)  # a fresh access token: the first one is long gone
    refused = seller.create_feed(document["feedDocumentId"])
    assert refused.status_code == 400
    assert "expired" in refused.json()["errors"][0]["details"]


def test_upload_url_expires_after_five_minutes(amazon):
    seller = Seller(amazon)
    document = seller.create_document()
    amazon.advance(301)
    put = seller.upload(document["url"], feed_document([update(1, "HP-0001")]))
    assert put.status_code == 403
    assert "<Code>AccessDenied</Code>" in put.text
    assert "<Message>Request has expired</Message>" in put.text


def test_upload_url_is_the_credential(amazon):
    seller = Seller(amazon)
    document = seller.create_document()
    data = feed_document([update(1, "HP-0001")])
    # A tampered URL, the URL used for another method, an SP-API token sent along.
    assert (
        seller.upload(
            document["url"].replace("X-Amz-Expires=300", "X-Amz-Expires=900"), data
        ).status_code
        == 403
    )
    assert seller.download(document["url"])[0].status_code == 403
    leaked = seller.upload(
        document["url"], data, **{"x-amz-access-token": seller.token}
    )
    assert leaked.status_code == 403
    assert "x-amz-access-token" in leaked.text
    assert seller.upload(document["url"], data).status_code == 200


def test_one_marketplace_per_feed(amazon):
    seller = Seller(amazon)
    document = seller.create_document()
    assert (
        seller.upload(document["url"], feed_document([update(1, "HP-1")])).status_code
        == 200
    )
    answer = seller.create_feed(document["feedDocumentId"], (US, CA))
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["message"] == (
        "Too many 'marketplaceIds' values provided. Expected a maximum of 1."
    )
    assert amazon.feeds() == []


def test_five_feeds_per_five_minutes(amazon):
    seller = Seller(amazon)
    data = feed_document([update(1, "HP-0001")])
    for _i in range(5):
        seller.submit(data)
    document = seller.create_document()
    assert seller.upload(document["url"], data).status_code == 200
    throttled = seller.create_feed(document["feedDocumentId"])
    assert throttled.status_code == 429
    assert throttled.json() == {
        "errors": [
            {
                "code": "QuotaExceeded",
                "message": "You exceeded your quota for the requested resource.",
            }
        ]
    }
    assert "x-amzn-RateLimit-Limit" not in throttled.headers
    assert "Retry-After" not in throttled.headers
    amazon.advance(300)
    document = seller.create_document()
    assert seller.upload(document["url"], data).status_code == 200
    again = seller.create_feed(document["feedDocumentId"])
    assert again.status_code == 202, again.text
    assert again.headers["x-amzn-RateLimit-Limit"]
    assert len(amazon.feeds(SELLER)) == 6


def test_broken_documents_end_fatal(amazon, amazon_models_dir):
    seller = Seller(amazon)
    too_many = [
        {"messageId": i, "sku": f"S{i}", "operationType": "DELETE"}
        for i in range(1, 25002)
    ]
    wrong_version = json.loads(feed_document([update(1, "HP-0001")]))
    wrong_version["header"]["version"] = "1.0"
    broken = {
        "not json": b"{'header': nope",
        "schema": json.dumps(wrong_version).encode(),
        "too many": feed_document(too_many),
        "another seller": feed_document([update(1, "HP-1")], seller_id="A2OTHER"),
    }
    feeds = {name: seller.submit(data) for name, data in broken.items()}
    amazon.process_feeds()
    validator = report_validator(amazon_models_dir)
    for name, feed_id in feeds.items():
        feed = seller.get_feed(feed_id)
        assert feed["processingStatus"] == "FATAL", name
        report = seller.result_report(feed_id)
        assert list(validator.iter_errors(report)) == [], name
        (issue,) = report["issues"]
        assert "messageId" not in issue, name
        assert issue["severity"] == "ERROR"
        assert report["summary"]["messagesProcessed"] == 0
    assert (
        "not valid JSON"
        in seller.result_report(feeds["not json"])["issues"][0]["message"]
    )
    assert "25,000" in seller.result_report(feeds["too many"])["issues"][0]["message"]
    assert "version" in seller.result_report(feeds["schema"])["issues"][0]["message"]
    assert (
        "sellerId"
        in seller.result_report(feeds["another seller"])["issues"][0]["message"]
    )
    assert amazon.feed(feeds["too many"])["messages"] == []


def test_legacy_listings_feeds_end_fatal_and_others_are_refused(amazon):
    seller = Seller(amazon)
    document = seller.create_document("text/xml; charset=UTF-8")
    put = seller.upload(
        document["url"], b"<AmazonEnvelope/>", "text/xml; charset=UTF-8"
    )
    assert put.status_code == 200
    legacy = seller.create_feed(
        document["feedDocumentId"], feed_type="POST_PRODUCT_DATA"
    )
    assert legacy.status_code == 202, legacy.text
    amazon.process_feeds()
    feed = seller.get_feed(legacy.json()["feedId"])
    assert feed["processingStatus"] == "FATAL"
    assert "resultFeedDocumentId" not in feed
    unknown = seller.create_feed(document["feedDocumentId"], feed_type="NOT_A_FEED")
    assert unknown.status_code == 400


def test_download_claims_no_content_encoding_unless_asked(amazon):
    seller = Seller(amazon)
    feed_id = seller.submit(feed_document([update(1, "HP-0001")]))
    amazon.process_feeds()
    document_id = seller.get_feed(feed_id)["resultFeedDocumentId"]

    plain = seller.call("GET", f"{FEEDS}/documents/{document_id}").json()
    answer, raw = seller.download(plain["url"])
    assert "Content-Encoding" not in answer.headers
    assert raw[:2] == b"\x1f\x8b"  # gzip bytes, to gunzip once
    assert json.loads(gzip.decompress(raw))["header"]["feedId"] == feed_id

    asked = seller.call(
        "GET",
        f"{FEEDS}/documents/{document_id}",
        params={"enableContentEncodingUrlHeader": "true"},
    ).json()
    assert asked["compressionAlgorithm"] == "GZIP"
    decoded = amazon.session.get(asked["url"], timeout=10)
    assert decoded.headers["Content-Encoding"] == "gzip"
    assert decoded.json()["header"]["feedId"] == feed_id  # decoded by the client

    amazon.advance(301)
    assert seller.download(plain["url"])[0].status_code == 403


def test_feed_lifecycle_cancel_and_list(amazon):
    seller = Seller(amazon)
    data = feed_document([update(1, "HP-0001")])
    first = seller.submit(data)
    second = seller.submit(data)
    cancelled = seller.call("DELETE", f"{FEEDS}/feeds/{first}")
    assert cancelled.status_code == 200, cancelled.text
    assert seller.get_feed(first)["processingStatus"] == "CANCELLED"
    amazon.advance(2)
    assert seller.get_feed(second)["processingStatus"] == "DONE"
    too_late = seller.call("DELETE", f"{FEEDS}/feeds/{second}")
    assert too_late.status_code == 400

    page = seller.call(
        "GET",
        f"{FEEDS}/feeds",
        params={"feedTypes": "JSON_LISTINGS_FEED", "pageSize": 1},
    )
    assert page.status_code == 200, page.text
    assert [f["feedId"] for f in page.json()["feeds"]] == [second]
    following = seller.call(
        "GET", f"{FEEDS}/feeds", params={"nextToken": page.json()["nextToken"]}
    )
    assert [f["feedId"] for f in following.json()["feeds"]] == [first]
    assert "nextToken" not in following.json()
    done = seller.call(
        "GET",
        f"{FEEDS}/feeds",
        params={"feedTypes": "JSON_LISTINGS_FEED", "processingStatuses": "DONE"},
    )
    assert [f["feedId"] for f in done.json()["feeds"]] == [second]
    assert seller.call("GET", f"{FEEDS}/feeds").status_code == 400


def test_feeds_and_documents_are_the_sellers_own(amazon):
    amazon.add_seller("A2OTHERSELLER", marketplaces=(US,))
    seller, other = Seller(amazon), Seller(amazon, "A2OTHERSELLER")
    feed_id = seller.submit(feed_document([update(1, "HP-0001")]))
    amazon.process_feeds()
    document_id = seller.get_feed(feed_id)["resultFeedDocumentId"]
    assert other.call("GET", f"{FEEDS}/feeds/{feed_id}").status_code == 404
    assert other.call("GET", f"{FEEDS}/documents/{document_id}").status_code == 404
    # The other seller's document cannot feed this seller's feed.
    document = other.create_document()
    assert other.upload(document["url"], b"{}").status_code == 200
    assert seller.create_feed(document["feedDocumentId"]).status_code == 400


def test_feed_schemas_come_from_the_models_served(amazon_emulator, amazon_models_dir):
    state = amazon_emulator.state
    assert state.models_dir == amazon_models_dir
    assert feed_processing.schemas_dir(state) == Path(
        amazon_models_dir, "schemas", "feeds"
    )


def test_a_report_off_amazons_schema_is_a_violation(amazon, amazon_emulator):
    state = amazon_emulator.state
    feed = {"feedId": "1", "seller_id": SELLER}
    feed_processing.check_report(state, feed, {"header": {"sellerId": SELLER}})
    (violation,) = amazon.take_violations()
    assert violation["side"] == "answer"
    assert "issues" in violation["reason"]
