"""Listings Items 2021-08-01 on the Amazon emulator (real HTTP on loopback):
submissions ACCEPTED then applied on the emulator clock, previews, patches,
deletes, search, variations and issues raised after acceptance.  The
``amazon`` fixture fails a test that leaves a contract violation."""

from urllib.parse import quote

import pytest
from amazon_app import CA, SELLER, US

from emulator.client import ControlError

ITEMS = f"/listings/2021-08-01/items/{SELLER}"
EVERYTHING = (
    "summaries,attributes,issues,offers,fulfillmentAvailability,"
    "relationships,productTypes"
)


def text(value, marketplace=US, language="en_US"):
    return [{"value": value, "language_tag": language, "marketplace_id": marketplace}]


def shirt(price=19.99, quantity=5, marketplace=US, **extra):
    """A complete SHIRT listing's attributes for one marketplace."""
    attributes = {
        "item_name": text("Classic Cotton T-Shirt", marketplace),
        "brand": text("Emulator Brand", marketplace),
        "bullet_point": text("Soft cotton", marketplace)
        + text("Machine washable", marketplace),
        "product_description": text("A soft cotton shirt for every day.", marketplace),
        "department": text("mens", marketplace),
        "externally_assigned_product_identifier": [
            {"type": "ean", "value": "4006381333931", "marketplace_id": marketplace}
        ],
        "condition_type": [{"value": "new_new", "marketplace_id": marketplace}],
        "main_product_image_locator": [
            {
                "media_location": "https://img.example.com/shirt.jpg",
                "marketplace_id": marketplace,
            }
        ],
        "purchasable_offer": [
            {
                "marketplace_id": marketplace,
                "currency": "USD" if marketplace == US else "CAD",
                "audience": "ALL",
                "our_price": [{"schedule": [{"value_with_tax": price}]}],
            }
        ],
        "fulfillment_availability": [
            {
                "fulfillment_channel_code": "DEFAULT",
                "quantity": quantity,
                "lead_time_to_ship_max_days": 2,
                "restock_date": "2027-01-15",
            }
        ],
    }
    attributes.update(extra)
    return attributes


@pytest.fixture
def api(amazon):
    """``call(method, path, **kwargs)`` with the seller's access token."""
    token = amazon.access_token()

    def call(method, path, **kwargs):
        return amazon.call(method, path, token, **kwargs)

    return call


def put(api, sku, attributes, product_type="SHIRT", marketplaces=US, **params):
    return api(
        "PUT",
        f"{ITEMS}/{quote(sku, safe='')}",
        params={"marketplaceIds": marketplaces, **params},
        json={
            "productType": product_type,
            "requirements": "LISTING",
            "attributes": attributes,
        },
    )


def patch(api, sku, patches, product_type="SHIRT", marketplaces=US, **params):
    return api(
        "PATCH",
        f"{ITEMS}/{quote(sku, safe='')}",
        params={"marketplaceIds": marketplaces, **params},
        json={"productType": product_type, "patches": patches},
    )


def get(api, sku, included=EVERYTHING, marketplaces=US):
    return api(
        "GET",
        f"{ITEMS}/{quote(sku, safe='')}",
        params={"marketplaceIds": marketplaces, "includedData": included},
    )


def listed(amazon, api, sku, attributes=None, **kwargs):
    """Put a SKU and let it apply: its getListingsItem body."""
    answer = put(api, sku, attributes or shirt(), **kwargs)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "ACCEPTED", answer.text
    amazon.apply_pending()
    found = get(api, sku)
    assert found.status_code == 200, found.text
    return found.json()


