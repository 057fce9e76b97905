"""Orders API v0 confirmShipment: packages recorded on the order once, the
order's status following, Amazon's refusals, a repeated packageReferenceId
an edit (strict), getOrder PACKAGES showing them, the model's rate; the
pure ShipmentsApi against it.  The fixture asserts zero contract
violations."""

import pytest
from amazon_app import CA, SELLER, US
from marketplace_connector.amazon import RateLimiter, SpApiClient, endpoints_for
from marketplace_connector.amazon.errors import AmazonNotFound, AmazonRefused
from marketplace_connector.amazon.shipments import ShipmentsApi, package_detail

from emulator.amazon import rates

ORDERS_V0 = "/orders/v0/orders"
GET_ORDER = "/orders/2026-01-01/orders"
SHIP_DATE = "2026-11-30T10:00:00.000Z"


def _order(amazon, items=(("MUG-1", 2), ("TEE-1", 1)), **kwargs):
    return amazon.create_order(
        seller_id=SELLER,
        marketplace_id=kwargs.pop("marketplace_id", US),
        items=[{"sku": sku, "quantity": q, "price": 10.0} for sku, q in items],
        **kwargs,
    )


def _item_ids(order):
    return [item["orderItemId"] for item in order["orderItems"]]


def _package(reference, items, carrier="USPS", tracking="9400100000000000000001"):
    return {
        "packageReferenceId": str(reference),
        "carrierCode": carrier,
        "trackingNumber": tracking,
        "shipDate": SHIP_DATE,
        "orderItems": [{"orderItemId": i, "quantity": q} for i, q in items],
    }


def _confirm(amazon, token, order_id, package, marketplace_id=US):
    return amazon.call(
        "POST",
        f"{ORDERS_V0}/{order_id}/shipmentConfirmation",
        token,
        json={"marketplaceId": marketplace_id, "packageDetail": package},
    )


