"""amazon.product_type_schema: Amazon's product type schemas, checked offline.

The fixture amazon_schemas/SHIRT.json is shaped like a schema Amazon serves
(JSON Schema 2019-09, ``$defs`` for marketplace and language, selectors,
UTF-8 byte limits, enumNames, conditional requirements in ``allOf``); the
emulator's own product type schemas, when present, go through the same
validator.
"""

import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from marketplace_connector.amazon.product_type_schema import (
    META_SCHEMA_ID,
    Problem,
    ProductTypeSchema,
    schema_checksum,
)

HERE = Path(__file__).resolve().parent
SHIRT_PATH = HERE / "amazon_schemas" / "SHIRT.json"
EMULATOR_PRODUCT_TYPES = HERE.parent / "amazon" / "product_types"
US = "ATVPDKIKX0DER"


def text(value, language="en_US", marketplace=US):
    return {"value": value, "language_tag": language, "marketplace_id": marketplace}


def shirt_attributes():
    """A complete, valid SHIRT offer for the US marketplace."""
    return {
        "item_name": [text("Cotton T-shirt")],
        "brand": [text("Acme")],
        "bullet_point": [text("100% cotton"), text("Machine washable")],
        "product_description": [text("A soft shirt for every day.")],
        "department": [text("mens")],
        "condition_type": [{"value": "new_new", "marketplace_id": US}],
        "externally_assigned_product_identifier": [
            {"type": "ean", "value": "4006381333931", "marketplace_id": US}
        ],
        "main_product_image_locator": [
            {"media_location": "https://img.example.com/a.jpg", "marketplace_id": US}
        ],
        "purchasable_offer": [
            {
                "marketplace_id": US,
                "currency": "USD",
                "our_price": [{"schedule": [{"value_with_tax": 19.99}]}],
            }
        ],
        "fulfillment_availability": [
            {"fulfillment_channel_code": "DEFAULT", "quantity": 5}
        ],
    }


@pytest.fixture(scope="module")
def shirt_dict():
    return json.loads(SHIRT_PATH.read_text())


@pytest.fixture(scope="module")
def shirt(shirt_dict):
    return ProductTypeSchema(shirt_dict)


def messages(problems):
    return [p.message for p in problems]


def test_valid_attributes_have_no_problem(shirt):
    assert shirt.problems(shirt_attributes()) == []
    assert shirt.is_valid(shirt_attributes())


def test_missing_required_attribute_is_named_by_its_title(shirt):
    attributes = shirt_attributes()
    del attributes["brand"]
    assert shirt.problems(attributes) == [
        Problem("brand", "/brand", "Brand Name: this attribute is required")
    ]


def test_every_missing_attribute_is_listed(shirt):
    found = {p.attribute for p in shirt.problems({})}
    # Always required, and required because no exemption and not a parent.
    assert set(shirt.required_attributes()) <= found
    assert {
        "externally_assigned_product_identifier",
        "purchasable_offer",
        "fulfillment_availability",
    } <= found


def test_utf8_byte_length_counts_bytes_not_characters(shirt):
    attributes = shirt_attributes()
    attributes["item_name"] = [text("é" * 150)]  # 150 characters, 300 bytes
    assert messages(shirt.problems(attributes)) == [
        "Title: at most 200 bytes (UTF-8), 300 given"
    ]
    attributes["item_name"] = [text("e" * 200)]
    assert shirt.problems(attributes) == []


def test_min_utf8_byte_length():
    schema = ProductTypeSchema(
        {
            "type": "object",
            "properties": {
                "model": {"title": "Model", "type": "string", "minUtf8ByteLength": 3}
            },
        }
    )
    assert messages(schema.problems({"model": "ab"})) == [
        "Model: at least 3 bytes (UTF-8), 2 given"
    ]
    assert schema.problems({"model": "é€"}) == []  # 2 characters, 5 bytes


def test_max_unique_items_counts_per_selector_combination(shirt):
    attributes = shirt_attributes()
    attributes["item_name"] = [text("One"), text("Two")]
    assert shirt.problems(attributes) == [
        Problem(
            "item_name",
            "/item_name",
            "Title: at most 1 for language en_US and marketplace ATVPDKIKX0DER, "
            "2 given",
        )
    ]
    # One title per language is what the selectors allow.
    attributes["item_name"] = [text("One"), text("Uno", language="es_US")]
    assert shirt.problems(attributes) == []


def test_bullet_points_up_to_ten_then_a_problem(shirt):
    attributes = shirt_attributes()
    attributes["bullet_point"] = [text(f"Point {i}") for i in range(10)]
    assert shirt.problems(attributes) == []
    attributes["bullet_point"].append(text("One too many"))
    assert messages(shirt.problems(attributes)) == [
        (
            "Bullet Point: at most 10 for language en_US and marketplace "
            "ATVPDKIKX0DER, 11 given"
        )
    ]


