"""Product Type Definitions 2020-09-01 on the Amazon emulator (real HTTP on
loopback): search, definitions with schema links and checksums, the
downloads, and the served schemas against Amazon's meta-schema."""

import base64
import hashlib

import pytest
import requests
from amazon_app import CA, SELLER, US
from jsonschema import Draft201909Validator
from jsonschema_specifications import REGISTRY
from referencing import Resource

BASE = "/definitions/2020-09-01/productTypes"
META_ID = "https://schemas.amazon.com/selling-partners/definitions/product-types/meta-schema/v1"
PRODUCT_TYPES = ("HEADPHONES", "PRODUCT", "SHIRT", "TOY_FIGURE")


@pytest.fixture
def api(amazon):
    token = amazon.access_token()

    def call(path, **params):
        return amazon.call("GET", path, token, params=params)

    return call


def md5_base64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def definition(api, product_type="SHIRT", marketplace=US, **params):
    answer = api(f"{BASE}/{product_type}", marketplaceIds=marketplace, **params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def meta_validator(link):
    """A 2019-09 validator of schemas under the meta-schema the emulator
    serves (fetched by its link, as a client must: it is not online)."""
    meta = requests.get(link, timeout=5).json()
    registry = REGISTRY.with_resource(META_ID, Resource.from_contents(meta))
    return meta, Draft201909Validator(meta, registry=registry)


# -- search ----------------------------------------------------------------------------
def test_search_by_keywords(api):
    answer = api(BASE, marketplaceIds=US, keywords="t-shirt")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["productTypes"] == [
        {"name": "SHIRT", "displayName": "Shirt", "marketplaceIds": [US]}
    ]
    assert body["productTypeVersion"]
    assert answer.headers.get("x-amzn-RateLimit-Limit")


def test_search_by_item_name(api):
    body = api(
        BASE, marketplaceIds=US, itemName="Wireless Bluetooth Over-Ear Headphones"
    ).json()
    assert [p["name"] for p in body["productTypes"]] == ["HEADPHONES"]


def test_search_without_terms_lists_every_product_type(api):
    body = api(BASE, marketplaceIds=US).json()
    assert sorted(p["name"] for p in body["productTypes"]) == list(PRODUCT_TYPES)


def test_search_refuses_keywords_with_item_name(api):
    answer = api(BASE, marketplaceIds=US, keywords="shirt", itemName="shirt")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"] == "InvalidInput"


def test_search_needs_a_token(amazon):
    answer = amazon.call("GET", BASE, None, params={"marketplaceIds": US})
    assert answer.status_code == 403
    assert answer.json()["errors"][0]["code"] == "Unauthorized"


# -- get -------------------------------------------------------------------------------
def test_definition_links_and_checksums(api):
    body = definition(api, sellerId=SELLER, requirements="LISTING", locale="en_US")
    assert body["productType"] == "SHIRT"
    assert body["displayName"] == "Shirt"
    assert body["marketplaceIds"] == [US]
    assert body["requirements"] == "LISTING"
    assert body["requirementsEnforced"] == "ENFORCED"
    assert body["locale"] == "en_US"
    assert body["productTypeVersion"]["latest"] is True
    assert body["productTypeVersion"]["version"]
    groups = body["propertyGroups"]
    assert "purchasable_offer" in groups["offer"]["propertyNames"]
    assert "variation_theme" in groups["variations"]["propertyNames"]
    assert body["schema"]["link"]["verb"] == "GET"
    # The links are fetched without an access token (presigned, like Amazon's).
    schema = requests.get(body["schema"]["link"]["resource"], timeout=5)
    assert schema.status_code == 200
    assert schema.headers["Content-Type"] == "application/json"
    assert md5_base64(schema.content) == body["schema"]["checksum"]
    meta = requests.get(body["metaSchema"]["link"]["resource"], timeout=5)
    assert md5_base64(meta.content) == body["metaSchema"]["checksum"]
    assert meta.json()["$id"] == META_ID
    served = schema.json()
    assert served["$schema"] == META_ID
    assert "brand" in served["required"]


def test_definition_is_per_marketplace(api):
    us = definition(api, marketplace=US)
    ca = definition(api, marketplace=CA)
    assert ca["locale"] == "en_CA"
    assert us["schema"]["checksum"] != ca["schema"]["checksum"]
    schema = requests.get(ca["schema"]["link"]["resource"], timeout=5).json()
    assert schema["$defs"]["marketplace_id"]["default"] == CA
    assert schema["$defs"]["language_tag"]["anyOf"][1]["enum"] == ["en_CA", "fr_CA"]
    offer = schema["properties"]["purchasable_offer"]["items"]["properties"]
    assert offer["currency"]["enum"] == ["CAD"]


def test_requirements_change_what_is_required(api):
    def required(**params):
        body = definition(api, **params)
        schema = requests.get(body["schema"]["link"]["resource"], timeout=5).json()
        return body["schema"]["checksum"], schema

    listing_sum, listing = required(requirements="LISTING")
    offer_sum, offer = required(requirements="LISTING_OFFER_ONLY")
    product_sum, product = required(requirements="LISTING_PRODUCT_ONLY")
    loose_sum, loose = required(requirementsEnforced="NOT_ENFORCED")
    assert len({listing_sum, offer_sum, product_sum, loose_sum}) == 4
    assert "item_name" in listing["required"]
    assert offer["required"] == []  # the offer's are in the conditions
    offer_else = offer["allOf"][0]["else"]["allOf"][0]["required"]
    assert offer_else == [
        "condition_type",
        "purchasable_offer",
        "fulfillment_availability",
    ]
    assert (
        "purchasable_offer" not in product["allOf"][0]["else"]["allOf"][0]["required"]
    )
    assert "item_name" in product["required"]
    assert loose["required"] == []


def test_unknown_product_type_and_version(api):
    answer = api(f"{BASE}/SPACESHIP", marketplaceIds=US)
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["code"] == "NOT_FOUND"
    wrong = api(f"{BASE}/SHIRT", marketplaceIds=US, productTypeVersion="nope")
    assert wrong.status_code == 404


def test_one_marketplace_at_a_time(api):
    answer = api(f"{BASE}/SHIRT", marketplaceIds=f"{US},{CA}")
    assert answer.status_code == 400
    assert "one marketplaceId" in answer.json()["errors"][0]["message"]


def test_links_are_presigned_and_expire_after_seven_days(amazon, api):
    body = definition(api)
    link = body["schema"]["link"]["resource"]
    assert "X-Amz-Signature=" in link and "X-Amz-Expires=604800" in link
    forged = link.replace("requirements=LISTING", "requirements=LISTING_OFFER_ONLY")
    refused = requests.get(forged, timeout=5)
    assert refused.status_code == 403
    assert "AccessDenied" in refused.text
    unsigned = link.split("&X-Amz-Signature=")[0]
    assert requests.get(unsigned, timeout=5).status_code == 403
    amazon.advance(7 * 24 * 3600 - 60)
    assert requests.get(link, timeout=5).status_code == 200
    amazon.advance(120)
    expired = requests.get(link, timeout=5)
    assert expired.status_code == 403
    assert "Request has expired" in expired.text
    meta = requests.get(body["metaSchema"]["link"]["resource"], timeout=5)
    assert meta.status_code == 403
    # A fresh definition gives fresh links.
    fresh = definition(amazon_token_api(amazon))
    assert requests.get(fresh["schema"]["link"]["resource"], timeout=5).ok


def amazon_token_api(amazon):
    """A new access token's caller (the clock moved past the first's hour)."""
    token = amazon.access_token()

    def call(path, **params):
        return amazon.call("GET", path, token, params=params)

    return call


# -- the served schemas against the meta-schema ----------------------------------------
def test_served_schemas_are_valid_under_the_meta_schema(api):
    first = definition(api)
    meta, validator = meta_validator(first["metaSchema"]["link"]["resource"])
    Draft201909Validator.check_schema(meta)
    # Every product type as written, then every variant of one (the
    # variants differ in their marketplace's values and required lists).
    variants = [(name, US, {}) for name in PRODUCT_TYPES] + [
        ("SHIRT", CA, {"requirements": "LISTING_OFFER_ONLY"}),
        ("SHIRT", CA, {"requirements": "LISTING_PRODUCT_ONLY"}),
        ("SHIRT", CA, {"requirementsEnforced": "NOT_ENFORCED"}),
    ]
    for product_type, marketplace, params in variants:
        body = definition(api, product_type, marketplace, **params)
        schema = requests.get(body["schema"]["link"]["resource"], timeout=5).json()
        Draft201909Validator.check_schema(schema)
        problems = [e.message for e in validator.iter_errors(schema)]
        assert problems == [], (product_type, marketplace, params, problems)


def test_meta_schema_refuses_a_malformed_amazon_keyword_anywhere(api):
    body = definition(api)
    _meta, validator = meta_validator(body["metaSchema"]["link"]["resource"])
    schema = requests.get(body["schema"]["link"]["resource"], timeout=5).json()
    assert validator.is_valid(schema)
    value = schema["properties"]["item_name"]["items"]["properties"]["value"]
    value["maxUtf8ByteLength"] = "six hundred"  # deep inside: $recursiveRef
    assert not validator.is_valid(schema)
    value["maxUtf8ByteLength"] = 600
    schema["properties"]["brand"]["selectors"] = ["marketplace_id", "marketplace_id"]
    assert not validator.is_valid(schema)
    schema["properties"]["brand"]["selectors"] = ["marketplace_id"]
    schema["properties"]["brand"]["editable"] = "yes"
    assert not validator.is_valid(schema)


def test_amazon_vocabulary_is_used(api):
    schema = requests.get(
        definition(api)["schema"]["link"]["resource"], timeout=5
    ).json()
    item_name = schema["properties"]["item_name"]
    assert item_name["selectors"] == ["marketplace_id", "language_tag"]
    assert item_name["maxUniqueItems"] == 1
    assert item_name["items"]["properties"]["value"]["maxUtf8ByteLength"] == 600
    condition = schema["properties"]["condition_type"]["items"]["properties"]["value"]
    assert len(condition["enum"]) == len(condition["enumNames"])
    marketplace = schema["$defs"]["marketplace_id"]
    assert marketplace["hidden"] is True and marketplace["editable"] is False
    offer = schema["properties"]["purchasable_offer"]["items"]["properties"]
    schedule = offer["our_price"]["items"]["properties"]["schedule"]
    assert "value_with_tax" in schedule["items"]["properties"]
    identifier = schema["properties"]["externally_assigned_product_identifier"]
    assert set(identifier["items"]["properties"]) == {"type", "value", "marketplace_id"}
    image = schema["properties"]["main_product_image_locator"]["items"]
    assert image["required"] == ["media_location"]
    availability = schema["properties"]["fulfillment_availability"]["items"]
    assert {"fulfillment_channel_code", "quantity"} <= set(availability["properties"])


def test_attributes_the_emulator_accepts_validate_against_the_served_schema(
    amazon, api
):
    """The served schema and the emulator's own checks agree (plain 2019-09
    here: Amazon's keywords are annotations to a standard validator)."""
    token = amazon.access_token()
    attributes = {
        "item_name": [
            {"value": "Over-ear", "language_tag": "en_US", "marketplace_id": US}
        ],
        "brand": [{"value": "Brand", "language_tag": "en_US", "marketplace_id": US}],
        "bullet_point": [
            {"value": "Loud", "language_tag": "en_US", "marketplace_id": US}
        ],
        "product_description": [
            {"value": "Headphones.", "language_tag": "en_US", "marketplace_id": US}
        ],
        "headphones_form_factor": [
            {"value": "over_ear", "language_tag": "en_US", "marketplace_id": US}
        ],
        "supplier_declared_has_product_identifier_exemption": [
            {"value": True, "marketplace_id": US}
        ],
        "condition_type": [{"value": "new_new", "marketplace_id": US}],
        "main_product_image_locator": [
            {"media_location": "https://img.example.com/hp.jpg", "marketplace_id": US}
        ],
        "purchasable_offer": [
            {
                "marketplace_id": US,
                "currency": "USD",
                "audience": "ALL",
                "our_price": [{"schedule": [{"value_with_tax": 59.0}]}],
            }
        ],
        "fulfillment_availability": [
            {"fulfillment_channel_code": "DEFAULT", "quantity": 2}
        ],
    }
    preview = amazon.call(
        "PUT",
        f"/listings/2021-08-01/items/{SELLER}/HP-OK",
        token,
        params={"marketplaceIds": US, "mode": "VALIDATION_PREVIEW"},
        json={"productType": "HEADPHONES", "attributes": attributes},
    )
    assert preview.json()["status"] == "VALID", preview.text
    schema = requests.get(
        definition(api, "HEADPHONES")["schema"]["link"]["resource"], timeout=5
    ).json()
    assert list(Draft201909Validator(schema).iter_errors(attributes)) == []
    del attributes["brand"]
    assert not Draft201909Validator(schema).is_valid(attributes)
