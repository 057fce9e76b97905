"""One inventory item, one offer per marketplace: the emulator as eBay.

A SKU sold on EBAY_US and EBAY_GB is one inventory item with two offers,
each with its own price, currency and policies, each published as a
listing of its own.  The item's quantity is the stock both share: a buyer
on one marketplace takes it from the other's listing too, and at zero
neither can be bought.  A second offer of the SKU on a marketplace is
refused with eBay's error, naming the offer that exists.
"""

import pytest
from ebay_app import API_SCOPE

INVENTORY = "/sell/inventory/v1"
ACCOUNT = "/sell/account/v1"
HEADERS = {"Content-Language": "en-US", "Content-Type": "application/json"}
SCOPES = " ".join(
    [API_SCOPE]
    + [
        f"{API_SCOPE}/{s}"
        for s in ("sell.inventory", "sell.account", "sell.fulfillment")
    ]
)
SKU = "MUG-1"
CATEGORY = "88433"  # a leaf of the emulator's tree that requires no aspect


@pytest.fixture
def seller(client):
    """A seller opted in to business policies, with a location, the
    policies of EBAY_US and EBAY_GB, and the item MUG-1 (5 in stock)."""
    token = client.user_tokens(scope=SCOPES)["access_token"]

    def call(method, path, expect, **kwargs):
        answer = client.call(method, path, token, headers=HEADERS, **kwargs)
        assert answer.status_code == expect, answer.text
        return answer.json() if answer.content else None

    call(
        "POST",
        f"{ACCOUNT}/program/opt_in",
        200,
        json={"programType": "SELLING_POLICY_MANAGEMENT"},
    )
    policies = {}
    for marketplace in ("EBAY_US", "EBAY_GB"):
        ids = {}
        for kind, extra in (
            ("fulfillment_policy", {}),
            ("payment_policy", {}),
            ("return_policy", {"returnsAccepted": False}),
        ):
            body = dict(
                {
                    "name": f"{kind} {marketplace}",
                    "marketplaceId": marketplace,
                    "categoryTypes": [{"name": "ALL_EXCLUDING_MOTORS_VEHICLES"}],
                },
                **extra,
            )
            # eBay's contract writes createFulfillmentPolicy's path with a
            # trailing slash.
            path = f"{ACCOUNT}/{kind}" + ("/" if kind == "fulfillment_policy" else "")
            created = call("POST", path, 201, json=body)
            key = kind.split("_")[0] + "PolicyId"
            ids[key] = created[key]
        policies[marketplace] = ids
    call(
        "POST",
        f"{INVENTORY}/location/WH1",
        204,
        json={
            "location": {"address": {"postalCode": "95125", "country": "US"}},
            "locationTypes": ["WAREHOUSE"],
        },
    )
    call(
        "PUT",
        f"{INVENTORY}/inventory_item/{SKU}",
        204,
        json={
            "availability": {"shipToLocationAvailability": {"quantity": 5}},
            "condition": "NEW",
            "product": {
                "title": "Mug",
                "imageUrls": ["https://i.example.com/mug.jpg"],
                "aspects": {},
            },
        },
    )
    return call, policies


def _offer(marketplace, price, currency, policies, **extra):
    return dict(
        {
            "sku": SKU,
            "marketplaceId": marketplace,
            "format": "FIXED_PRICE",
            "listingDuration": "GTC",
            "categoryId": CATEGORY,
            "merchantLocationKey": "WH1",
            "pricingSummary": {"price": {"value": price, "currency": currency}},
            "listingPolicies": policies,
        },
        **extra,
    )


def _create(call, marketplace, price, currency, policies, **extra):
    """createOffer of MUG-1 on ``marketplace``: its offer id."""
    body = _offer(marketplace, price, currency, policies, **extra)
    return call("POST", f"{INVENTORY}/offer", 201, json=body)["offerId"]


def _buy(client, marketplace, quantity=1):
    return client.session.post(
        f"{client.url}/_emulator/purchase",
        json={
            "lines": [{"sku": SKU, "quantity": quantity, "marketplaceId": marketplace}],
            "notify": False,
        },
        timeout=5,
    )