# -- put, then get later ---------------------------------------------------------------
def test_put_is_accepted_then_applied_after_the_delay(amazon, api):
    answer = put(api, "SHIRT-1", shirt())
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "ACCEPTED"
    assert body["sku"] == "SHIRT-1"
    assert body["submissionId"]
    assert body["issues"] == []
    assert answer.headers["x-amzn-RequestId"]
    # Not applied yet: Amazon processes an accepted submission later.
    assert get(api, "SHIRT-1").status_code == 404
    assert amazon.listing(SELLER, "SHIRT-1")["pending"][0]["kind"] == "put"
    amazon.advance(1.5)  # apply_delay is 1 s on the emulator clock
    found = get(api, "SHIRT-1")
    assert found.status_code == 200, found.text
    item = found.json()
    summary = item["summaries"][0]
    assert summary["marketplaceId"] == US
    assert summary["status"] == ["BUYABLE", "DISCOVERABLE"]
    assert summary["productType"] == "SHIRT"
    assert summary["conditionType"] == "new_new"
    assert summary["itemName"] == "Classic Cotton T-Shirt"
    assert summary["asin"].startswith("B0") and len(summary["asin"]) == 10
    assert item["issues"] == []
    assert item["offers"] == [
        {
            "marketplaceId": US,
            "offerType": "B2C",
            "price": {"currencyCode": "USD", "amount": "19.99"},
        }
    ]
    assert item["fulfillmentAvailability"] == [
        {"fulfillmentChannelCode": "DEFAULT", "quantity": 5}
    ]
    assert item["productTypes"] == [{"marketplaceId": US, "productType": "SHIRT"}]
    assert item["relationships"] == [{"marketplaceId": US, "relationships": []}]
    assert item["attributes"]["brand"] == text("Emulator Brand")
    assert amazon.listings(SELLER)["SHIRT-1"]["marketplaces"][US]["status"] == [
        "BUYABLE",
        "DISCOVERABLE",
    ]


def test_get_defaults_to_summaries(amazon, api):
    listed(amazon, api, "SHIRT-D")
    answer = api("GET", f"{ITEMS}/SHIRT-D", params={"marketplaceIds": US})
    assert answer.status_code == 200
    assert set(answer.json()) == {"sku", "summaries"}
    assert answer.headers.get("x-amzn-RateLimit-Limit")


def test_issues_found_after_acceptance_keep_the_listing_off_sale(amazon, api):
    attributes = shirt()
    del attributes["brand"]
    attributes["item_name"] = text("x" * 201)
    answer = put(api, "SHIRT-BAD", attributes)
    # Acceptance does not check the schema: the problems come later.
    assert answer.json()["status"] == "ACCEPTED"
    assert answer.json()["issues"] == []
    amazon.apply_pending()
    item = get(api, "SHIRT-BAD").json()
    assert item["summaries"][0]["status"] == []
    assert "asin" not in item["summaries"][0]
    by_attribute = {tuple(i["attributeNames"]): i for i in item["issues"]}
    missing = by_attribute[("brand",)]
    assert missing["code"] == "90220"
    assert missing["severity"] == "ERROR"
    assert missing["categories"] == ["MISSING_ATTRIBUTE"]
    assert missing["message"] == "'[brand]' is required but not supplied."
    assert missing["marketplaceIds"] == [US]
    too_long = by_attribute[("item_name",)]
    assert too_long["categories"] == ["INVALID_ATTRIBUTE"]


def test_utf8_byte_length_is_amazons_own_keyword(amazon, api):
    # item_name: at most 200 characters and 600 bytes of UTF-8.
    accents = listed(amazon, api, "SHIRT-U1", shirt(item_name=text("\u00e9" * 200)))
    assert accents["issues"] == []  # 200 characters, 400 bytes
    at_limit = listed(
        amazon, api, "SHIRT-U2", shirt(item_name=text("\U0001f455" * 150))
    )
    assert at_limit["issues"] == []  # 150 characters, 600 bytes
    over = listed(amazon, api, "SHIRT-U3", shirt(item_name=text("\U0001f455" * 151)))
    assert [i["attributeNames"] for i in over["issues"]] == [["item_name"]]
    assert "604 bytes" in over["issues"][0]["message"]
    assert over["summaries"][0]["status"] == []


def test_bullet_points_are_unique_by_their_selectors(amazon, api):
    bullets = [text(f"Point {n}")[0] for n in range(6)]
    item = listed(amazon, api, "SHIRT-B6", shirt(bullet_point=bullets))
    assert [(i["code"], i["attributeNames"]) for i in item["issues"]] == [
        ("99022", ["bullet_point"])
    ]
    repeated = [text("Same point")[0]] * 6  # one distinct value
    assert listed(amazon, api, "SHIRT-B1", shirt(bullet_point=repeated))["issues"] == []


def test_missing_price_and_image_have_their_categories(amazon, api):
    attributes = shirt()
    del attributes["purchasable_offer"]
    del attributes["main_product_image_locator"]
    item = listed(amazon, api, "SHIRT-NP", attributes)
    categories = {i["attributeNames"][0]: i["categories"] for i in item["issues"]}
    assert categories["purchasable_offer"] == ["MISSING_PRICE"]
    assert categories["main_product_image_locator"] == ["MISSING_IMAGE"]