def _packages(amazon, token, order_id):
    answer = amazon.call(
        "GET", f"{GET_ORDER}/{order_id}", token, params={"includedData": "PACKAGES"}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["order"].get("packages") or []


def _status(amazon, order_id):
    return amazon.order(order_id)["fulfillment"]["fulfillmentStatus"]


def _error(answer):
    return answer.json()["errors"][0]


def test_a_package_is_recorded_and_getorder_shows_it(amazon):
    token = amazon.access_token()
    order = _order(amazon)
    mug, tee = _item_ids(order)
    answer = _confirm(
        amazon, token, order["orderId"], _package(1, [(mug, 1), (tee, 1)])
    )
    assert answer.status_code == 204, answer.text
    assert answer.content == b""
    assert answer.headers["x-amzn-RateLimit-Limit"] == "2"
    assert _status(amazon, order["orderId"]) == "PARTIALLY_SHIPPED"
    [package] = _packages(amazon, token, order["orderId"])
    assert package["packageReferenceId"] == "1"
    assert package["carrier"] == "USPS"
    assert package["trackingNumber"] == "9400100000000000000001"
    assert sorted(
        (i["orderItemId"], i["quantity"]) for i in package["packageItems"]
    ) == sorted([(mug, 1), (tee, 1)])
    # The rest in a second package: the order is shipped.
    answer = _confirm(
        amazon, token, order["orderId"], _package(2, [(mug, 1)], tracking="T-2")
    )
    assert answer.status_code == 204, answer.text
    assert _status(amazon, order["orderId"]) == "SHIPPED"
    assert [
        p["packageReferenceId"] for p in _packages(amazon, token, order["orderId"])
    ] == [
        "1",
        "2",
    ]
    mug_item = next(
        i
        for i in amazon.order(order["orderId"])["orderItems"]
        if i["orderItemId"] == mug
    )
    assert mug_item["fulfillment"]["quantityFulfilled"] == 2
    assert mug_item["fulfillment"]["quantityUnfulfilled"] == 0


def test_the_same_package_again_is_an_edit_not_a_second_package(amazon):
    token = amazon.access_token()
    order = _order(amazon)
    mug, _tee = _item_ids(order)
    package = _package(7, [(mug, 1)])
    assert _confirm(amazon, token, order["orderId"], package).status_code == 204
    assert _confirm(amazon, token, order["orderId"], package).status_code == 204
    [stored] = _packages(amazon, token, order["orderId"])
    mug_item = amazon.order(order["orderId"])["orderItems"][0]
    assert mug_item["fulfillment"]["quantityFulfilled"] == 1  # not counted twice
    # Same items, another tracking number: the package is edited in place.
    edited = _package(7, [(mug, 1)], carrier="UPS", tracking="1Z999")
    assert _confirm(amazon, token, order["orderId"], edited).status_code == 204
    [stored] = _packages(amazon, token, order["orderId"])
    assert (stored["carrier"], stored["trackingNumber"]) == ("UPS", "1Z999")
    # Other quantities under the same reference: refused (strict).
    other = _package(7, [(mug, 2)])
    answer = _confirm(amazon, token, order["orderId"], other)
    assert answer.status_code == 400
    assert _error(answer)["code"] == "InvalidInput"
    assert len(_packages(amazon, token, order["orderId"])) == 1


def test_refusals_as_amazon_words_them(amazon):
    token = amazon.access_token()
    order = _order(amazon)
    mug, tee = _item_ids(order)
    order_id = order["orderId"]

    answer = _confirm(amazon, token, "999-0000000-0000000", _package(1, [(mug, 1)]))
    assert answer.status_code == 404
    assert _error(answer)["code"] == "NotFound"

    answer = _confirm(amazon, token, order_id, _package(1, [("00000000000000", 1)]))
    assert answer.status_code == 400
    assert _error(answer) == {
        "code": "InvalidInput",
        "message": "OrderItemId is invalid, please obtain the value through the "
        "getOrderItems API or Manage Orders page",
    }

    answer = _confirm(amazon, token, order_id, _package(1, [(mug, 3)]))
    assert answer.status_code == 400
    assert "already fulfilled" in _error(answer)["message"]

    answer = _confirm(amazon, token, order_id, _package("A1", [(mug, 1)]))
    assert answer.status_code == 400
    assert _error(answer)["message"] == (
        "PackageReferenceId: is invalid, must be a positive numeric value."
    )

    answer = _confirm(amazon, token, order_id, _package(1, [(mug, 1)], carrier="Other"))
    assert answer.status_code == 400
    assert "CarrierName" in _error(answer)["message"]
    named = dict(_package(1, [(tee, 1)], carrier="Other"), carrierName="Local Co")
    assert _confirm(amazon, token, order_id, named).status_code == 204
    assert _packages(amazon, token, order_id)[0]["carrier"] == "Local Co"

    answer = _confirm(amazon, token, order_id, _package(2, [(mug, 1)]), CA)
    assert answer.status_code == 400
    assert _error(answer)["message"] == "Invalid marketplaceId."

    # Once shipped in full, nothing is left to ship.
    assert _confirm(amazon, token, order_id, _package(3, [(mug, 2)])).status_code == 204
    answer = _confirm(amazon, token, order_id, _package(4, [(mug, 1)]))
    assert answer.status_code == 400
    assert "already fulfilled" in _error(answer)["message"]
    assert len(_packages(amazon, token, order_id)) == 2


def test_cancelled_pending_and_fba_orders_are_refused(amazon):
    token = amazon.access_token()
    cancelled = _order(amazon)
    amazon.cancel_order(cancelled["orderId"])
    pending = _order(amazon, status="PENDING")
    fba = _order(amazon, fulfilled_by="AMAZON")
    for order, words in (
        (cancelled, "canceled"),
        (pending, "PENDING"),
        (fba, "fulfilled by Amazon"),
    ):
        package = _package(1, [(_item_ids(order)[0], 1)])
        answer = _confirm(amazon, token, order["orderId"], package)
        assert answer.status_code == 400, answer.text
        assert words in _error(answer)["message"]
        assert amazon.order(order["orderId"])["packages"] == []


def test_another_sellers_order_is_not_found(amazon):
    amazon.add_seller("A2OTHERSELLER", marketplaces=[US])
    order = _order(amazon)
    other_token = amazon.access_token("A2OTHERSELLER")
    answer = _confirm(
        amazon, other_token, order["orderId"], _package(1, [(_item_ids(order)[0], 1)])
    )
    assert answer.status_code == 404
    assert amazon.order(order["orderId"])["packages"] == []


def test_the_models_rate_is_confirm_shipments_bucket(amazon, amazon_emulator):
    book = amazon_emulator.state.contracts
    operation, _params = book.find("POST", f"{ORDERS_V0}/1-2-3/shipmentConfirmation")
    assert operation.operation_id == "confirmShipment"
    assert rates.model_rate(operation) == (2.0, 10)
    # Burst 10: an eleventh call at once is throttled (a slow machine may
    # refill one token meanwhile: the twelfth then is).
    token = amazon.access_token()
    order = _order(amazon, items=(("MUG-1", 20),))
    [mug] = _item_ids(order)
    statuses = [
        _confirm(amazon, token, order["orderId"], _package(n, [(mug, 1)])).status_code
        for n in range(1, 13)
    ]
    assert statuses[:10] == [204] * 10
    assert 429 in statuses[10:]
    throttled = len([s for s in statuses if s == 429])
    assert len(amazon.order(order["orderId"])["packages"]) == 12 - throttled


@pytest.fixture
def shipments(amazon):
    endpoints = endpoints_for("NA", "emulator", amazon.url)
    token = amazon.access_token()
    client = SpApiClient(
        api_url=endpoints.api_url,
        access_token=lambda: token,
        seller_id=SELLER,
        limiter=RateLimiter(),
    )
    return ShipmentsApi(client)


def test_the_pure_client_confirms_a_package(amazon, shipments):
    order = _order(amazon)
    mug, tee = _item_ids(order)
    package = package_detail(
        15, "Other", "LOCAL-1", SHIP_DATE, [(mug, 2), (tee, 1)], carrier_name="Bike Co"
    )
    assert package["carrierName"] == "Bike Co"
    assert shipments.confirm_shipment(order["orderId"], US, package) is None
    stored = amazon.order(order["orderId"])
    assert stored["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
    assert stored["packages"][0]["packageReferenceId"] == "15"
    with pytest.raises(AmazonRefused):
        shipments.confirm_shipment(
            order["orderId"], US, package_detail(16, "UPS", "X", SHIP_DATE, [(mug, 1)])
        )
    with pytest.raises(AmazonNotFound):
        shipments.confirm_shipment("999-0000000-0000000", US, package)
    # carrierName goes with Other only.
    assert "carrierName" not in package_detail(
        1, "UPS", "X", SHIP_DATE, [(mug, 1)], carrier_name="ignored"
    )
