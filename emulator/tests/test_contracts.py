"""The contract check: requests that break eBay's contracts are answered 400
(404 for an unknown operation) and recorded as violations."""

import json

import pytest
from ebay_app import USER_PATH

from emulator.core.routes import template_shape
from emulator.ebay import EbayPersonality, errors
from emulator.ebay.routes import ROUTER

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
    [violation] = client.take_violations()
    assert violation["side"] == "request"
    assert violation["request_id"] == "bad-1"
    assert violation["operation"] == "bulkUpdatePriceQuantity"
    assert violation["method"] == "POST"
    assert violation["path"] == f"{INVENTORY}/bulk_update_price_quantity"
    assert "'nope' is not of type 'array'" in violation["reason"]
    assert client.violations() == []


def test_bad_query_enum_is_a_violation(client):
    app_token = client.app_token()
    path = "/developer/analytics/v1_beta/rate_limit/"
    bad = client.call("GET", path, app_token, params={"api_context": "nope"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["errorId"] == 2004
    [violation] = client.take_violations()
    assert violation["operation"] == "getRateLimits"
    assert "api_context" in violation["reason"]
    # A valid request passes the check; the emulator has no handler for it,
    # and its 501 is no answer eBay gives: the answer is the violation.
    good = client.call("GET", path, app_token, params={"api_context": "sell"})
    assert good.status_code == 501
    [violation] = client.take_violations()
    assert violation["side"] == "answer"
    assert "answer HTTP 501 is not declared for getRateLimits" in violation["reason"]


def test_unknown_operations_are_404_and_recorded(client, token):
    unknown = client.call("GET", f"{INVENTORY}/nothing_here", token)
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["errorId"] == 2002
    wrong_method = client.call("PATCH", f"{INVENTORY}/inventory_item/A", token)
    assert wrong_method.status_code == 404
    no_slash = client.call("GET", USER_PATH.rstrip("/"), token)
    assert no_slash.status_code == 404
    unknown_api = client.call("GET", "/sell/marketing/v1/ad_campaign", token)
    assert unknown_api.status_code == 404
    reasons = [v["reason"] for v in client.take_violations()]
    assert reasons == [
        "no such operation in eBay's contract",
        "no such operation in eBay's contract",
        "no such operation in eBay's contract",
        "no eBay contract covers this path",
    ]


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
    assert [v["side"] for v in client.take_violations()] == ["request"] * 4


def test_a_valid_bulk_call_reaches_the_handler(client, token):
    answer = client.call(
        "POST",
        f"{INVENTORY}/bulk_update_price_quantity",
        token,
        json=bulk_body(),
        headers=JSON,
    )
    # The handler's answer (not the check's 400): none of the 25 SKUs exists.
    assert answer.status_code == 207, answer.text
    entries = answer.json()["responses"]
    assert [e["sku"] for e in entries] == [f"SKU-{i}" for i in range(25)]
    assert {(e["statusCode"], e["errors"][0]["errorId"]) for e in entries} == {
        (404, 25702)
    }
    assert client.violations() == []
    [call] = client.calls(path="bulk_update_price_quantity")
    assert len(call["body"]["requests"]) == 25


# -- the check itself ------------------------------------------------------------
def test_validators_are_compiled_once_at_start(book):
    """What keeps a 25-entry bulk check at a few ms: every request schema is
    compiled when the emulator starts, and that validator is reused."""
    assert all(op._validator is not None for op in book.operations)
    operation, params = book.find("POST", f"{INVENTORY}/bulk_update_price_quantity")
    assert operation.operation_id == "bulkUpdatePriceQuantity" and params == {}
    compiled = operation.body_validator()
    raw = json.dumps(bulk_body()).encode()
    for _ in range(3):
        assert book.check(operation, {}, JSON, raw) == []
    assert operation.body_validator() is compiled


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
    fresh = EbayPersonality().load_contracts(contracts_dir)
    for operation in fresh.operations:
        operation.body_validator()  # raises if a schema does not compile


def test_every_handler_serves_an_operation_of_the_contracts(book):
    """A handler is found for the operation the contract names, by its
    template: a literal segment (``get_by_policy_name``) is never taken for a
    templated one (``{policy_id}``), and no eBay handler serves a path the
    contracts do not have."""
    shapes = {(op.method, template_shape(op.full_template)) for op in book.operations}
    own = ("/_emulator/", "/oauth2/", "/identity/v1/oauth2/")
    served = [
        (route[1], route[-1])
        for route in ROUTER.routes
        if not route[-1].startswith(own)
    ]
    assert len(served) > 50
    assert [s for s in served if s not in shapes] == []
    path = "/sell/account/v1/fulfillment_policy/get_by_policy_name"
    operation, _params = book.find("GET", path)
    handler, _auth, params = ROUTER.resolve_operation(
        "GET", operation.full_template, path
    )
    assert handler.__name__ == "get_policy_by_name" and params == {}


def test_answers_are_checked_by_status_and_closed(book):
    offer, _ = book.find("GET", f"{INVENTORY}/offer/5000000001")
    listed = {
        "offerId": "5000000001",
        "sku": "A",
        "status": "PUBLISHED",
        "listing": {"listingId": "110000000001", "listingStatus": "ACTIVE"},
    }
    assert book.check_response(offer, 200, listed) == []
    # Closed: a field the answer type does not declare is a mismatch.
    [reason] = book.check_response(offer, 200, dict(listed, listingStatus="ACTIVE"))
    assert reason.startswith("answer HTTP 200 answer: Additional properties")
    assert "'listingStatus' was unexpected" in reason
    # Statuses: declared ones, and the gateway's for any operation.
    not_found = errors.body(errors.error(25713, "API_INVENTORY", "Not available."))
    assert book.check_response(offer, 404, not_found) == []
    assert book.check_response(offer, 429, errors.too_many_requests()) == []
    assert book.check_response(offer, 409, not_found) == [
        "answer HTTP 409 is not declared for getOffer (declared: 200, 400, 404, 500)"
    ]
    # Errors carry eBay's error body, not the contract's single Error entry.
    [reason] = book.check_response(offer, 404, not_found["errors"][0])
    assert "'errorId'" in reason and "were unexpected" in reason


def test_empty_and_json_answers(book):
    item, _ = book.find("PUT", f"{INVENTORY}/inventory_item/A")
    assert book.check_response(item, 204, None) == []
    assert book.check_response(item, 204, {}) == [
        "answer HTTP 204 declares no body, but one was sent"
    ]
    assert book.check_response(item, 201, None) == [
        "answer HTTP 201 declares an application/json body, but none was sent"
    ]
    assert book.check_response(item, 200, {"warnings": []}) == []
    assert book.check_response(item, 400, None) == [
        "answer HTTP 400 has no body; eBay sends its error body"
    ]
    assert book.check_response(item, 200, "<html>") == [
        "answer HTTP 200 is HTML, not JSON"
    ]
    bulk, _ = book.find("POST", f"{INVENTORY}/bulk_create_or_replace_inventory_item")
    entry = {"statusCode": 400, "sku": "A", "locale": None}
    not_a_string, not_a_locale = book.check_response(bulk, 207, {"responses": [entry]})
    assert not_a_string == (
        "answer HTTP 207 answer.responses[0].locale: None is not of type 'string'"
    )
    assert not_a_locale.startswith(
        "answer HTTP 207 answer.responses[0].locale: None is not one of ['en_US'"
    )