def test_identifier_or_exemption(amazon, api):
    attributes = shirt()
    del attributes["externally_assigned_product_identifier"]
    item = listed(amazon, api, "SHIRT-NOID", attributes)
    assert [i["attributeNames"] for i in item["issues"]] == [
        [
            "externally_assigned_product_identifier",
            "supplier_declared_has_product_identifier_exemption",
        ]
    ]
    attributes["supplier_declared_has_product_identifier_exemption"] = [
        {"value": True, "marketplace_id": US}
    ]
    assert listed(amazon, api, "SHIRT-EXEMPT", attributes)["issues"] == []


def test_out_of_stock_is_discoverable_not_buyable(amazon, api):
    item = listed(amazon, api, "SHIRT-0", shirt(quantity=0))
    assert item["summaries"][0]["status"] == ["DISCOVERABLE"]


def test_same_identifier_same_asin(amazon, api):
    first = listed(amazon, api, "SHIRT-A", shirt())
    second = listed(amazon, api, "SHIRT-B", shirt())
    assert first["summaries"][0]["asin"] == second["summaries"][0]["asin"]


def test_put_with_identifiers_answers_the_asin_once_known(amazon, api):
    first = put(api, "SHIRT-ID", shirt(), includedData="identifiers,issues").json()
    assert first["identifiers"] == []
    amazon.apply_pending()
    again = put(api, "SHIRT-ID", shirt(), includedData="identifiers").json()
    asin = get(api, "SHIRT-ID").json()["summaries"][0]["asin"]
    assert again["identifiers"] == [{"marketplaceId": US, "asin": asin}]
    assert "issues" not in again


# -- immediate INVALID and previews ----------------------------------------------------
def test_unknown_product_type_is_invalid_at_once(amazon, api):
    answer = put(api, "SHIRT-X", shirt(), product_type="SPACESHIP")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "INVALID"
    assert body["issues"][0]["severity"] == "ERROR"
    assert "SPACESHIP" in body["issues"][0]["message"]
    amazon.apply_pending()
    assert get(api, "SHIRT-X").status_code == 404


def test_malformed_attribute_shape_is_invalid_at_once(amazon, api):
    attributes = shirt(item_name="Not an array")
    body = put(api, "SHIRT-M", attributes).json()
    assert body["status"] == "INVALID"
    assert body["issues"][0]["attributeNames"] == ["item_name"]
    assert amazon.apply_pending() == 0


def test_preview_valid_stores_nothing(amazon, api):
    answer = put(api, "SHIRT-P", shirt(), mode="VALIDATION_PREVIEW")
    assert answer.status_code == 200
    assert answer.json()["status"] == "VALID"
    assert answer.json()["issues"] == []
    assert amazon.apply_pending() == 0
    assert get(api, "SHIRT-P").status_code == 404
    with pytest.raises(ControlError):
        amazon.listing(SELLER, "SHIRT-P")


def test_preview_invalid_lists_the_schema_issues(amazon, api):
    attributes = shirt()
    del attributes["department"]
    attributes["condition_type"] = [{"value": "brand_new", "marketplace_id": US}]
    body = put(api, "SHIRT-PI", attributes, mode="VALIDATION_PREVIEW").json()
    assert body["status"] == "INVALID"
    names = sorted(i["attributeNames"][0] for i in body["issues"])
    assert names == ["condition_type", "department"]
    assert amazon.apply_pending() == 0


def test_patch_preview_checks_the_patched_listing(amazon, api):
    listed(amazon, api, "SHIRT-PP")
    bad = [{"op": "delete", "path": "/attributes/brand"}]
    body = patch(api, "SHIRT-PP", bad, mode="VALIDATION_PREVIEW").json()
    assert body["status"] == "INVALID"
    assert body["issues"][0]["attributeNames"] == ["brand"]
    good = [{"op": "replace", "path": "/attributes/brand", "value": text("Other")}]
    assert (
        patch(api, "SHIRT-PP", good, mode="VALIDATION_PREVIEW").json()["status"]
        == "VALID"
    )
    amazon.apply_pending()
    assert get(api, "SHIRT-PP").json()["attributes"]["brand"] == text("Emulator Brand")


def test_too_long_sku_is_refused(amazon, api):
    answer = put(api, "S" * 41, shirt())
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"] == "InvalidInput"


def test_marketplace_the_seller_does_not_sell_in_is_refused(amazon, api):
    answer = put(api, "SHIRT-DE", shirt(), marketplaces="A1PA6795UKMFR9")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"] == "InvalidInput"


