"""The emulator's checks that remember verdicts give the verdicts of the
checks they replace (offline, no HTTP):

* a JSON_LISTINGS_FEED document is checked in parts, each message's verdict
  remembered without its messageId and SKU (feed_processing.FeedCheck): the
  same texts as listings-feed-schema-v2 checked whole;
* a product type's attribute issues are remembered per schema, for every
  listing (product_types.Definition.property_issues): the same issues as a
  Definition that remembers nothing yet.
"""

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from emulator.amazon import feed_processing, product_types

US = "ATVPDKIKX0DER"


@pytest.fixture(scope="module")
def feed_schema(amazon_models_dir):
    path = Path(amazon_models_dir, "schemas", "feeds", feed_processing.FEED_SCHEMA)
    return json.loads(path.read_text())


def whole(schema, document, limit=1000):
    """The texts of the schema checked whole, as the emulator did before."""
    return feed_processing._texts(Draft7Validator(schema).iter_errors(document), limit)


def patch(message_id, sku="AS-00001", quantity=8, **changes):
    message = {
        "messageId": message_id,
        "sku": sku,
        "operationType": "PATCH",
        "productType": "PRODUCT",
        "patches": [
            {
                "op": "merge",
                "path": "/attributes/fulfillment_availability",
                "value": [
                    {"fulfillment_channel_code": "DEFAULT", "quantity": quantity}
                ],
            }
        ],
    }
    message.update(changes)
    return {k: v for k, v in message.items() if v is not None}


def document(messages, **header):
    return {
        "header": dict({"sellerId": "A1EMULATORSELLER", "version": "2.0"}, **header),
        "messages": messages,
    }


def alike(count):
    return [patch(i, f"AS-{i:05d}") for i in range(1, count + 1)]


def broken_documents():
    """Valid and invalid documents, the bad messages among alike good ones
    (so that a good message's remembered verdict is at hand for each)."""
    good = alike(300)
    cases = {"valid": document(good)}
    bad_messages = {
        "empty sku": patch(150, ""),
        "sku not a string": patch(150, 12345),
        "messageId zero": patch(0, "AS-00150"),
        "messageId not an integer": patch("150", "AS-00150"),
        "no sku": patch(150, None),
        "patch with attributes": patch(150, attributes={"brand": [{"value": "x"}]}),
        "patch without patches": patch(150, patches=None),
        "unknown operation": patch(150, operationType="UPSERT"),
        "patch value not objects": patch(
            150,
            patches=[
                {"op": "merge", "path": "/attributes/x", "value": ["not an object"]}
            ],
        ),
        "message not an object": "AS-00150",
    }
    for name, message in bad_messages.items():
        messages = copy.deepcopy(good)
        messages[149] = message
        cases[name] = document(messages)
    cases["several bad"] = document(
        [patch(1, ""), *good[1:10], patch(11, "AS-1", operationType="DELETE")]
    )
    cases["header version"] = document(good, version="1.0")
    cases["no header"] = {"messages": good}
    cases["messages not a list"] = {"header": cases["valid"]["header"], "messages": {}}
    cases["no messages"] = document([])
    return cases


@pytest.mark.parametrize("name", sorted(broken_documents()))
def test_feed_check_finds_what_the_whole_schema_finds(feed_schema, name):
    doc = broken_documents()[name]
    check = feed_processing.FeedCheck(feed_schema)
    assert check.memo_safe
    expected = whole(feed_schema, doc)
    assert check.problems(doc, limit=1000) == expected
    assert check.problems(doc) == expected[:5]
    assert bool(expected) == (name != "valid")


def test_alike_messages_are_checked_once(feed_schema):
    check = feed_processing.FeedCheck(feed_schema)
    assert check.problems(document(alike(1000))) == []
    # 1,000 quantity patches of one shape: one verdict remembered.
    assert len(check._verdicts) == 1
    # A remembered verdict does not hide a bad SKU or messageId.
    assert check.problems(document([*alike(5), patch(6, "")]))
    assert check.problems(document([*alike(5), patch(0, "AS-00006")]))


def test_no_memory_when_the_schema_judges_the_sku_elsewhere(feed_schema):
    schema = copy.deepcopy(feed_schema)
    item = schema["properties"]["messages"]["items"]
    # A branch that looks at the SKU: leaving it out of the verdict would
    # be wrong, so every message is checked whole.
    item["oneOf"][3]["properties"]["sku"] = {"pattern": "^AS-"}
    check = feed_processing.FeedCheck(schema)
    assert not check.memo_safe
    doc = document([*alike(5), patch(6, "OTHER-6")])
    assert check.problems(doc) == whole(schema, doc)
    assert check.problems(doc)
    assert check._verdicts == {}


def text(value):
    return [{"value": value, "language_tag": "en_US", "marketplace_id": US}]


def product(number, brand="Bench Figures", title=None, quantity=5):
    return {
        "item_name": text(title or f"Bench figure {number}"),
        "brand": text(brand),
        "bullet_point": text("Hand painted"),
        "product_description": text("A benchmark figure."),
        "externally_assigned_product_identifier": [
            {"type": "ean", "value": f"{number:013d}", "marketplace_id": US}
        ],
        "condition_type": [{"value": "new_new", "marketplace_id": US}],
        "main_product_image_locator": [
            {
                "media_location": f"https://example.com/{number}.png",
                "marketplace_id": US,
            }
        ],
        "purchasable_offer": [
            {
                "currency": "USD",
                "marketplace_id": US,
                "our_price": [{"schedule": [{"value_with_tax": 10.0}]}],
            }
        ],
        "fulfillment_availability": [
            {"fulfillment_channel_code": "DEFAULT", "quantity": quantity}
        ],
    }


def listings():
    """Listings alike but for their own values, some with the same wrong
    values (an attribute's remembered issues at hand for the next)."""
    found = [product(n) for n in range(1, 6)]
    found += [product(n, title="x" * 600) for n in range(6, 9)]
    found += [product(n, brand="") for n in range(9, 11)]
    found += [product(n, quantity=-1) for n in range(11, 13)]
    missing = product(13)
    del missing["brand"]
    return [*found, missing]


def test_attribute_issues_are_remembered_per_schema_with_the_same_verdict():
    served = product_types.definition("PRODUCT", US)
    shared = product_types.Definition("PRODUCT", served.schema)
    for attributes in listings():
        fresh = product_types.Definition("PRODUCT", served.schema)
        expected = product_types.issues_of(fresh, attributes, US)
        assert product_types.issues_of(shared, attributes, US) == expected
        # Once more: from what the schema remembers now.
        assert product_types.issues_of(shared, attributes, US) == expected
    found = [product_types.issues_of(shared, a, US) for a in listings()]
    assert found[0] == []
    assert found[5] and found[5] == found[6]
    assert found[8] and found[11] and found[12]
    # The five valid listings' brand, bullets, offer...: one verdict each.
    keys = [key for key in shared._verdicts if key[0] == "brand"]
    assert len(keys) == 2  # "Bench Figures" and ""


def test_remembered_issues_are_not_changed_through_a_listing():
    definition = product_types.Definition(
        "PRODUCT", product_types.definition("PRODUCT", US).schema
    )
    first = product_types.issues_of(definition, product(1, brand=""), US)
    first[0]["message"] = "changed by a caller"
    again = product_types.issues_of(definition, product(2, brand=""), US)
    assert again[0]["message"] != "changed by a caller"