def test_one_bullet_point_among_several_is_named_by_position(shirt):
    attributes = shirt_attributes()
    attributes["bullet_point"][1]["value"] = "x" * 501
    assert shirt.problems(attributes) == [
        Problem(
            "bullet_point",
            "/bullet_point/1/value",
            "Bullet Point 2: at most 500 bytes (UTF-8), 501 given",
        )
    ]


def test_min_unique_items():
    schema = ProductTypeSchema(
        {
            "type": "object",
            "properties": {
                "keywords": {
                    "title": "Keywords",
                    "type": "array",
                    "selectors": ["marketplace_id"],
                    "minUniqueItems": 2,
                    "items": {"type": "object"},
                }
            },
        }
    )
    one = [{"value": "a", "marketplace_id": US}]
    assert messages(schema.problems({"keywords": one})) == [
        "Keywords: at least 2 for marketplace ATVPDKIKX0DER, 1 given"
    ]
    assert (
        schema.problems({"keywords": one + [{"value": "b", "marketplace_id": US}]})
        == []
    )


def test_enum_problem_lists_the_choices_by_name(shirt):
    attributes = shirt_attributes()
    attributes["condition_type"] = [{"value": "mint", "marketplace_id": US}]
    (problem,) = shirt.problems(attributes)
    assert problem.attribute == "condition_type"
    assert problem.path == "/condition_type/0/value"
    assert problem.message.startswith(
        "Item Condition: 'mint' is not allowed; choose one of New (new_new), "
        "Used - Like New (used_like_new)"
    )


def test_nested_fields_are_named_by_their_titles(shirt):
    attributes = shirt_attributes()
    attributes["fulfillment_availability"][0]["quantity"] = -1
    attributes["purchasable_offer"][0]["our_price"][0]["schedule"][0][
        "value_with_tax"
    ] = "19.99"
    assert shirt.problems(attributes) == [
        Problem(
            "fulfillment_availability",
            "/fulfillment_availability/0/quantity",
            "Fulfillment Availability, Quantity: must be at least 0, -1 given",
        ),
        Problem(
            "purchasable_offer",
            "/purchasable_offer/0/our_price/0/schedule/0/value_with_tax",
            "Offer, Price: must be a number",
        ),
    ]


def test_unknown_field_inside_an_attribute(shirt):
    attributes = shirt_attributes()
    attributes["brand"][0]["colour"] = "red"
    assert messages(shirt.problems(attributes)) == ["Brand Name: unknown field colour"]


def test_anyof_reports_the_closest_branch(shirt):
    attributes = shirt_attributes()
    # marketplace_id is {"$ref": "#/$defs/marketplace_id"}: anyOf two strings.
    attributes["brand"][0]["marketplace_id"] = 7
    assert messages(shirt.problems(attributes)) == [
        "Brand Name, Marketplace: must be text"
    ]


def test_conditional_requirements_of_a_variation_child(shirt):
    attributes = shirt_attributes()
    attributes["parentage_level"] = [{"value": "child", "marketplace_id": US}]
    assert messages(shirt.problems(attributes)) == [
        "Child Parent SKU Relationship: this attribute is required",
        "Variation Theme: this attribute is required",
    ]
    attributes["child_parent_sku_relationship"] = [
        {"child_relationship_type": "variation", "marketplace_id": US}
    ]
    attributes["variation_theme"] = [{"name": "SIZE/COLOR"}]
    assert shirt.problems(attributes) == [
        Problem(
            "child_parent_sku_relationship",
            "/child_parent_sku_relationship/0",
            "Child Parent SKU Relationship: Parent SKU is required",
        )
    ]


def test_a_parent_needs_no_offer_and_an_exempt_product_no_barcode(shirt):
    attributes = shirt_attributes()
    for name in (
        "purchasable_offer",
        "fulfillment_availability",
        "externally_assigned_product_identifier",
    ):
        del attributes[name]
    attributes["parentage_level"] = [{"value": "parent", "marketplace_id": US}]
    attributes["variation_theme"] = [{"name": "SIZE"}]
    attributes["supplier_declared_has_product_identifier_exemption"] = [
        {"value": True, "marketplace_id": US}
    ]
    assert shirt.problems(attributes) == []


def test_not_required_names_what_cannot_go_together():
    schema = ProductTypeSchema(
        {
            "type": "object",
            "properties": {"a": {"title": "Barcode"}, "b": {"title": "Exemption"}},
            "not": {"required": ["a", "b"]},
        }
    )
    assert messages(schema.problems({"a": 1, "b": 2})) == [
        "Barcode and Exemption cannot be given together"
    ]


def test_annotations_are_accepted_and_never_validated(shirt_dict):
    schema = copy.deepcopy(shirt_dict)
    brand = schema["properties"]["brand"]["items"]["properties"]["value"]
    brand.update(editable=False, hidden=True, enumNames=["Not", "an", "enum"])
    assert ProductTypeSchema(schema).problems(shirt_attributes()) == []