def test_request_against_the_model_is_refused_and_recorded(amazon, api):
    answer = api(
        "PUT",
        f"{ITEMS}/SHIRT-C",
        params={"marketplaceIds": US},
        json={"attributes": {}},
    )
    assert answer.status_code == 400
    violations = amazon.take_violations()
    assert [v["operation"] for v in violations] == ["putListingsItem"]


# -- patches ---------------------------------------------------------------------------
def test_merge_changes_the_quantity_and_keeps_the_rest(amazon, api):
    listed(amazon, api, "SHIRT-Q")
    answer = patch(
        api,
        "SHIRT-Q",
        [
            {
                "op": "merge",
                "path": "/attributes/fulfillment_availability",
                "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 0}],
            }
        ],
        product_type="PRODUCT",
    )
    assert answer.json()["status"] == "ACCEPTED", answer.text
    amazon.apply_pending()
    item = get(api, "SHIRT-Q").json()
    assert item["attributes"]["fulfillment_availability"] == [
        {
            "fulfillment_channel_code": "DEFAULT",
            "quantity": 0,
            "lead_time_to_ship_max_days": 2,
            "restock_date": "2027-01-15",
        }
    ]
    assert item["summaries"][0]["status"] == ["DISCOVERABLE"]
    assert item["summaries"][0]["productType"] == "SHIRT"


def test_replace_the_whole_attribute(amazon, api):
    listed(amazon, api, "SHIRT-R")
    patch(
        api,
        "SHIRT-R",
        [
            {
                "op": "replace",
                "path": "/attributes/fulfillment_availability",
                "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 7}],
            },
            {
                "op": "replace",
                "path": "/attributes/purchasable_offer",
                "value": [
                    {
                        "marketplace_id": US,
                        "currency": "USD",
                        "audience": "ALL",
                        "our_price": [{"schedule": [{"value_with_tax": 24.5}]}],
                    }
                ],
            },
        ],
        product_type="PRODUCT",
    )
    amazon.apply_pending()
    item = get(api, "SHIRT-R").json()
    assert item["attributes"]["fulfillment_availability"] == [
        {"fulfillment_channel_code": "DEFAULT", "quantity": 7}
    ]
    assert item["offers"][0]["price"] == {"currencyCode": "USD", "amount": "24.50"}


def test_add_by_selectors_and_delete_values(amazon, api):
    listed(amazon, api, "SHIRT-AD")
    patch(
        api,
        "SHIRT-AD",
        [
            {
                "op": "add",
                "path": "/attributes/bullet_point",
                "value": text("Slim fit"),
            },
            {
                "op": "add",
                "path": "/attributes/item_name",
                "value": text("Renamed Shirt"),
            },
            {
                "op": "delete",
                "path": "/attributes/bullet_point",
                "value": text("Soft cotton"),
            },
        ],
    )
    amazon.apply_pending()
    attributes = get(api, "SHIRT-AD").json()["attributes"]
    assert [v["value"] for v in attributes["bullet_point"]] == [
        "Machine washable",
        "Slim fit",
    ]
    assert attributes["item_name"] == text("Renamed Shirt")


def test_deleting_a_required_attribute_raises_an_issue_later(amazon, api):
    listed(amazon, api, "SHIRT-DEL")
    answer = patch(
        api, "SHIRT-DEL", [{"op": "delete", "path": "/attributes/item_name"}]
    )
    assert answer.json()["status"] == "ACCEPTED"
    amazon.apply_pending()
    item = get(api, "SHIRT-DEL").json()
    assert item["summaries"][0]["status"] == []
    assert [i["attributeNames"] for i in item["issues"]] == [["item_name"]]


def test_patch_path_must_be_a_top_level_attribute(amazon, api):
    body = patch(
        api,
        "SHIRT-PATH",
        [
            {
                "op": "replace",
                "path": "/attributes/purchasable_offer/0/currency",
                "value": [{}],
            }
        ],
    ).json()
    assert body["status"] == "INVALID"
    assert "top-level" in body["issues"][0]["message"]


