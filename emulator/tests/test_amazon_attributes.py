"""amazon.attributes: Amazon's attribute JSON from plain product values.

What is built is checked against the SHIRT fixture schema (shaped like
Amazon's) and the patches against Amazon's own feed message schema.
"""

import json
import os
from pathlib import Path

import jsonschema
import pytest
from marketplace_connector.amazon.attributes import (
    InvalidProductValue,
    barcode_type,
    listing_attributes,
    merge_overrides,
    offer_patches,
)
from marketplace_connector.amazon.product_type_schema import ProductTypeSchema

HERE = Path(__file__).resolve().parent
MODELS_DIR = Path(
    os.environ.get("AMAZON_MODELS_DIR") or HERE.parents[2] / "shared" / "amazon-models"
)
US = "ATVPDKIKX0DER"

VALUES = {
    "title": "Cotton T-shirt",
    "brand": "Acme",
    "bullet_points": ["100% cotton", " ", "Machine washable"],
    "description": "A soft shirt for every day.",
    "barcode": "4006381333931",
    "main_image_url": "https://img.example.com/a.jpg",
    "other_image_urls": ["https://img.example.com/b.jpg"],
    "price": 19.99,
    "quantity": 5,
}


@pytest.fixture(scope="module")
def shirt():
    return ProductTypeSchema(
        json.loads((HERE / "amazon_schemas/SHIRT.json").read_text())
    )


def build(**values):
    attributes = listing_attributes({**VALUES, **values}, US, "en_US", "USD")
    # Amazon's JSON is JSON: nothing in it that json cannot write.
    json.dumps(attributes)
    return attributes


def text(value):
    return [{"value": value, "language_tag": "en_US", "marketplace_id": US}]


def test_a_simple_product(shirt):
    attributes = build()
    assert attributes == {
        "item_name": text("Cotton T-shirt"),
        "brand": text("Acme"),
        "bullet_point": text("100% cotton") + text("Machine washable"),
        "product_description": text("A soft shirt for every day."),
        "externally_assigned_product_identifier": [
            {"type": "ean", "value": "4006381333931", "marketplace_id": US}
        ],
        "condition_type": [{"value": "new_new", "marketplace_id": US}],
        "main_product_image_locator": [
            {"media_location": "https://img.example.com/a.jpg", "marketplace_id": US}
        ],
        "other_product_image_locator_1": [
            {"media_location": "https://img.example.com/b.jpg", "marketplace_id": US}
        ],
        "purchasable_offer": [
            {
                "audience": "ALL",
                "marketplace_id": US,
                "currency": "USD",
                "our_price": [{"schedule": [{"value_with_tax": 19.99}]}],
            }
        ],
        "fulfillment_availability": [
            {"fulfillment_channel_code": "DEFAULT", "quantity": 5}
        ],
    }
    # The SHIRT type also requires a department: the schema says so.
    assert [p.message for p in shirt.problems(attributes)] == [
        "Department Name: this attribute is required"
    ]
    attributes["department"] = text("mens")
    assert shirt.problems(attributes) == []


def test_missing_values_are_left_out_for_the_schema_to_name(shirt):
    attributes = listing_attributes({"title": "T"}, US, "en_US", "USD")
    assert set(attributes) == {"item_name", "condition_type"}
    missing = {p.attribute for p in shirt.problems(attributes)}
    assert {"brand", "purchasable_offer", "main_product_image_locator"} <= missing


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("4006381333931", "ean"),  # EAN-13
        ("96385074", "ean"),  # EAN-8
        ("036000291452", "upc"),  # UPC-A
        ("10012345678902", "gtin"),  # GTIN-14
        ("400-6381 333931", "ean"),  # as people type it
    ],
)
def test_barcode_type_by_length_and_check_digit(code, kind):
    assert barcode_type(code) == kind


def test_a_mistyped_barcode_is_refused_with_the_expected_digit():
    with pytest.raises(InvalidProductValue, match="should be 1") as caught:
        build(barcode="4006381333932")
    assert caught.value.field == "barcode"
    with pytest.raises(InvalidProductValue, match="8, 12, 13 or 14 digits"):
        barcode_type("12345")
    with pytest.raises(InvalidProductValue, match="8, 12, 13 or 14 digits"):
        barcode_type("40063813339AB")


def test_forced_barcode_type_and_exemption():
    attributes = build(barcode="036000291452", barcode_type="GTIN")
    assert attributes["externally_assigned_product_identifier"][0]["type"] == "gtin"
    attributes = build(barcode="", identifier_exempt=True)
    assert "externally_assigned_product_identifier" not in attributes
    assert attributes["supplier_declared_has_product_identifier_exemption"] == [
        {"value": True, "marketplace_id": US}
    ]


def test_at_most_eight_other_images():
    urls = [f"https://img.example.com/{i}.jpg" for i in range(10)]
    attributes = build(other_image_urls=urls)
    others = sorted(k for k in attributes if k.startswith("other_product_image"))
    assert others == [f"other_product_image_locator_{i}" for i in range(1, 9)]
    assert attributes["other_product_image_locator_8"][0]["media_location"] == urls[7]