def test_what_the_schema_says(shirt):
    assert "item_name" in shirt.required_attributes()
    assert "purchasable_offer" not in shirt.required_attributes()  # conditional
    assert shirt.property_title("brand") == "Brand Name"
    assert shirt.property_title("no_such_thing") == "No such thing"
    assert shirt.enum_choices("condition_type")[:2] == [
        ("new_new", "New"),
        ("used_like_new", "Used - Like New"),
    ]
    # Through $ref and the enum branch of anyOf.
    assert shirt.enum_choices("item_name", "language_tag") == [
        ("en_US", "English (United States)"),
        ("es_US", "Spanish (United States)"),
    ]
    assert shirt.enum_choices("variation_theme", "name") == [
        ("SIZE", "Size"),
        ("COLOR", "Color"),
        ("SIZE/COLOR", "Size and color"),
    ]
    assert shirt.enum_choices("brand") == []


def test_ref_outside_the_schema_is_refused_and_never_fetched():
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b'{"type": "string"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/remote.json"
        with pytest.raises(ValueError, match="refers to"):
            ProductTypeSchema({"type": "object", "properties": {"x": {"$ref": url}}})
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []


def test_ref_to_a_missing_definition_is_refused():
    with pytest.raises(ValueError, match="#/\\$defs/nowhere"):
        ProductTypeSchema({"properties": {"x": {"$ref": "#/$defs/nowhere"}}})


def test_a_broken_schema_is_refused():
    with pytest.raises(ValueError, match="Not a usable product type schema"):
        ProductTypeSchema({"type": "thing"})
    # A schema checked when it was stored is not checked again.
    assert ProductTypeSchema({"minLength": "ten"}, checked=True)
    with pytest.raises(TypeError):
        ProductTypeSchema(["not", "a", "schema"])


def test_attributes_must_be_an_object(shirt):
    assert messages(shirt.problems([])) == ["The attributes must be a JSON object."]


def test_checksum_and_from_bytes():
    data = SHIRT_PATH.read_bytes()
    checksum = schema_checksum(data)
    assert len(checksum) == 24 and checksum.endswith("==")  # Base64 of 16 bytes
    schema = ProductTypeSchema.from_bytes(data, checksum=checksum)
    assert schema.property_title("item_name") == "Title"
    with pytest.raises(ValueError, match="checksum"):
        ProductTypeSchema.from_bytes(data + b" ", checksum=checksum)
    with pytest.raises(ValueError, match="not JSON"):
        ProductTypeSchema.from_bytes(b"<html>")


META_SCHEMA = {
    # Shaped like Amazon's meta-schema v1: 2019-09 plus the vocabulary.
    "$schema": "https://json-schema.org/draft/2019-09/schema",
    "$id": META_SCHEMA_ID,
    "$recursiveAnchor": True,
    "allOf": [{"$ref": "https://json-schema.org/draft/2019-09/schema"}],
    "properties": {
        "maxUtf8ByteLength": {"type": "integer", "minimum": 0},
        "minUtf8ByteLength": {"type": "integer", "minimum": 0},
        "maxUniqueItems": {"type": "integer", "minimum": 0},
        "minUniqueItems": {"type": "integer", "minimum": 0},
        "selectors": {"type": "array", "items": {"type": "string"}},
        "editable": {"type": "boolean"},
        "hidden": {"type": "boolean"},
        "enumNames": {"type": "array", "items": {"type": "string"}},
    },
}


def test_the_meta_schema_checks_the_schema_when_given(shirt_dict):
    assert ProductTypeSchema(shirt_dict, meta_schema=META_SCHEMA).is_valid(
        shirt_attributes()
    )
    broken = copy.deepcopy(shirt_dict)
    broken["properties"]["brand"]["items"]["properties"]["value"][
        "maxUtf8ByteLength"
    ] = "ten"
    with pytest.raises(ValueError, match="Not a product type schema"):
        ProductTypeSchema(broken, meta_schema=META_SCHEMA)


def _emulator_schemas():
    return sorted(EMULATOR_PRODUCT_TYPES.glob("*.json"))


def _emulator_meta_schema():
    paths = sorted(EMULATOR_PRODUCT_TYPES.glob("meta/*.json"))
    return json.loads(paths[0].read_text()) if paths else None


@pytest.mark.parametrize("path", _emulator_schemas(), ids=lambda p: p.stem)
def test_the_emulators_product_type_schemas_load_and_report(path):
    schema = ProductTypeSchema(
        json.loads(path.read_text()), meta_schema=_emulator_meta_schema()
    )
    required = schema.required_attributes()
    assert required, f"{path.name} requires nothing"
    found = {p.attribute for p in schema.problems({})}
    assert set(required) <= found
    for problem in schema.problems({}):
        assert problem.message.endswith("this attribute is required"), problem
