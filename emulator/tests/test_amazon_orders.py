"""Orders API 2026-01-01 on the emulator: the store's orders through
searchOrders and getOrder (includedData, filters, pagination under new
orders, PII only with a Restricted Data Token), the order control API, and
the store's listeners.  Every answer is checked against Amazon's model (the
``amazon`` fixture asserts zero contract violations)."""

import pytest
from amazon_app import APP, CA, SELLER, US

from emulator.amazon import load_contracts, rates
from emulator.amazon.orders_store import OrderError, OrdersStore
from emulator.client import ControlError

ORDERS = "/orders/2026-01-01/orders"
RDT = "/tokens/2021-03-01/restrictedDataToken"
SINCE = "2020-01-01T00:00:00Z"
ALL_DATA = (
    "BUYER,RECIPIENT,PROCEEDS,EXPENSE,PROMOTION,CANCELLATION,FULFILLMENT,"
    "PACKAGES,TAX,PAYMENT,FULFILLMENT_ORDERS"
)


def _buy(amazon, sku="SKU-1", quantity=2, price=10.0, **kw):
    return amazon.create_order(
        US, [{"sku": sku, "quantity": quantity, "price": price}], **kw
    )


def _search(amazon, token, **params):
    params.setdefault("lastUpdatedAfter", SINCE)
    answer = amazon.call("GET", ORDERS, token, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _get(amazon, token, order_id, included=None):
    params = {"includedData": included} if included else {}
    return amazon.call("GET", f"{ORDERS}/{order_id}", token, params=params)


def _rdt(amazon, token, resources):
    answer = amazon.call("POST", RDT, token, json={"restrictedResources": resources})
    return answer


def _order_rdt(amazon, token, order_id, elements=("buyerInfo", "shippingAddress")):
    answer = _rdt(
        amazon,
        token,
        [
            {
                "method": "GET",
                "path": f"{ORDERS}/{order_id}",
                "dataElements": list(elements),
            }
        ],
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["restrictedDataToken"]


# -- the order's shape ---------------------------------------------------------------
def test_created_order_in_the_model_shape(amazon):
    order = amazon.create_order(
        US,
        [
            {"sku": "SKU-1", "quantity": 2, "price": 10.0, "title": "Mug"},
            {"sku": "SKU-2", "quantity": 1, "price": 5.5},
        ],
        shipping=4.99,
        tax=2.56,
        gift_wrap={"price": 3.0, "message": "Happy birthday", "sku": "SKU-2"},
        buyer={"buyerName": "Ann Smith"},
    )
    assert order["sellerId"] == SELLER
    assert len(order["orderId"].split("-")) == 3
    assert [len(p) for p in order["orderId"].split("-")] == [3, 7, 7]
    assert order["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"
    assert order["fulfillment"]["fulfilledBy"] == "MERCHANT"
    items = order["orderItems"]
    assert [i["product"]["sellerSku"] for i in items] == ["SKU-1", "SKU-2"]
    assert items[0]["product"]["price"]["unitPrice"] == {
        "amount": "10.00",
        "currencyCode": "USD",
    }
    assert len({i["orderItemId"] for i in items}) == 2
    breakdowns = {
        b["type"]: b["subtotal"]["amount"] for b in order["proceeds"]["breakdowns"]
    }
    assert breakdowns == {
        "ITEM": "25.50",
        "SHIPPING": "4.99",
        "GIFT_WRAP": "3.00",
        "TAX": "2.56",
    }
    assert order["proceeds"]["grandTotal"]["amount"] == "36.05"
    # Tax spread by item value (20.00 and 5.50 of 25.50), cents summing up.
    taxes = [
        next(b for b in i["proceeds"]["breakdowns"] if b["type"] == "TAX")
        for i in items
    ]
    assert [t["subtotal"]["amount"] for t in taxes] == ["2.01", "0.55"]
    assert items[0]["tax"]["taxCollections"][0]["model"] == "MARKETPLACE_FACILITATOR"
    gift = items[1]["fulfillment"]["packing"]["giftOption"]
    assert gift == {"giftWrapLevel": "Classic", "giftMessage": "Happy birthday"}
    assert order["buyer"]["buyerName"] == "Ann Smith"
    assert order["buyer"]["buyerEmail"].endswith("@marketplace.amazon.com")
    assert order["recipient"]["deliveryAddress"]["countryCode"] == "US"


def test_get_order_of_every_dataset_validates(amazon):
    token = amazon.access_token()
    order = _buy(amazon, gift_wrap={"price": 1})
    answer = _get(amazon, token, order["orderId"], ALL_DATA)
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-amzn-RateLimit-Limit"] == "0.5"
    shown = answer.json()["order"]
    assert shown["orderId"] == order["orderId"]
    for key in ("buyer", "recipient", "proceeds", "fulfillment", "packages", "tax"):
        assert key in shown


def test_included_data_strips_what_was_not_asked(amazon):
    token = amazon.access_token()
    order = _buy(amazon)
    basic = _get(amazon, token, order["orderId"]).json()["order"]
    assert set(basic) == {
        "orderId",
        "createdTime",
        "lastUpdatedTime",
        "salesChannel",
        "orderItems",
    }
    assert set(basic["orderItems"][0]) == {"orderItemId", "quantityOrdered", "product"}
    some = _get(amazon, token, order["orderId"], "FULFILLMENT,PROCEEDS").json()["order"]
    assert {"fulfillment", "proceeds"} <= set(some)
    assert not {"buyer", "recipient", "packages", "tax"} & set(some)
    assert "fulfillment" in some["orderItems"][0]
    assert "tax" not in some["orderItems"][0]


def test_an_unknown_included_data_is_a_400_by_the_model(amazon):
    token = amazon.access_token()
    order = _buy(amazon)
    answer = _get(amazon, token, order["orderId"], "EVERYTHING")
    assert answer.status_code == 400
    assert amazon.take_violations()


def test_get_order_of_another_seller_is_404(amazon):
    amazon.add_seller("A2OTHERSELLER")
    order = amazon.create_order(
        US, [{"sku": "X", "quantity": 1, "price": 1}], seller_id="A2OTHERSELLER"
    )
    answer = _get(amazon, amazon.access_token(), order["orderId"])
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["code"] == "NotFound"


# -- PII and Restricted Data Tokens ------------------------------------------------
def test_pii_is_withheld_without_a_restricted_data_token(amazon):
    token = amazon.access_token()
    order = _buy(amazon, gift_wrap={"price": 2, "message": "For you"})
    shown = _get(amazon, token, order["orderId"], ALL_DATA).json()["order"]
    assert "buyerName" not in shown["buyer"]
    assert "buyerEmail" not in shown["buyer"]
    address = shown["recipient"]["deliveryAddress"]
    assert set(address) == {"city", "stateOrRegion", "countryCode", "addressType"}
    gift = shown["orderItems"][0]["fulfillment"]["packing"]["giftOption"]
    assert "giftMessage" not in gift
    page = _search(amazon, token, includedData="BUYER,RECIPIENT")
    assert "buyerName" not in page["orders"][0]["buyer"]
    assert "addressLine1" not in page["orders"][0]["recipient"]["deliveryAddress"]


def test_pii_with_a_restricted_data_token_of_the_order(amazon):
    token = amazon.access_token()
    order = _buy(amazon, gift_wrap={"price": 2, "message": "For you"})
    rdt = _order_rdt(amazon, token, order["orderId"])
    answer = _get(amazon, rdt, order["orderId"], "BUYER,RECIPIENT,FULFILLMENT")
    assert answer.status_code == 200, answer.text
    shown = answer.json()["order"]
    assert shown["buyer"]["buyerName"] == "Jane Buyer"
    assert shown["buyer"]["buyerEmail"] == order["buyer"]["buyerEmail"]
    address = shown["recipient"]["deliveryAddress"]
    assert address["addressLine1"] == "410 Terry Ave N"
    assert address["postalCode"] == "98109"
    assert address["name"] == "Jane Buyer"
    gift = shown["orderItems"][0]["fulfillment"]["packing"]["giftOption"]
    assert gift["giftMessage"] == "For you"


def test_the_phone_is_suppressed_for_fba_and_after_delivery(amazon_emulator, amazon):

    fba = _buy(amazon, fulfilled_by="AMAZON")
    fbm = _buy(amazon, sku="M")

    def phone(order):
        rdt = _order_rdt(amazon, amazon.access_token(), order["orderId"])
        shown = _get(amazon, rdt, order["orderId"], "RECIPIENT").json()["order"]
        return shown["recipient"]["deliveryAddress"].get("phone")

    assert phone(fba) is None
    assert phone(fbm) == "+1 206-555-0100"
    store = OrdersStore(amazon_emulator.server.state)
    stored = store.get(SELLER, fbm["orderId"])
    store.record_shipment(
        stored,
        {
            "packageReferenceId": "1",
            "packageItems": [
                {"orderItemId": stored["orderItems"][0]["orderItemId"], "quantity": 2}
            ],
        },
    )
    assert phone(fbm) == "+1 206-555-0100"
    amazon.advance(8 * 86400)  # past the latest delivery date (7 days)
    assert phone(fbm) is None


def test_data_elements_limit_what_the_token_shows(amazon):
    token = amazon.access_token()
    order = _buy(amazon)
    rdt = _order_rdt(amazon, token, order["orderId"], ("shippingAddress",))
    shown = _get(amazon, rdt, order["orderId"], "BUYER,RECIPIENT").json()["order"]
    assert "buyerName" not in shown["buyer"]
    assert shown["recipient"]["deliveryAddress"]["addressLine1"]


def test_no_pii_for_a_pending_order_even_with_a_token(amazon):
    token = amazon.access_token()
    order = _buy(amazon, status="PENDING")
    rdt = _order_rdt(amazon, token, order["orderId"])
    shown = _get(amazon, rdt, order["orderId"], "BUYER,RECIPIENT").json()["order"]
    assert "buyerName" not in shown["buyer"]
    assert "addressLine1" not in shown["recipient"]["deliveryAddress"]


def test_a_search_token_shows_pii_in_search_results(amazon):
    token = amazon.access_token()
    _buy(amazon)
    rdt = _rdt(
        amazon,
        token,
        [{"method": "GET", "path": ORDERS, "dataElements": ["buyerInfo"]}],
    ).json()["restrictedDataToken"]
    page = _search(amazon, rdt, includedData="BUYER")
    assert page["orders"][0]["buyer"]["buyerName"] == "Jane Buyer"


def test_pii_by_roles_when_the_emulator_plays_amazon_docs(amazon):
    amazon.config(orders_pii_needs_rdt=0)
    order = _buy(amazon)
    shown = _get(amazon, amazon.access_token(), order["orderId"], "BUYER,RECIPIENT")
    assert shown.json()["order"]["buyer"]["buyerName"] == "Jane Buyer"


# -- searchOrders ----------------------------------------------------------------------
def test_search_filters(amazon):
    token = amazon.access_token()
    fbm = _buy(amazon)
    fba = _buy(amazon, sku="FBA-1", fulfilled_by="AMAZON")
    pending = _buy(amazon, sku="P-1", status="PENDING")
    canadian = amazon.create_order(CA, [{"sku": "C", "quantity": 1, "price": 3}])
    ids = lambda page: [o["orderId"] for o in page["orders"]]
    every = _search(amazon, token)
    assert ids(every) == [
        fbm["orderId"],
        fba["orderId"],
        pending["orderId"],
        canadian["orderId"],
    ]
    assert "lastUpdatedBefore" in every
    assert ids(_search(amazon, token, fulfilledBy="AMAZON")) == [fba["orderId"]]
    assert ids(_search(amazon, token, marketplaceIds=CA)) == [canadian["orderId"]]
    assert ids(_search(amazon, token, fulfillmentStatuses="PENDING")) == [
        pending["orderId"]
    ]
    created = _search(amazon, token, lastUpdatedAfter="", createdAfter=SINCE)
    assert len(created["orders"]) == 4 and "createdBefore" in created
    later = fbm["lastUpdatedTime"]
    amazon.advance(10)
    amazon.set_order_status(pending["orderId"], "UNSHIPPED")
    changed = _search(amazon, token, lastUpdatedAfter=pending["lastUpdatedTime"])
    assert ids(changed)[-1] == pending["orderId"]
    assert later <= changed["orders"][0]["lastUpdatedTime"]


@pytest.mark.parametrize(
    "params",
    [
        {"lastUpdatedAfter": ""},
        {"createdAfter": SINCE},
        {"lastUpdatedAfter": SINCE, "createdBefore": SINCE},
        {"lastUpdatedAfter": "yesterday"},
        {"lastUpdatedAfter": SINCE, "maxResultsPerPage": "101"},
        {"lastUpdatedAfter": SINCE, "marketplaceIds": "A1F83G8C2ARO7P"},
        {"lastUpdatedAfter": SINCE, "lastUpdatedBefore": "2100-01-01T00:00:00Z"},
        {"lastUpdatedAfter": SINCE, "paginationToken": "not-a-token"},
    ],
)
def test_search_refuses_bad_parameters(amazon, params):
    params = {"lastUpdatedAfter": SINCE, **params}
    params = {k: v for k, v in params.items() if v != ""}
    answer = amazon.call("GET", ORDERS, amazon.access_token(), params=params)
    assert answer.status_code == 400, answer.text
    assert answer.json()["errors"][0]["code"] == "InvalidInput"
    amazon.take_violations()


def test_pagination_is_stable_and_survives_new_orders(amazon):
    token = amazon.access_token()
    made = [_buy(amazon, sku=f"S-{n}")["orderId"] for n in range(5)]
    first = _search(amazon, token, maxResultsPerPage=2)
    assert [o["orderId"] for o in first["orders"]] == made[:2]
    next_token = first["pagination"]["nextToken"]
    # New orders and a change arrive between the pages.
    amazon.advance(5)
    late = _buy(amazon, sku="LATE")["orderId"]
    amazon.set_order_status(made[0], "CANCELLED")
    second = _search(amazon, token, maxResultsPerPage=2, paginationToken=next_token)
    again = _search(amazon, token, maxResultsPerPage=2, paginationToken=next_token)
    assert second["orders"] == again["orders"]  # the same token, the same page
    assert [o["orderId"] for o in second["orders"]] == made[2:4]
    third = _search(
        amazon,
        token,
        maxResultsPerPage=2,
        paginationToken=second["pagination"]["nextToken"],
    )
    assert [o["orderId"] for o in third["orders"]] == made[4:]
    assert "pagination" not in third
    assert third["lastUpdatedBefore"] == first["lastUpdatedBefore"]
    # The next search from the run's bound sees what changed meanwhile.
    following = _search(amazon, token, lastUpdatedAfter=first["lastUpdatedBefore"])
    assert {o["orderId"] for o in following["orders"]} == {late, made[0]}


def test_search_lags_behind_changes_when_asked(amazon):
    """``orders_search_delay`` plays Amazon's lag: an order changed within
    it is not found yet, and the answer's bound says up to when it looked."""
    token = amazon.access_token()
    amazon.config(orders_search_delay=120)
    order = _buy(amazon)
    assert _search(amazon, token)["orders"] == []
    amazon.advance(121)
    assert [o["orderId"] for o in _search(amazon, token)["orders"]] == [
        order["orderId"]
    ]


def test_a_token_is_bound_to_its_parameters(amazon):
    token = amazon.access_token()
    for n in range(3):
        _buy(amazon, sku=f"S-{n}")
    first = _search(amazon, token, maxResultsPerPage=1)
    answer = amazon.call(
        "GET",
        ORDERS,
        token,
        params={
            "lastUpdatedAfter": SINCE,
            "fulfilledBy": "AMAZON",
            "paginationToken": first["pagination"]["nextToken"],
        },
    )
    assert answer.status_code == 400
    # includedData and the page size may change between pages.
    page = _search(
        amazon,
        token,
        maxResultsPerPage=5,
        includedData="FULFILLMENT",
        paginationToken=first["pagination"]["nextToken"],
    )
    assert len(page["orders"]) == 2
    assert "fulfillment" in page["orders"][0]


def test_search_rate_limit_429_beyond_the_burst(amazon):
    token = amazon.access_token()
    statuses = [
        amazon.call(
            "GET", ORDERS, token, params={"lastUpdatedAfter": SINCE}
        ).status_code
        for _ in range(21)
    ]
    assert statuses == [200] * 20 + [429]
    answer = amazon.call("GET", ORDERS, token, params={"lastUpdatedAfter": SINCE})
    assert answer.status_code == 429
    assert answer.json()["errors"][0]["code"] == "QuotaExceeded"
    assert "x-amzn-RateLimit-Limit" not in answer.headers
    amazon.advance(1 / 0.0056 + 1)  # one token back
    answer = amazon.call("GET", ORDERS, token, params={"lastUpdatedAfter": SINCE})
    assert answer.status_code == 200
    assert answer.headers["x-amzn-RateLimit-Limit"] == "0.0056"


def test_get_order_rate_limit(amazon):
    token = amazon.access_token()
    order = _buy(amazon)
    statuses = [_get(amazon, token, order["orderId"]).status_code for _ in range(31)]
    assert statuses == [200] * 30 + [429]


def test_the_model_rates_are_parsed():

    book = load_contracts()
    found = {
        op.operation_id: rates.model_rate(op)
        for op in book.operations
        if op.operation_id in ("searchOrders", "getOrder", "createRestrictedDataToken")
    }
    assert found == {
        "searchOrders": (0.0056, 20),
        "getOrder": (0.5, 30),
        "createRestrictedDataToken": (1.0, 10),
    }


# -- control ---------------------------------------------------------------------------
def test_control_status_and_cancel(amazon):
    order = _buy(amazon, status="PENDING")
    moved = amazon.set_order_status(order["orderId"], "UNSHIPPED")
    assert moved["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"
    assert moved["lastUpdatedTime"] > order["lastUpdatedTime"]
    cancelled = amazon.cancel_order(order["orderId"])
    assert cancelled["fulfillment"]["fulfillmentStatus"] == "CANCELLED"
    execution = cancelled["orderItems"][0]["cancellation"]["cancellationExecution"]
    assert execution["cancelledBy"] == "BUYER"
    with pytest.raises(ControlError):
        amazon.set_order_status(order["orderId"], "UNSHIPPED")
    with pytest.raises(ControlError):
        amazon.set_order_status(order["orderId"], "SHIPPED")
    assert amazon.order(order["orderId"])["fulfillment"]["fulfillmentStatus"] == (
        "CANCELLED"
    )
    assert [o["orderId"] for o in amazon.orders()] == [order["orderId"]]
    assert amazon.orders("A2NOBODY") == []


@pytest.mark.parametrize(
    "body",
    [
        {"marketplace_id": US, "items": []},
        {"marketplace_id": US, "items": [{"sku": "A", "quantity": 0, "price": 1}]},
        {"marketplace_id": US, "items": [{"sku": "A", "quantity": 1, "price": -1}]},
        {"marketplace_id": "A1F83G8C2ARO7P", "items": [{"sku": "A", "quantity": 1}]},
        {"marketplace_id": US, "items": [{"sku": "A", "quantity": 1}], "status": "X"},
        {"marketplace_id": US, "items": [{"sku": "A", "quantity": 1}], "color": "red"},
        {
            "marketplace_id": US,
            "items": [{"sku": "A", "quantity": 1}],
            "gift_wrap": {"price": 1, "sku": "B"},
        },
    ],
)
def test_control_create_refuses_bad_input(amazon, body):
    answer = amazon.session.post(
        f"{amazon.url}/_emulator/amazon/orders", json=body, timeout=5
    )
    assert answer.status_code == 400
    assert answer.json()["error"]
    assert amazon.orders() == []


def test_unknown_order_control_is_404(amazon):
    with pytest.raises(ControlError) as caught:
        amazon.order("000-0000000-0000000")
    assert caught.value.response.status_code == 404


def test_listeners_hear_every_change(amazon_emulator, amazon):

    heard = []
    store = OrdersStore(amazon_emulator.server.state)

    def listener(seller_id, order, change_type):
        heard.append(
            (
                seller_id,
                order["orderId"],
                change_type,
                order["fulfillment"]["fulfillmentStatus"],
            )
        )

    store.add_listener(listener)
    store.add_listener(listener)  # once only
    try:
        order = _buy(amazon, status="PENDING")
        amazon.set_order_status(order["orderId"], "UNSHIPPED")
        stored = store.get(SELLER, order["orderId"])
        store.record_shipment(
            stored,
            {
                "packageReferenceId": "1",
                "carrier": "UPS",
                "trackingNumber": "1Z1",
                "packageItems": [
                    {
                        "orderItemId": stored["orderItems"][0]["orderItemId"],
                        "quantity": 1,
                    }
                ],
            },
        )
        other = _buy(amazon, sku="B")
        amazon.cancel_order(other["orderId"])
    finally:
        store.remove_listener(listener)
    oid, other_id = order["orderId"], other["orderId"]
    assert heard == [
        (SELLER, oid, "created", "PENDING"),
        (SELLER, oid, "status", "UNSHIPPED"),
        (SELLER, oid, "shipped", "PARTIALLY_SHIPPED"),
        (SELLER, other_id, "created", "UNSHIPPED"),
        (SELLER, other_id, "cancelled", "CANCELLED"),
    ]


def test_record_shipment_and_packages_in_get_order(amazon_emulator, amazon):

    store = OrdersStore(amazon_emulator.server.state)
    order = _buy(amazon, quantity=3)
    stored = store.get(SELLER, order["orderId"])
    item_id = stored["orderItems"][0]["orderItemId"]

    def package(reference, quantity):
        return {
            "packageReferenceId": reference,
            "carrier": "USPS",
            "trackingNumber": f"94{reference}",
            "packageItems": [{"orderItemId": item_id, "quantity": quantity}],
        }

    store.record_shipment(stored, package("1", 1))
    with pytest.raises(OrderError):
        store.record_shipment(stored, package("1", 1))  # the same package again
    with pytest.raises(OrderError):
        store.record_shipment(stored, package("2", 5))  # more than is left
    store.record_shipment(stored, package("2", 2))
    token = amazon.access_token()
    shown = _get(amazon, token, order["orderId"], "PACKAGES,FULFILLMENT").json()[
        "order"
    ]
    assert shown["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
    assert [p["trackingNumber"] for p in shown["packages"]] == ["941", "942"]
    assert shown["packages"][0]["packageStatus"] == {"status": "SHIPPED"}
    assert shown["orderItems"][0]["fulfillment"]["quantityFulfilled"] == 3
    assert shown["orderItems"][0]["fulfillment"]["quantityUnfulfilled"] == 0
    with pytest.raises(OrderError):
        store.record_shipment(stored, package("3", 1))  # shipped already


def test_fba_orders_cannot_be_shipped_by_the_seller(amazon_emulator, amazon):

    store = OrdersStore(amazon_emulator.server.state)
    order = _buy(amazon, fulfilled_by="AMAZON")
    assert "buyerEmail" not in order["buyer"]  # FBM orders only (the model)
    stored = store.get(SELLER, order["orderId"])
    with pytest.raises(OrderError):
        store.record_shipment(
            stored,
            {
                "packageReferenceId": "1",
                "packageItems": [
                    {
                        "orderItemId": stored["orderItems"][0]["orderItemId"],
                        "quantity": 1,
                    }
                ],
            },
        )


def test_orders_go_with_a_reset(amazon):
    _buy(amazon)
    amazon.reset()
    amazon.add_app(**APP)
    assert amazon.orders() == []
