"""Refunds and returns of orders: made by the buyer's side (control API) or
the seller (issueRefund), reported in the order as eBay's getOrder does,
every answer checked against the Fulfillment contract."""

import pytest
from ebay_app import API_SCOPE

from emulator.ebay.inventory_api import inv

ORDER = "/sell/fulfillment/v1/order"
SCOPES = (
    f"{API_SCOPE} {API_SCOPE}/sell.fulfillment {API_SCOPE}/sell.finances "
    f"{API_SCOPE}/commerce.identity.readonly"
)
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def token(client):
    return client.user_tokens(scope=SCOPES)["access_token"]


@pytest.fixture
def order_id(client, emulator):
    """A paid order of 2 mugs at 10.00 and a shirt at 20.00, 5.00 delivery."""
    with emulator.state.lock:
        for number, (sku, price) in enumerate((("MUG", "10.00"), ("SHIRT", "20.00"))):
            inv(emulator.state)["offers"][str(900 + number)] = {
                "offerId": str(900 + number),
                "sku": sku,
                "marketplaceId": "EBAY_US",
                "status": "PUBLISHED",
                "listingId": str(110000 + number),
                "availableQuantity": 5,
                "pricingSummary": {"price": {"value": price, "currency": "USD"}},
            }
    order = client.control(
        "POST",
        "purchase",
        json={
            "lines": [{"sku": "MUG", "quantity": 2}, {"sku": "SHIRT", "quantity": 1}],
            "shippingCost": 5.0,
            "notify": False,
        },
    )
    return order["orderId"]


def _order(client, token, order_id):
    answer = client.call("GET", f"{ORDER}/{order_id}", token)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _line(order, sku):
    return next(line for line in order["lineItems"] if line["sku"] == sku)


def test_a_new_order_has_its_payment_and_no_refund(client, token, order_id):
    order = _order(client, token, order_id)
    summary = order["paymentSummary"]
    assert summary["refunds"] == []
    [payment] = summary["payments"]
    assert payment["paymentStatus"] == "PAID"
    assert payment["amount"] == {"value": "45.00", "currency": "USD"}
    assert all(line["refunds"] == [] for line in order["lineItems"])


def test_a_partial_refund_of_the_order(client, token, order_id):
    answer = client.control("POST", f"orders/{order_id}/refund", json={"amount": 7.5})
    order = _order(client, token, order_id)
    [refund] = order["paymentSummary"]["refunds"]
    # Not issued by the seller: eBay's reference id only.
    assert "refundId" not in refund and "refundId" not in answer
    assert refund["refundReferenceId"] == answer["refundReferenceId"]
    assert refund["amount"] == {"value": "7.50", "currency": "USD"}
    assert refund["refundStatus"] == "REFUNDED" and refund["refundDate"]
    assert order["orderPaymentStatus"] == "PARTIALLY_REFUNDED"
    assert all(line["refunds"] == [] for line in order["lineItems"])


def test_a_return_of_one_unit_is_a_refund_of_the_line(client, token, order_id):
    answer = client.control(
        "POST",
        f"orders/{order_id}/refund",
        json={"lines": [{"sku": "MUG", "quantity": 1}]},
    )
    order = _order(client, token, order_id)
    [refund] = order["paymentSummary"]["refunds"]
    assert refund["amount"]["value"] == "10.00"
    assert refund["refundReferenceId"] == answer["refundReferenceId"]
    [share] = _line(order, "MUG")["refunds"]
    assert share["refundDate"] == refund["refundDate"] and "refundId" not in share
    assert share["amount"] == {"value": "10.00", "currency": "USD"}
    assert _line(order, "SHIRT")["refunds"] == []
    # More than what is left of the line is refused.
    refused = client.session.post(
        f"{client.url}/_emulator/orders/{order_id}/refund",
        json={"lines": [{"sku": "MUG", "quantity": 2}]},
        timeout=5,
    )
    assert refused.status_code == 409


def test_refunds_up_to_the_total_make_the_order_fully_refunded(client, token, order_id):
    client.control("POST", f"orders/{order_id}/refund", json={"amount": 5})
    client.control("POST", f"orders/{order_id}/refund", json={})  # what is left
    order = _order(client, token, order_id)
    amounts = [r["amount"]["value"] for r in order["paymentSummary"]["refunds"]]
    assert amounts == ["5.00", "40.00"]
    references = {r["refundReferenceId"] for r in order["paymentSummary"]["refunds"]}
    assert len(references) == 2
    assert order["orderPaymentStatus"] == "FULLY_REFUNDED"


def test_cancelling_a_paid_order_refunds_the_buyer(client, token, order_id):
    client.control("POST", f"orders/{order_id}/cancel")
    order = _order(client, token, order_id)
    [refund] = order["paymentSummary"]["refunds"]
    assert refund["amount"]["value"] == "45.00"
    assert order["cancelStatus"]["cancelState"] == "CANCELED"


def test_the_seller_refunds_a_line_with_issue_refund(client, token, order_id):
    line_id = _line(_order(client, token, order_id), "SHIRT")["lineItemId"]
    answer = client.call(
        "POST",
        f"{ORDER}/{order_id}/issue_refund",
        token,
        headers=JSON,
        json={
            "reasonForRefund": "ITEM_NOT_AS_DESCRIBED",
            "refundItems": [
                {
                    "lineItemId": line_id,
                    "refundAmount": {"value": "4.00", "currency": "USD"},
                }
            ],
        },
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["refundStatus"] == "PENDING"
    order = _order(client, token, order_id)
    [share] = _line(order, "SHIRT")["refunds"]
    assert share["refundId"] == body["refundId"]
    [refund] = order["paymentSummary"]["refunds"]
    assert (refund["refundStatus"], refund["amount"]["value"]) == ("REFUNDED", "4.00")
    # Issued on a line: its id is on the line, not on the order.
    assert "refundId" not in refund and refund["refundReferenceId"]


def test_issue_refund_refusals(client, token, order_id):
    def issue(body, order=order_id):
        return client.call(
            "POST", f"{ORDER}/{order}/issue_refund", token, headers=JSON, json=body
        )

    def error_id(answer):
        return answer.json()["errors"][0]["errorId"]

    usd = {"value": "1.00", "currency": "USD"}
    assert error_id(issue({"reasonForRefund": "OTHER_ADJUSTMENT"})) == 34905
    too_much = {"value": "99.00", "currency": "USD"}
    answer = issue(
        {"reasonForRefund": "OTHER_ADJUSTMENT", "orderLevelRefundAmount": too_much}
    )
    assert (answer.status_code, error_id(answer)) == (400, 34915)
    euros = {"value": "1.00", "currency": "EUR"}
    answer = issue(
        {"reasonForRefund": "OTHER_ADJUSTMENT", "orderLevelRefundAmount": euros}
    )
    assert error_id(answer) == 34909
    answer = issue(
        {"reasonForRefund": "OTHER_ADJUSTMENT", "orderLevelRefundAmount": usd}, "nope"
    )
    assert (answer.status_code, error_id(answer)) == (404, 34913)


def test_issue_refund_needs_the_finances_scope(client, order_id):
    token = client.user_tokens(scope=f"{API_SCOPE} {API_SCOPE}/sell.fulfillment")[
        "access_token"
    ]
    answer = client.call(
        "POST",
        f"{ORDER}/{order_id}/issue_refund",
        token,
        headers=JSON,
        json={
            "reasonForRefund": "OTHER_ADJUSTMENT",
            "orderLevelRefundAmount": {"value": "1.00", "currency": "USD"},
        },
    )
    assert answer.status_code == 403
