"""The contract check: requests that break eBay's contracts are answered 400
(404 for an unknown operation) and recorded as violations."""

import json
import time

import pytest
from emu_client import USER_PATH

from emulator.contracts import ContractBook

INVENTORY = "/sell/inventory/v1"
JSON = {"Content-Type": "application/json", "Content-Language": "en-US"}


def bulk_body(entries=25):
    return {
        "requests": [
            {
                "sku": f"SKU-{i}",
                "shipToLocationAvailability": {"quantity": i},
                "offers": [
                    {
                        "offerId": str(5_000_000_000 + i),
                        "availableQuantity": i,
                        "price": {"value": "9.99", "currency": "USD"},
                    }
                ],
            }
            for i in range(entries)
        ]
    }


@pytest.fixture
def token(client):
    return client.user_tokens()["access_token"]


@pytest.fixture(scope="module")
def book(emulator):
    return emulator.state.contracts


# -- over HTTP -------------------------------------------------------------------------
def test_wrong_body_type_is_answered_400_and_recorded(client, token):
    answer = client.call(
        "POST",
        f"{INVENTORY}/bulk_update_price_quantity",
        token,
        request_id="bad-1",
        json={"requests": "nope"},
        headers=JSON,
    )
    assert answer.status_code == 400
    assert answer.headers["X-EBAY-C-REQUEST-ID"] == "bad-1"
    [error] = answer.json()["errors"]
    assert error["errorId"] == 25002 and error["domain"] == "API_INVENTORY"
    assert error["category"] == "REQUEST"
    assert "body.requests" in error["longMessage"]
    [violation] = client.violations()
    assert violation["request_id"] == "bad-1"
    assert violation["operation"] == "bulkUpdatePriceQuantity"
    assert violation["method"] == "POST"
    assert violation["path"] == f"{INVENTORY}/bulk_update_price_quantity"
    assert "'nope' is not of type 'array'" in violation["reason"]
    client.control("DELETE", "violations")
    assert client.violations() == []


