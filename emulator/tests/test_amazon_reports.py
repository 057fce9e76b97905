"""Reports API 2021-06-30: the merchant listings report (real HTTP), built
from the listings the seller's feeds made."""

import gzip

from amazon_app import CA
from amazon_feed_app import REPORTS, SELLER, US, Seller, feed_document, headphones

ALL_LISTINGS = "GET_MERCHANT_LISTINGS_ALL_DATA"


def listings_feed(seller, amazon, messages):
    """Submit, process and apply a feed of ``messages``."""
    seller.submit(feed_document(messages))
    amazon.process_feeds()
    amazon.advance(2)  # past apply_delay: the submissions apply


def put(message_id, sku, **attributes):
    return {
        "messageId": message_id,
        "sku": sku,
        "operationType": "UPDATE",
        "productType": "HEADPHONES",
        "attributes": headphones(sku, **attributes),
    }


def create_report(seller, marketplace_ids=(US,), report_type=ALL_LISTINGS):
    return seller.call(
        "POST",
        f"{REPORTS}/reports",
        json={"reportType": report_type, "marketplaceIds": list(marketplace_ids)},
    )


def report_rows(seller, amazon, marketplace_id=US):
    """Create the report, follow it to DONE, download it: (header, rows)."""
    created = create_report(seller, (marketplace_id,))
    assert created.status_code == 202, created.text
    report_id = created.json()["reportId"]
    amazon.advance(1)
    report = seller.call("GET", f"{REPORTS}/reports/{report_id}").json()
    assert report["processingStatus"] == "DONE"
    document = seller.call(
        "GET", f"{REPORTS}/documents/{report['reportDocumentId']}"
    ).json()
    assert document["compressionAlgorithm"] == "GZIP"
    answer, raw = seller.download(document["url"])
    assert answer.status_code == 200
    assert "Content-Encoding" not in answer.headers
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    return header, {row["seller-sku"]: row for row in rows}


def test_merchant_listings_report_reflects_listings(amazon):
    seller = Seller(amazon)
    listings_feed(
        seller,
        amazon,
        [
            put(1, "HP-0001", price=49.99, quantity=7),
            put(2, "HP-0002", price=10, quantity=0),
            put(3, "HP-0003", brand=None),
        ],
    )
    # And one through Listings Items.
    answer = seller.call(
        "PUT",
        f"/listings/2021-08-01/items/{SELLER}/HP-0004",
        params={"marketplaceIds": US},
        json={"productType": "HEADPHONES", "attributes": headphones("HP-0004")},
    )
    assert answer.json()["status"] == "ACCEPTED", answer.text
    amazon.apply_pending()
    header, rows = report_rows(seller, amazon)
    assert "\t".join(header).startswith(
        "item-name\titem-description\tlisting-id\tseller-sku\tprice\tquantity\t"
    )
    for column in ("product-id-type", "asin1", "product-id", "fulfillment-channel"):
        assert column in header
    assert header[-1] == "status"
    assert sorted(rows) == ["HP-0001", "HP-0002", "HP-0003", "HP-0004"]
    assert rows["HP-0004"]["status"] == "Active"
    active = rows["HP-0001"]
    assert active["item-name"] == "Emulator headphones HP-0001"
    assert active["price"] == "49.99"
    assert active["quantity"] == "7"
    assert active["status"] == "Active"
    assert active["fulfillment-channel"] == "DEFAULT"
    assert active["asin1"].startswith("B0")
    assert active["product-id-type"] == "4"  # EAN
    assert active["product-id"] == "4006300000001"
    assert active["item-condition"] == "11"
    assert len(active["listing-id"]) == 11
    assert rows["HP-0002"]["quantity"] == "0"
    assert rows["HP-0002"]["status"] == "Inactive"
    assert rows["HP-0003"]["status"] == "Incomplete"
    assert rows["HP-0003"]["asin1"] == ""

    # A later change shows in the next report; the first one stays as it was.
    patch = {
        "messageId": 1,
        "sku": "HP-0001",
        "operationType": "PATCH",
        "productType": "HEADPHONES",
        "patches": [
            {
                "op": "merge",
                "path": "/attributes/fulfillment_availability",
                "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 2}],
            }
        ],
    }
    amazon.advance(300)  # the feed bucket refills
    listings_feed(seller, amazon, [patch])
    _header, again = report_rows(seller, amazon)
    assert again["HP-0001"]["quantity"] == "2"
    assert again["HP-0001"]["listing-id"] == active["listing-id"]
    # Listed in the US only: nothing in Canada.
    _header, canada = report_rows(seller, amazon, CA)
    assert canada == {}


def test_report_walks_the_clock(amazon):
    seller = Seller(amazon)
    created = create_report(seller)
    assert created.status_code == 202, created.text
    report_id = created.json()["reportId"]
    path = f"{REPORTS}/reports/{report_id}"
    first = seller.call("GET", path).json()
    assert first["processingStatus"] == "IN_QUEUE"
    assert first["reportType"] == ALL_LISTINGS
    assert first["marketplaceIds"] == [US]
    assert "reportDocumentId" not in first
    amazon.advance(0.5)
    assert seller.call("GET", path).json()["processingStatus"] == "IN_PROGRESS"
    amazon.advance(0.5)
    done = seller.call("GET", path).json()
    assert done["processingStatus"] == "DONE"
    assert done["reportDocumentId"]
    # An empty report still has its header line.
    document = seller.call(
        "GET",
        f"{REPORTS}/documents/{done['reportDocumentId']}",
        params={"enableContentEncodingUrlHeader": "true"},
    ).json()
    decoded = amazon.session.get(document["url"], timeout=10)
    assert decoded.headers["Content-Encoding"] == "gzip"
    assert decoded.text.startswith("item-name\titem-description\tlisting-id\t")
    assert amazon.documents()[0]["kind"] == "report"


def test_report_requests_refused(amazon):
    seller = Seller(amazon)
    two = create_report(seller, (US, CA))
    assert two.status_code == 400
    assert two.json()["errors"][0]["code"] == "InvalidInput"
    other_type = create_report(seller, report_type="GET_FLAT_FILE_OPEN_LISTINGS_DATA")
    assert other_type.status_code == 400
    amazon.add_seller("A2OTHERSELLER", marketplaces=(US,))
    report_id = create_report(seller).json()["reportId"]
    other = Seller(amazon, "A2OTHERSELLER")
    assert other.call("GET", f"{REPORTS}/reports/{report_id}").status_code == 404
    amazon.process_reports()
    done = seller.call("GET", f"{REPORTS}/reports/{report_id}").json()
    assert done["processingStatus"] == "DONE"
    document_path = f"{REPORTS}/documents/{done['reportDocumentId']}"
    assert other.call("GET", document_path).status_code == 404