def test_offer_only_patch_of_a_missing_sku_is_accepted_and_changes_nothing(amazon, api):
    answer = patch(
        api,
        "NO-SUCH-SKU",
        [
            {
                "op": "merge",
                "path": "/attributes/fulfillment_availability",
                "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 3}],
            }
        ],
        product_type="PRODUCT",
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "ACCEPTED"
    assert amazon.apply_pending() == 1
    assert get(api, "NO-SUCH-SKU").status_code == 404
    assert "NO-SUCH-SKU" not in amazon.listings(SELLER)


def test_submissions_apply_in_order(amazon, api):
    put(api, "SHIRT-O", shirt(quantity=1))
    patch(
        api,
        "SHIRT-O",
        [
            {
                "op": "merge",
                "path": "/attributes/fulfillment_availability",
                "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 9}],
            }
        ],
    )
    amazon.advance(2)
    item = get(api, "SHIRT-O").json()
    assert item["fulfillmentAvailability"] == [
        {"fulfillmentChannelCode": "DEFAULT", "quantity": 9}
    ]


# -- delete ----------------------------------------------------------------------------
def test_delete_is_accepted_then_the_listing_is_gone(amazon, api):
    listed(amazon, api, "SHIRT-GONE")
    answer = api("DELETE", f"{ITEMS}/SHIRT-GONE", params={"marketplaceIds": US})
    assert answer.status_code == 200
    assert answer.json()["status"] == "ACCEPTED"
    assert get(api, "SHIRT-GONE").status_code == 200  # not yet
    amazon.apply_pending()
    gone = get(api, "SHIRT-GONE")
    assert gone.status_code == 404
    assert gone.json()["errors"][0]["code"] == "NOT_FOUND"
    # Re-listing the SKU works.
    assert listed(amazon, api, "SHIRT-GONE")["summaries"][0]["status"]


def test_delete_of_one_marketplace_keeps_the_other(amazon, api):
    attributes = shirt()
    for name, values in shirt(marketplace=CA).items():
        if name != "fulfillment_availability":
            attributes[name] = attributes[name] + values
    listed(amazon, api, "SHIRT-2M", attributes, marketplaces=f"{US},{CA}")
    both = get(api, "SHIRT-2M", "summaries", marketplaces=f"{US},{CA}").json()
    assert [s["status"] for s in both["summaries"]] == [["BUYABLE", "DISCOVERABLE"]] * 2
    api("DELETE", f"{ITEMS}/SHIRT-2M", params={"marketplaceIds": CA})
    amazon.apply_pending()
    assert get(api, "SHIRT-2M", marketplaces=CA).status_code == 404
    us = get(api, "SHIRT-2M", "offers").json()
    assert us["offers"][0]["price"]["currencyCode"] == "USD"


def test_delete_of_an_unknown_sku_is_accepted(amazon, api):
    answer = api("DELETE", f"{ITEMS}/NEVER-LISTED", params={"marketplaceIds": US})
    assert answer.json()["status"] == "ACCEPTED"
    assert amazon.apply_pending() == 1


# -- issues raised after acceptance ----------------------------------------------------
def test_issue_raised_on_a_live_listing_is_read_back(amazon, api):
    listed(amazon, api, "SHIRT-LATE")
    issue = {
        "code": "18027",
        "message": "We believe the main image has text, logo, graphic or watermark.",
        "severity": "ERROR",
        "attributeNames": ["main_product_image_locator"],
        "categories": ["INVALID_IMAGE"],
        "enforcements": {
            "actions": [{"action": "LISTING_SUPPRESSED"}],
            "exemption": {"status": "NOT_EXEMPT"},
        },
    }
    amazon.add_issue(SELLER, "SHIRT-LATE", US, issue)
    item = get(api, "SHIRT-LATE", "summaries,issues").json()
    assert item["issues"] == [dict(issue, marketplaceIds=[US])]
    assert item["summaries"][0]["status"] == []
    amazon.clear_issues(SELLER, "SHIRT-LATE")
    assert get(api, "SHIRT-LATE", "summaries").json()["summaries"][0]["status"] == [
        "BUYABLE",
        "DISCOVERABLE",
    ]


def test_warning_raised_keeps_the_listing_buyable(amazon, api):
    listed(amazon, api, "SHIRT-WARN")
    amazon.add_issue(
        SELLER,
        "SHIRT-WARN",
        US,
        {
            "code": "18448",
            "message": "Provide item_weight.",
            "severity": "WARNING",
            "categories": ["MISSING_ATTRIBUTE"],
            "attributeNames": ["item_weight"],
        },
    )
    item = get(api, "SHIRT-WARN", "summaries,issues").json()
    assert item["summaries"][0]["status"] == ["BUYABLE", "DISCOVERABLE"]
    assert item["issues"][0]["severity"] == "WARNING"


def test_raising_an_issue_needs_a_live_listing_and_a_good_issue(amazon):
    with pytest.raises(ControlError) as missing:
        amazon.add_issue(
            SELLER,
            "NOPE",
            US,
            {"code": "1", "message": "m", "severity": "ERROR", "categories": []},
        )
    assert missing.value.response.status_code == 404
    with pytest.raises(ControlError) as bad:
        amazon.add_issue(
            SELLER,
            "NOPE",
            US,
            {"code": "1", "message": "m", "severity": "FATAL", "categories": []},
        )
    assert bad.value.response.status_code == 400


# -- search ----------------------------------------------------------------------------
def test_search_pages_through_the_listings(amazon, api):
    for index in range(7):
        put(api, f"SKU-{index:02d}", shirt(quantity=index))
    amazon.apply_pending()
    seen = []
    token = None
    pages = 0
    while True:
        params = {
            "marketplaceIds": US,
            "pageSize": 3,
            "sortBy": "sku",
            "sortOrder": "ASC",
        }
        if token:
            params["pageToken"] = token
        answer = api("GET", ITEMS, params=params)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["numberOfResults"] == 7
        seen += [entry["sku"] for entry in body["items"]]
        pages += 1
        token = (body.get("pagination") or {}).get("nextToken")
        if not token:
            break
    assert pages == 3
    assert seen == [f"SKU-{index:02d}" for index in range(7)]
    assert "summaries" in body["items"][0]


def test_search_filters(amazon, api):
    for index in range(3):
        put(api, f"F-{index}", shirt(quantity=index))
    amazon.apply_pending()
    by_sku = api(
        "GET",
        ITEMS,
        params={
            "marketplaceIds": US,
            "identifiers": "F-1,F-2",
            "identifiersType": "SKU",
        },
    ).json()
    assert sorted(i["sku"] for i in by_sku["items"]) == ["F-1", "F-2"]
    buyable = api(
        "GET", ITEMS, params={"marketplaceIds": US, "withStatus": "BUYABLE"}
    ).json()
    assert sorted(i["sku"] for i in buyable["items"]) == ["F-1", "F-2"]
    not_buyable = api(
        "GET", ITEMS, params={"marketplaceIds": US, "withoutStatus": "BUYABLE"}
    ).json()
    assert [i["sku"] for i in not_buyable["items"]] == ["F-0"]
    by_ean = api(
        "GET",
        ITEMS,
        params={
            "marketplaceIds": US,
            "identifiers": "4006381333931",
            "identifiersType": "EAN",
        },
    ).json()
    assert by_ean["numberOfResults"] == 3


def test_search_refuses_bad_paging(amazon, api):
    assert (
        api("GET", ITEMS, params={"marketplaceIds": US, "pageSize": 21}).status_code
        == 400
    )
    assert (
        api(
            "GET", ITEMS, params={"marketplaceIds": US, "pageToken": "forged"}
        ).status_code
        == 400
    )
    assert (
        api("GET", ITEMS, params={"marketplaceIds": US, "identifiers": "X"}).status_code
        == 400
    )
    both = {"identifiers": "X", "identifiersType": "SKU", "variationParentSku": "P"}
    assert api("GET", ITEMS, params={"marketplaceIds": US, **both}).status_code == 400


# -- variations ------------------------------------------------------------------------
def parent_attributes():
    attributes = shirt()
    for name in (
        "purchasable_offer",
        "fulfillment_availability",
        "externally_assigned_product_identifier",
        "condition_type",
    ):
        del attributes[name]
    attributes["parentage_level"] = [{"value": "parent", "marketplace_id": US}]
    attributes["variation_theme"] = [{"name": "SIZE/COLOR"}]
    return attributes


def child_attributes(size, color, parent="SHIRT-PARENT"):
    return shirt(
        parentage_level=[{"value": "child", "marketplace_id": US}],
        child_parent_sku_relationship=[
            {
                "child_relationship_type": "variation",
                "parent_sku": parent,
                "marketplace_id": US,
            }
        ],
        variation_theme=[{"name": "SIZE/COLOR"}],
        size=text(size),
        color=text(color),
    )


def test_parent_and_children(amazon, api):
    put(api, "SHIRT-PARENT", parent_attributes())
    put(api, "SHIRT-M-BLUE", child_attributes("M", "Blue"))
    put(api, "SHIRT-L-BLUE", child_attributes("L", "Blue"))
    amazon.apply_pending()
    parent = get(api, "SHIRT-PARENT").json()
    assert parent["issues"] == []
    assert parent["summaries"][0]["status"] == [
        "DISCOVERABLE"
    ]  # a parent is not for sale
    theme = {"attributes": ["size", "color"], "theme": "SIZE/COLOR"}
    assert parent["relationships"] == [
        {
            "marketplaceId": US,
            "relationships": [
                {
                    "type": "VARIATION",
                    "childSkus": ["SHIRT-L-BLUE", "SHIRT-M-BLUE"],
                    "variationTheme": theme,
                }
            ],
        }
    ]
    child = get(api, "SHIRT-M-BLUE").json()
    assert child["issues"] == []
    assert child["summaries"][0]["status"] == ["BUYABLE", "DISCOVERABLE"]
    assert child["relationships"][0]["relationships"] == [
        {"type": "VARIATION", "parentSkus": ["SHIRT-PARENT"], "variationTheme": theme}
    ]
    children = api(
        "GET",
        ITEMS,
        params={"marketplaceIds": US, "variationParentSku": "SHIRT-PARENT"},
    ).json()
    assert sorted(i["sku"] for i in children["items"]) == [
        "SHIRT-L-BLUE",
        "SHIRT-M-BLUE",
    ]


def test_child_without_its_theme_attribute_has_an_issue(amazon, api):
    attributes = child_attributes("M", "Blue")
    del attributes["color"]
    item = listed(amazon, api, "SHIRT-NOCOLOR", attributes)
    assert [i["attributeNames"] for i in item["issues"]] == [["color"]]


def test_parent_needs_a_variation_theme(amazon, api):
    attributes = parent_attributes()
    del attributes["variation_theme"]
    item = listed(amazon, api, "SHIRT-NOTHEME", attributes)
    assert [i["attributeNames"] for i in item["issues"]] == [["variation_theme"]]


# -- other product types ---------------------------------------------------------------
def test_headphones_need_their_form_factor(amazon, api):
    attributes = shirt()
    del attributes["department"]
    item = listed(amazon, api, "HP-1", attributes, product_type="HEADPHONES")
    assert [i["attributeNames"] for i in item["issues"]] == [["headphones_form_factor"]]
    attributes["headphones_form_factor"] = text("over_ear")
    assert (
        listed(amazon, api, "HP-2", attributes, product_type="HEADPHONES")["issues"]
        == []
    )


def test_feed_message_goes_through_the_same_store(amazon_emulator, amazon):
    from emulator.amazon import listings_store

    state = amazon_emulator.state
    issues = listings_store.apply_message(
        state,
        SELLER,
        US,
        {
            "messageId": 1,
            "sku": "FEED-1",
            "operationType": "UPDATE",
            "productType": "SHIRT",
            "requirements": "LISTING",
            "attributes": shirt(),
        },
    )
    assert issues == []
    assert (
        listings_store.apply_message(
            state,
            SELLER,
            US,
            {
                "messageId": 2,
                "sku": "FEED-2",
                "operationType": "UPDATE",
                "productType": "NOPE",
                "attributes": {},
            },
        )[0]["severity"]
        == "ERROR"
    )
    listings_store.apply_message(
        state,
        SELLER,
        US,
        {
            "messageId": 3,
            "sku": "FEED-1",
            "operationType": "PARTIAL_UPDATE",
            "productType": "SHIRT",
            "attributes": {
                "fulfillment_availability": [
                    {"fulfillment_channel_code": "DEFAULT", "quantity": 42}
                ]
            },
        },
    )
    amazon.apply_pending()
    listing = amazon.listing(SELLER, "FEED-1")
    assert listing["attributes"]["fulfillment_availability"] == [
        {"fulfillment_channel_code": "DEFAULT", "quantity": 42}
    ]
    assert listing["marketplaces"][US]["status"] == ["BUYABLE", "DISCOVERABLE"]
    listings_store.apply_message(
        state, SELLER, US, {"messageId": 4, "sku": "FEED-1", "operationType": "DELETE"}
    )
    amazon.apply_pending()
    assert "FEED-1" not in amazon.listings(SELLER)


def test_skus_are_url_encoded_in_paths(amazon, api):
    sku = "TEE/RED 1+x"
    item = listed(amazon, api, sku)
    assert item["sku"] == sku
    assert amazon.listing(SELLER, sku)["sku"] == sku
    assert sku in amazon.listings(SELLER)


def test_a_second_put_replaces_every_attribute(amazon, api):
    listed(amazon, api, "SHIRT-PUT2")
    attributes = shirt()
    del attributes["department"]
    put(api, "SHIRT-PUT2", attributes)
    # Until it applies, the first version is what Amazon shows.
    assert get(api, "SHIRT-PUT2").json()["issues"] == []
    amazon.apply_pending()
    item = get(api, "SHIRT-PUT2").json()
    assert "department" not in item["attributes"]
    assert [i["attributeNames"] for i in item["issues"]] == [["department"]]
    # The ASIN the catalog gave stays with the listing.
    assert item["summaries"][0]["asin"]


def test_a_patch_that_fixes_a_value_clears_its_issue(amazon, api):
    attributes = shirt(condition_type=[{"value": "mint", "marketplace_id": US}])
    item = listed(amazon, api, "SHIRT-FIX", attributes)
    assert [i["attributeNames"] for i in item["issues"]] == [["condition_type"]]
    fixed = [{"value": "used_good", "marketplace_id": US}]
    patch(
        api,
        "SHIRT-FIX",
        [{"op": "replace", "path": "/attributes/condition_type", "value": fixed}],
    )
    amazon.apply_pending()
    item = get(api, "SHIRT-FIX").json()
    assert item["issues"] == []
    assert item["summaries"][0]["conditionType"] == "used_good"
    assert item["summaries"][0]["status"] == ["BUYABLE", "DISCOVERABLE"]
    broken = [{"value": "mint", "marketplace_id": US}]
    patch(
        api,
        "SHIRT-FIX",
        [{"op": "replace", "path": "/attributes/condition_type", "value": broken}],
    )
    amazon.apply_pending()
    item = get(api, "SHIRT-FIX").json()
    assert [i["attributeNames"] for i in item["issues"]] == [["condition_type"]]


def test_merge_matches_an_offer_by_its_selectors_and_their_defaults(amazon, api):
    attributes = shirt()
    del attributes["purchasable_offer"][0]["audience"]  # ALL by default
    assert listed(amazon, api, "SHIRT-AUD", attributes)["issues"] == []
    new_price = [{"schedule": [{"value_with_tax": 9.5}]}]
    patch(
        api,
        "SHIRT-AUD",
        [
            {
                "op": "merge",
                "path": "/attributes/purchasable_offer",
                "value": [
                    {"marketplace_id": US, "audience": "ALL", "our_price": new_price}
                ],
            }
        ],
    )
    amazon.apply_pending()
    item = get(api, "SHIRT-AUD").json()
    assert len(item["attributes"]["purchasable_offer"]) == 1
    assert item["attributes"]["purchasable_offer"][0]["currency"] == "USD"
    assert item["offers"] == [
        {
            "marketplaceId": US,
            "offerType": "B2C",
            "price": {"currencyCode": "USD", "amount": "9.50"},
        }
    ]


def test_seeded_listings_are_there_applied_and_checked(amazon):
    listed = amazon.seed_listings(
        [
            {
                "sku": "SEED-1",
                "productType": "SHIRT",
                "marketplaceIds": [US],
                "attributes": shirt(),
            },
            {
                "sku": "SEED-2",
                "productType": "SHIRT",
                "marketplaceIds": [US],
                "attributes": shirt(brand=text("")),
            },
        ],
        SELLER,
    )
    assert listed == 2
    good = amazon.listing(SELLER, "SEED-1")
    assert good["pending"] == []
    assert good["marketplaces"][US]["status"] == ["BUYABLE", "DISCOVERABLE"]
    assert good["marketplaces"][US]["asin"]
    # Checked as an applied put is: an empty brand is an ERROR issue.
    bad = amazon.listing(SELLER, "SEED-2")["marketplaces"][US]
    assert bad["status"] == []
    assert [i["attributeNames"] for i in bad["issues"]] == [["brand"]]


def test_a_refused_seed_stores_nothing(amazon):
    entries = [
        {"sku": "SEED-1", "productType": "SHIRT", "marketplaceIds": [US]},
        {"sku": "SEED-2", "productType": "NOT_A_TYPE", "marketplaceIds": [US]},
    ]
    entries[0]["attributes"] = entries[1]["attributes"] = shirt()
    with pytest.raises(ControlError) as raised:
        amazon.seed_listings(entries, SELLER)
    assert raised.value.response.status_code == 400
    assert "NOT_A_TYPE" in raised.value.response.json()["error"]
    assert amazon.listings(SELLER) == {}
