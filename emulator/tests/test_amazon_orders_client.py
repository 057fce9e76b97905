"""The pure clients ``amazon/orders.py`` (OrdersApi) and ``amazon/tokens.py``
(TokensApi) against the emulator, real HTTP on loopback: pages of
searchOrders, getOrder with includedData, a Restricted Data Token used for
one call only and never seen in the call records, the log or an error.
Every test ends with no contract violation (the ``amazon`` fixture)."""

import logging
from datetime import datetime, timedelta, timezone

import pytest
import requests
from amazon_app import APP, SELLER, US
from marketplace_connector.amazon import (
    DEFAULT_RATES,
    SUB_APIS,
    AmazonAuthError,
    AmazonRateLimited,
    AmazonTransport,
    LwaClient,
    RateLimiter,
    SpApiClient,
    endpoints_for,
)
from marketplace_connector.amazon.orders import order_path
from marketplace_connector.amazon.tokens import order_resource

SINCE = datetime(2020, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def calls():
    return []


@pytest.fixture
def sp(amazon, calls):
    session = requests.Session()
    transport = AmazonTransport(session, timeout=5)
    endpoints = endpoints_for("NA", "emulator", amazon.url)
    lwa = LwaClient(
        transport, endpoints.lwa_url, APP["client_id"], APP["client_secret"]
    )
    refresh_token = amazon.refresh_token()
    state = {}

    def access_token(force_refresh=False):
        if force_refresh or "token" not in state:
            state["token"] = lwa.refresh(refresh_token).access_token
        return state["token"]

    yield SpApiClient(
        transport,
        endpoints.api_url,
        access_token,
        seller_id=SELLER,
        limiter=RateLimiter(),
        on_call=calls.append,
    )
    session.close()


def _buy(amazon, sku="SKU-1", **kw):
    return amazon.create_order(US, [{"sku": sku, "quantity": 1, "price": 9.5}], **kw)


def test_sub_apis_and_rates_are_declared():
    assert SUB_APIS["orders"] == (".orders", "OrdersApi")
    assert SUB_APIS["tokens"] == (".tokens", "TokensApi")
    assert DEFAULT_RATES["searchOrders"] == (0.0056, 20)
    assert DEFAULT_RATES["getOrder"] == (0.5, 30)
    assert DEFAULT_RATES["createRestrictedDataToken"] == (1, 10)


def test_search_pages_through_every_order(amazon, sp, calls):
    made = [_buy(amazon, sku=f"S-{n}")["orderId"] for n in range(5)]
    seen, token = [], None
    while True:
        page = sp.orders.search_orders(
            [US],
            last_updated_after=SINCE,
            pagination_token=token,
            max_results=2,
            included_data=("FULFILLMENT", "PROCEEDS"),
        )
        seen += [o["orderId"] for o in page["orders"]]
        assert all("fulfillment" in o for o in page["orders"])
        token = (page.get("pagination") or {}).get("nextToken")
        if not token:
            break
    assert seen == made
    assert [c["operation"] for c in calls] == ["searchOrders"] * 3
    query = amazon.calls(path="^/orders/")[0]["query"]
    assert query["lastUpdatedAfter"] == "2020-01-01T00:00:00Z"
    assert query["marketplaceIds"] == US


def test_search_arguments_are_checked_before_any_call(amazon, sp, calls):
    with pytest.raises(ValueError):
        sp.orders.search_orders([US])
    with pytest.raises(ValueError):
        sp.orders.search_orders([US], last_updated_after=SINCE, created_after=SINCE)
    with pytest.raises(ValueError):
        sp.orders.search_orders([US], created_after=SINCE, max_results=101)
    with pytest.raises(ValueError):
        sp.orders.search_orders([US], created_after=SINCE, included_data=("ALL",))
    assert calls == []


def test_search_by_creation_and_filters(amazon, sp):
    _buy(amazon)
    fba = _buy(amazon, sku="F", fulfilled_by="AMAZON")["orderId"]
    page = sp.orders.search_orders(
        [US],
        created_after=datetime.now(timezone.utc) - timedelta(hours=1),
        fulfilled_by=("AMAZON",),
        fulfillment_statuses=("UNSHIPPED",),
    )
    assert [o["orderId"] for o in page["orders"]] == [fba]
    assert "createdBefore" in page


def test_get_order_with_and_without_a_restricted_data_token(amazon, sp, calls, caplog):
    order_id = _buy(amazon)["orderId"]
    plain = sp.orders.get_order(order_id, included_data=("BUYER", "RECIPIENT"))
    assert "buyerName" not in plain["buyer"]
    assert "addressLine1" not in plain["recipient"]["deliveryAddress"]

    caplog.set_level(logging.DEBUG)
    rdt = sp.tokens.restricted_data_token([order_resource(order_id)])
    full = sp.orders.get_order(
        order_id,
        included_data=("BUYER", "RECIPIENT", "FULFILLMENT"),
        restricted_data_token=rdt,
    )
    assert full["buyer"]["buyerName"] == "Jane Buyer"
    assert full["recipient"]["deliveryAddress"]["addressLine1"]
    # The RDT went in that call's header, and nowhere of ours.
    sent = amazon.calls(path=f"^{order_path(order_id)}$")
    assert len(sent) == 2
    assert rdt not in str(calls)
    assert rdt not in caplog.text
    assert rdt not in str(amazon.calls())  # the emulator redacts it too
    issued = amazon.restricted_tokens()
    assert issued["count"] == 1
    assert issued["paths"] == [order_path(order_id)]
    # The next call goes back to the LWA token.
    again = sp.orders.get_order(order_id, included_data=("BUYER",))
    assert "buyerName" not in again["buyer"]


def test_a_refused_rdt_raises_without_the_token_and_without_a_refresh(
    amazon, sp, calls, caplog
):
    first, second = _buy(amazon)["orderId"], _buy(amazon, sku="B")["orderId"]
    rdt = sp.tokens.restricted_data_token([order_resource(first, ("buyerInfo",))])
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AmazonAuthError) as caught:
        sp.orders.get_order(second, restricted_data_token=rdt)
    assert caught.value.status == 403
    assert rdt not in str(caught.value)
    assert rdt not in repr(caught.value.__dict__)
    assert rdt not in str(calls)
    assert rdt not in caplog.text
    # Refused once: a fresh LWA token would not be the RDT the call needs.
    assert len(amazon.calls(path=f"^{order_path(second)}$")) == 1


def test_restricted_data_token_arguments(sp, calls):
    with pytest.raises(ValueError):
        sp.tokens.restricted_data_token([])
    with pytest.raises(ValueError):
        sp.tokens.restricted_data_token(
            [{"method": "GET", "path": order_path("1"), "dataElements": ["all"]}]
        )
    assert calls == []


def test_the_limiter_keeps_search_orders_within_its_burst(amazon, sp):
    """The client's bucket for searchOrders (burst 20, 0.0056/s) refuses the
    21st call itself instead of earning Amazon's 429."""
    sp.max_wait = 0.5
    _buy(amazon)
    for _ in range(20):
        sp.orders.search_orders([US], last_updated_after=SINCE)
    with pytest.raises(AmazonRateLimited):
        sp.orders.search_orders([US], last_updated_after=SINCE)
    statuses = [c["status"] for c in amazon.calls(path="^/orders/")]
    assert statuses == [200] * 20