def test_bad_query_enum_is_a_violation(client):
    app_token = client.app_token()
    path = "/developer/analytics/v1_beta/rate_limit/"
    bad = client.call("GET", path, app_token, params={"api_context": "nope"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["errorId"] == 2004
    [violation] = client.violations()
    assert violation["operation"] == "getRateLimits"
    assert "api_context" in violation["reason"]
    # A valid request passes the check; the emulator has no handler for it.
    good = client.call("GET", path, app_token, params={"api_context": "sell"})
    assert good.status_code == 501
    assert len(client.violations()) == 1


def test_unknown_operations_are_404_and_recorded(client, token):
    unknown = client.call("GET", f"{INVENTORY}/nothing_here", token)
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["errorId"] == 2002
    wrong_method = client.call("PATCH", f"{INVENTORY}/inventory_item/A", token)
    assert wrong_method.status_code == 404
    no_slash = client.call("GET", USER_PATH.rstrip("/"), token)
    assert no_slash.status_code == 404
    unknown_api = client.call("GET", "/sell/finances/v1/transaction", token)
    assert unknown_api.status_code == 404
    reasons = [v["reason"] for v in client.violations()]
    assert len(reasons) == 4
    assert reasons[-1] == "no eBay contract covers this path"


def test_missing_header_content_type_and_json(client, token):
    path = f"{INVENTORY}/inventory_item/SKU-1"
    no_language = client.call("PUT", path, token, json={"condition": "NEW"}, headers={})
    assert no_language.status_code == 400
    assert "Content-Language" in client.violations()[-1]["reason"]
    as_text = client.call(
        "PUT",
        path,
        token,
        data=b'{"condition": "NEW"}',
        headers={"Content-Type": "text/plain", "Content-Language": "en-US"},
    )
    assert as_text.status_code == 400
    assert "Content-Type" in client.violations()[-1]["reason"]
    broken = client.call("PUT", path, token, data=b"{not json", headers=JSON)
    assert broken.status_code == 400
    assert client.violations()[-1]["reason"] == "request body is not valid JSON"
    bad_enum = client.call("PUT", path, token, json={"condition": "MINT"}, headers=JSON)
    assert bad_enum.status_code == 400
    assert "'MINT' is not one of" in client.violations()[-1]["reason"]
    assert len(client.violations()) == 4


def test_a_valid_bulk_call_reaches_the_handler(client, token):
    answer = client.call(
        "POST",
        f"{INVENTORY}/bulk_update_price_quantity",
        token,
        json=bulk_body(),
        headers=JSON,
    )
    assert answer.status_code not in (400, 404, 501), answer.text
    assert client.violations() == []
    [call] = client.calls(path="bulk_update_price_quantity")
    assert len(call["body"]["requests"]) == 25


def test_no_violation_for_valid_calls(client, token):
    assert client.call("GET", USER_PATH, token).status_code == 200
    assert client.violations() == []


# -- the check itself ------------------------------------------------------------
def test_valid_25_entry_bulk_body_is_checked_in_a_few_ms(book):
    operation, params = book.find("POST", f"{INVENTORY}/bulk_update_price_quantity")
    assert operation.operation_id == "bulkUpdatePriceQuantity" and params == {}
    raw = json.dumps(bulk_body()).encode()
    assert book.check(operation, {}, JSON, raw) == []
    runs = 50
    started = time.perf_counter()
    for _ in range(runs):
        book.check(operation, {}, JSON, raw)
    per_check = (time.perf_counter() - started) / runs
    assert per_check < 0.02, f"{per_check * 1000:.1f} ms per check"


def test_types_formats_and_required_allow_list(book):
    operation, _ = book.find("POST", f"{INVENTORY}/bulk_update_price_quantity")
    body = bulk_body(5)
    body["requests"][3]["offers"][0]["availableQuantity"] = "three"
    body["requests"][4]["shipToLocationAvailability"]["quantity"] = 2**40
    reasons = book.check(operation, {}, JSON, json.dumps(body).encode())
    assert reasons == [
        (
            "body.requests[3].offers[0].availableQuantity: "
            "'three' is not of type 'integer'"
        ),
        (
            "body.requests[4].shipToLocationAvailability.quantity: "
            "1099511627776 is not a 'int32'"
        ),
    ]
    # "requests" is on the allow-list of required fields ...
    assert book.check(operation, {}, JSON, b"{}") == [
        "body: 'requests' is a required property"
    ]
    assert book.check(operation, {}, JSON, b"") == ["missing request body"]
    # ... PriceQuantity.sku is not (eBay: only needed with shipToLocationAvailability)
    offer_only = {"requests": [{"offers": [{"offerId": "1", "availableQuantity": 1}]}]}
    assert book.check(operation, {}, JSON, json.dumps(offer_only).encode()) == []


def test_wrong_required_arrays_and_extra_fields_are_not_enforced(book):
    location, params = book.find("POST", f"{INVENTORY}/location/WH-1")
    assert params == {"merchantLocationKey": "WH-1"}
    # Address.required says [country, stateOrProvince]; a warehouse needs less.
    warehouse = {
        "location": {"address": {"postalCode": "95125", "country": "US"}},
        "locationTypes": ["WAREHOUSE"],
        "somethingNew": True,
    }
    assert book.check(location, {}, JSON, json.dumps(warehouse).encode()) == []
    offer, _ = book.find("POST", f"{INVENTORY}/offer")
    # EbayOfferDetailsWithKeys.required = [includeCatalogProductDetails]: ignored.
    body = {"sku": "A", "marketplaceId": "EBAY_US", "format": "FIXED_PRICE"}
    assert book.check(offer, {}, JSON, json.dumps(body).encode()) == []
    body["marketplaceId"] = "EBAY_MARS"
    assert "EBAY_MARS" in book.check(offer, {}, JSON, json.dumps(body).encode())[0]


def test_enum_objects_aspects_and_locales(book):
    item, _ = book.find("PUT", f"{INVENTORY}/inventory_item/X")
    good = {
        "condition": "USED_GOOD",
        "locale": "en_US",
        "product": {"title": "T", "aspects": {"Brand": ["GoPro"]}},
    }
    assert book.check(item, {}, JSON, json.dumps(good).encode()) == []
    bulk, _ = book.find("POST", f"{INVENTORY}/bulk_create_or_replace_inventory_item")
    entry = dict(good, sku="X", locale="xx_XX")
    reasons = book.check(bulk, {}, JSON, json.dumps({"requests": [entry]}).encode())
    assert len(reasons) == 1 and "xx_XX" in reasons[0]


def test_required_query_parameters(book):
    policies, _ = book.find("GET", "/sell/account/v1/fulfillment_policy")
    assert book.check(policies, {}, {}, b"") == [
        "missing required query parameter marketplace_id"
    ]
    assert book.check(policies, {"marketplace_id": "EBAY_US"}, {}, b"") == []


def test_routing_is_exact_and_decodes_parameters(book):
    fees, params = book.find("POST", f"{INVENTORY}/offer/get_listing_fees")
    assert fees.operation_id == "getListingFees" and params == {}
    publish, params = book.find("POST", f"{INVENTORY}/offer/123/publish")
    assert publish.operation_id == "publishOffer" and params == {"offerId": "123"}
    item, params = book.find("GET", f"{INVENTORY}/inventory_item/A%2FB%20C")
    assert item.operation_id == "getInventoryItem" and params == {"sku": "A/B C"}
    assert book.find("GET", f"{INVENTORY}/inventory_item/A/B") == (None, None)
    user, _ = book.find("GET", USER_PATH)
    assert user.operation_id == "getUser"
    assert book.find("GET", USER_PATH.rstrip("/")) == (None, None)


def test_every_contract_loads_and_compiles(book, contracts_dir):
    assert len(book.operations) > 150
    assert {
        "/sell/inventory/v1",
        "/commerce/identity/v1",
        "/commerce/media/v1_beta",
    } <= (book.bases)
    fresh = ContractBook(contracts_dir)
    for operation in fresh.operations:
        operation.body_validator()  # raises if a schema does not compile