def test_one_item_two_offers_two_listings(client, seller):
    call, policies = seller
    us = _create(call, "EBAY_US", "19.90", "USD", policies["EBAY_US"])
    gb = _create(call, "EBAY_GB", "15.50", "GBP", policies["EBAY_GB"])
    assert us != gb
    us_listing = call("POST", f"{INVENTORY}/offer/{us}/publish", 200)["listingId"]
    gb_listing = call("POST", f"{INVENTORY}/offer/{gb}/publish", 200)["listingId"]
    assert us_listing != gb_listing

    found = call("GET", f"{INVENTORY}/offer", 200, params={"sku": SKU})["offers"]
    assert {
        (o["marketplaceId"], o["pricingSummary"]["price"]["currency"]) for o in found
    } == {("EBAY_US", "USD"), ("EBAY_GB", "GBP")}
    only_gb = call(
        "GET",
        f"{INVENTORY}/offer",
        200,
        params={"sku": SKU, "marketplace_id": "EBAY_GB"},
    )["offers"]
    assert [o["offerId"] for o in only_gb] == [gb]


def test_a_second_offer_on_one_marketplace_is_refused(client, seller):
    call, policies = seller
    body = _offer("EBAY_GB", "15.50", "GBP", policies["EBAY_GB"])
    first = call("POST", f"{INVENTORY}/offer", 201, json=body)["offerId"]
    [error] = call("POST", f"{INVENTORY}/offer", 400, json=body)["errors"]
    assert error["errorId"] == 25002
    assert error["message"] == "Offer entity already exists."
    assert error["parameters"] == [{"name": "offerId", "value": first}]
    bulk = call(
        "POST", f"{INVENTORY}/bulk_create_offer", 207, json={"requests": [body]}
    )
    [entry] = bulk["responses"]
    assert entry["statusCode"] == 400
    assert [e["errorId"] for e in entry["errors"]] == [25729]
    assert entry["errors"][0]["parameters"] == [{"name": "offerId", "value": first}]


def test_another_marketplaces_policy_is_refused_at_publish(client, seller):
    call, policies = seller
    gb = _create(call, "EBAY_GB", "15.50", "GBP", policies["EBAY_US"])
    errors = call("POST", f"{INVENTORY}/offer/{gb}/publish", 400)["errors"]
    assert {e["errorId"] for e in errors} == {25007, 25008, 25009}


def test_the_offers_share_the_items_stock(client, seller):
    call, policies = seller
    offers = {}
    for marketplace, price, currency, allocated in (
        ("EBAY_US", "19.90", "USD", 5),
        ("EBAY_GB", "15.50", "GBP", 4),
    ):
        offers[marketplace] = _create(
            call,
            marketplace,
            price,
            currency,
            policies[marketplace],
            availableQuantity=allocated,
        )
        call("POST", f"{INVENTORY}/offer/{offers[marketplace]}/publish", 200)

    bought = _buy(client, "EBAY_GB", 3)
    assert bought.status_code == 201, bought.text
    [line] = bought.json()["lineItems"]
    assert line["purchaseMarketplaceId"] == line["listingMarketplaceId"] == "EBAY_GB"
    assert line["lineItemCost"] == {"value": "46.50", "currency": "GBP"}
    item = call("GET", f"{INVENTORY}/inventory_item/{SKU}", 200)
    assert item["availability"]["shipToLocationAvailability"]["quantity"] == 2
    gb = call("GET", f"{INVENTORY}/offer/{offers['EBAY_GB']}", 200)
    assert gb["availableQuantity"] == 1
    # The US listing was allocated 5 but 2 are left of the shared stock.
    refused = _buy(client, "EBAY_US", 3)
    assert refused.status_code == 409
    assert refused.json()["error"] == f"only 2 left of {SKU}"

    # The seller's stock at zero: both listings are sold out.
    call(
        "POST",
        f"{INVENTORY}/bulk_update_price_quantity",
        200,
        json={
            "requests": [
                {
                    "sku": SKU,
                    "shipToLocationAvailability": {"quantity": 0},
                    "offers": [
                        {"offerId": offers["EBAY_US"], "availableQuantity": 0},
                        {"offerId": offers["EBAY_GB"], "availableQuantity": 0},
                    ],
                }
            ]
        },
    )
    for marketplace in ("EBAY_US", "EBAY_GB"):
        sold_out = _buy(client, marketplace)
        assert sold_out.status_code == 409
        assert sold_out.json()["error"] == f"only 0 left of {SKU}"
