"""Tokens API 2021-03-01 on the emulator: createRestrictedDataToken checks
its restricted resources, issues an RDT of the seller for an hour that works
on the resources it names only (403 elsewhere, as Amazon), and the control
API tells what was issued, never the token.  Zero contract violations (the
``amazon`` fixture)."""

import pytest
from amazon_app import SELLER, US

ORDERS = "/orders/2026-01-01/orders"
RDT = "/tokens/2021-03-01/restrictedDataToken"
SINCE = "2020-01-01T00:00:00Z"


def _buy(amazon, sku="SKU-1"):
    return amazon.create_order(US, [{"sku": sku, "quantity": 1, "price": 4.0}])


def _get(amazon, token, order_id, included=None):
    params = {"includedData": included} if included else {}
    return amazon.call("GET", f"{ORDERS}/{order_id}", token, params=params)


def _rdt(amazon, token, resources):
    return amazon.call("POST", RDT, token, json={"restrictedResources": resources})


def _order_rdt(amazon, token, order_id, elements=("buyerInfo", "shippingAddress")):
    resource = {
        "method": "GET",
        "path": f"{ORDERS}/{order_id}",
        "dataElements": list(elements),
    }
    answer = _rdt(amazon, token, [resource])
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-amzn-RateLimit-Limit"] == "1"
    return answer.json()["restrictedDataToken"]


def test_the_token_is_refused_on_another_order_and_other_operations(amazon):
    token = amazon.access_token()
    first, second = _buy(amazon), _buy(amazon, sku="SKU-2")
    rdt = _order_rdt(amazon, token, first["orderId"])
    answer = _get(amazon, rdt, second["orderId"], "BUYER")
    assert answer.status_code == 403
    assert answer.json()["errors"][0]["code"] == "Unauthorized"
    answer = amazon.call("GET", ORDERS, rdt, params={"lastUpdatedAfter": SINCE})
    assert answer.status_code == 403
    answer = amazon.call("GET", "/sellers/v1/marketplaceParticipations", rdt)
    assert answer.status_code == 403
    # An RDT does not buy another one.
    answer = _rdt(
        amazon,
        rdt,
        [
            {
                "method": "GET",
                "path": f"{ORDERS}/{second['orderId']}",
                "dataElements": ["buyerInfo"],
            }
        ],
    )
    assert answer.status_code == 403


def test_a_restricted_data_token_expires_after_an_hour(amazon):
    token = amazon.access_token()
    order = _buy(amazon)
    answer = _rdt(
        amazon,
        token,
        [
            {
                "method": "GET",
                "path": f"{ORDERS}/{order['orderId']}",
                "dataElements": ["buyerInfo"],
            }
        ],
    )
    assert answer.json()["expiresIn"] == 3600
    rdt = answer.json()["restrictedDataToken"]
    amazon.advance(3601)
    answer = _get(amazon, rdt, order["orderId"], "BUYER")
    assert answer.status_code == 403


@pytest.mark.parametrize(
    "resources",
    [
        [],
        [{"method": "GET", "path": "/listings/2021-08-01/items/A1/SKU"}],
        [{"method": "GET", "path": f"{ORDERS}/123-1234567-1234567"}],
        [
            {
                "method": "GET",
                "path": f"{ORDERS}/123-1234567-1234567",
                "dataElements": ["everything"],
            }
        ],
        [{"method": "POST", "path": ORDERS, "dataElements": ["buyerInfo"]}],
    ],
)
def test_restricted_resources_are_validated(amazon, resources):
    answer = _rdt(amazon, amazon.access_token(), resources)
    assert answer.status_code == 400, answer.text
    assert answer.json()["errors"][0]["code"] == "InvalidInput"
    assert amazon.restricted_tokens()["count"] == 0


def test_control_lists_what_was_issued_never_the_token(amazon):
    token = amazon.access_token()
    order = _buy(amazon)
    rdt = _order_rdt(amazon, token, order["orderId"], ("buyerInfo",))
    issued = amazon.restricted_tokens()
    assert issued["count"] == 1
    assert issued["paths"] == [f"{ORDERS}/{order['orderId']}"]
    assert issued["dataElements"] == ["buyerInfo"]
    assert issued["tokens"][0]["seller_id"] == SELLER
    assert rdt not in str(issued)
    # Nor does the call log hold it.
    assert rdt not in str(amazon.calls())


def test_a_template_path_covers_every_id(amazon):
    """Shipping's ``/mfn/v0/shipments/{shipmentId}`` stands for any shipment
    (the model's example); an RDT of it is still refused on Orders."""
    token = amazon.access_token()
    answer = _rdt(
        amazon, token, [{"method": "GET", "path": "/mfn/v0/shipments/{shipmentId}"}]
    )
    assert answer.status_code == 200, answer.text
    rdt = answer.json()["restrictedDataToken"]
    order = _buy(amazon)
    assert _get(amazon, rdt, order["orderId"]).status_code == 403


def test_a_revoked_authorization_ends_its_tokens(amazon):
    refresh_token = amazon.refresh_token()
    answer = amazon.app_lwa(grant_type="refresh_token", refresh_token=refresh_token)
    token = answer.json()["access_token"]
    order = _buy(amazon)
    rdt = _order_rdt(amazon, token, order["orderId"])
    amazon.revoke(refresh_token)
    assert _get(amazon, rdt, order["orderId"]).status_code == 403


def test_the_rdt_takes_the_sellers_rate_bucket(amazon):
    """An RDT call counts against the seller's getOrder bucket, like any."""
    token = amazon.access_token()
    order = _buy(amazon)
    rdt = _order_rdt(amazon, token, order["orderId"])
    amazon.set_rate("getOrder", 0.001, 2)
    assert _get(amazon, token, order["orderId"]).status_code == 200
    assert _get(amazon, rdt, order["orderId"]).status_code == 200
    assert _get(amazon, rdt, order["orderId"]).status_code == 429