def test_price_and_quantity():
    attributes = build(price="12.345", quantity=0, lead_days=3, condition="used_good")
    offer = attributes["purchasable_offer"][0]
    assert offer["our_price"] == [{"schedule": [{"value_with_tax": 12.35}]}]
    assert attributes["fulfillment_availability"] == [
        {
            "fulfillment_channel_code": "DEFAULT",
            "quantity": 0,
            "lead_time_to_ship_max_days": 3,
        }
    ]
    assert attributes["condition_type"] == [
        {"value": "used_good", "marketplace_id": US}
    ]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"price": 0}, "price"),
        ({"price": -3}, "price"),
        ({"price": "cheap"}, "price"),
        ({"quantity": -1}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"quantity": "5"}, "quantity"),
        ({"parentage": "grandchild"}, "parentage"),
        ({"parentage": "child"}, "parent_sku"),
    ],
)
def test_impossible_values_are_refused_by_name(values, field):
    with pytest.raises(InvalidProductValue) as caught:
        build(**values)
    assert caught.value.field == field
    assert str(caught.value)


def test_a_variation_family(shirt):
    parent = build(
        parentage="parent", variation_theme="SIZE/COLOR", barcode="", price=10
    )
    assert parent["parentage_level"] == [{"value": "parent", "marketplace_id": US}]
    assert parent["variation_theme"] == [{"name": "SIZE/COLOR"}]
    assert "purchasable_offer" not in parent  # a parent is not buyable
    assert "fulfillment_availability" not in parent
    child = build(
        parentage="child",
        parent_sku="SHIRT-PARENT",
        variation_theme="SIZE/COLOR",
        variant_attributes={"size": "M", "color": "Red"},
    )
    assert child["child_parent_sku_relationship"] == [
        {
            "child_relationship_type": "variation",
            "parent_sku": "SHIRT-PARENT",
            "marketplace_id": US,
        }
    ]
    assert child["size"] == text("M")
    assert child["color"] == text("Red")
    department = {"department": text("mens")}
    parent["supplier_declared_has_product_identifier_exemption"] = [
        {"value": True, "marketplace_id": US}
    ]
    assert shirt.problems({**parent, **department}) == []
    assert shirt.problems({**child, **department}) == []


@pytest.mark.parametrize(
    "path",
    sorted((HERE.parent / "amazon" / "product_types").glob("*.json")),
    ids=lambda p: p.stem,
)
def test_what_is_built_suits_the_emulators_product_types(path):
    """Whatever an emulator product type still asks for is an attribute
    listing_attributes does not map (for overrides), never a malformed one."""
    schema = ProductTypeSchema(json.loads(path.read_text()))
    attributes = build()
    for problem in schema.problems(attributes):
        assert problem.attribute not in attributes, problem
        assert problem.message.endswith("this attribute is required"), problem


def test_overrides_replace_or_remove_whole_attributes():
    attributes = build()
    overrides = {
        "item_name": text("Better title"),
        "department": text("mens"),
        "other_product_image_locator_1": None,
    }
    merged = merge_overrides(attributes, overrides)
    assert merged["item_name"] == text("Better title")
    assert merged["department"] == text("mens")
    assert "other_product_image_locator_1" not in merged
    assert attributes["item_name"] == text("Cotton T-shirt")  # not changed
    assert merge_overrides(attributes, json.dumps(overrides)) == merged
    assert merge_overrides(attributes, None) == attributes
    assert merge_overrides(attributes, "") == attributes


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ("{not json", "not valid JSON"),
        ("[1]", "must be a JSON object"),
        ({"Item Name": text("x")}, "lower case"),
        ({"item_name": "Better title"}, "a list of values"),
        ({"item_name": []}, "a list of values"),
        ({"item_name": ["Better title"]}, "each value is an object"),
    ],
)
def test_malformed_overrides_are_refused(overrides, match):
    with pytest.raises(InvalidProductValue, match=match) as caught:
        merge_overrides(build(), overrides)
    assert caught.value.field == "overrides"


def _patch_message(patches):
    return {
        "messageId": 1,
        "sku": "SKU-1",
        "operationType": "PATCH",
        "productType": "PRODUCT",
        "patches": patches,
    }


@pytest.fixture(scope="module")
def message_schema():
    path = MODELS_DIR / "schemas/feeds/listings-feed-message-schema-v2.json"
    if not path.is_file():
        pytest.fail(f"Amazon's models are needed at {MODELS_DIR} (AMAZON_MODELS_DIR)")
    return json.loads(path.read_text())


def test_offer_patches(message_schema):
    assert offer_patches(US, "USD") == []
    quantity = offer_patches(US, "USD", quantity=0)
    assert quantity == [
        {
            "op": "merge",
            "path": "/attributes/fulfillment_availability",
            "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 0}],
        }
    ]
    both = offer_patches(US, "USD", price=9.5, quantity=3)
    assert [p["op"] for p in both] == ["replace", "merge"]  # price first
    assert both[0] == {
        "op": "replace",
        "path": "/attributes/purchasable_offer",
        "value": [
            {
                "audience": "ALL",
                "marketplace_id": US,
                "currency": "USD",
                "our_price": [{"schedule": [{"value_with_tax": 9.5}]}],
            }
        ],
    }
    for patches in (quantity, both):
        jsonschema.Draft7Validator(message_schema).validate(_patch_message(patches))


def test_a_price_patch_keeps_the_rest_of_the_current_offer():
    current = {
        "audience": "B2B",
        "marketplace_id": US,
        "currency": "USD",
        "our_price": [{"schedule": [{"value_with_tax": 20.0}]}],
        "discounted_price": [{"schedule": [{"value_with_tax": 15.0}]}],
    }
    (patch,) = offer_patches(US, "USD", price=18, current_offer=current)
    assert patch["value"][0]["discounted_price"] == current["discounted_price"]
    assert patch["value"][0]["audience"] == "B2B"
    assert patch["value"][0]["our_price"] == [{"schedule": [{"value_with_tax": 18.0}]}]
    assert current["our_price"][0]["schedule"][0]["value_with_tax"] == 20.0
