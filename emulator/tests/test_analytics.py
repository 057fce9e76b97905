"""Analytics (seller standards, customer service metrics) over real HTTP,
through the connector's pure client, every request and answer checked
against ``sell_analytics_v1_oas3.json`` (the ``emu`` fixture fails a test
that leaves a contract violation)."""

import pytest
from marketplace_connector.ebay import EbayAuthError, EbayClient, Endpoints
from marketplace_connector.ebay.analytics import (
    AnalyticsApi,
    customer_service_reading,
    standards_readings,
)

from emulator.ebay.personality import SERVED_EXTRA_CONTRACTS

API_SCOPE = "https://api.ebay.com/oauth/api_scope"
ANALYTICS_SCOPE = f"{API_SCOPE}/sell.analytics.readonly"
ANALYTICS = "/sell/analytics/v1"


@pytest.fixture
def api(client):
    token = client.user_tokens(scope=f"{API_SCOPE} {ANALYTICS_SCOPE}")["access_token"]
    ebay = EbayClient(
        Endpoints.for_environment("emulator", client.url),
        lambda force_refresh=False: token,
    )
    return AnalyticsApi(ebay)


def by_metric(readings):
    return {r["metric"]: r for r in readings}


def test_the_analytics_contract_is_served_from_extra(client):
    assert "sell_analytics_v1_oas3.json" in SERVED_EXTRA_CONTRACTS
    health = client.health()
    assert health["checked"]


def test_a_new_seller_is_top_rated_with_its_rates(api):
    profiles = api.find_seller_standards_profiles()
    assert {(p["program"], p["cycle"]["cycleType"]) for p in profiles} >= {
        ("PROGRAM_US", "CURRENT"),
        ("PROGRAM_US", "PROJECTED"),
    }
    readings = by_metric(standards_readings(profiles, "EBAY_US"))
    assert readings["standards_level"]["level"] == "TOP_RATED"
    assert readings["standards_level"]["rank"] == 3
    assert readings["projected_level"]["level"] == "TOP_RATED"
    defects = readings["defect_rate"]
    assert defects["kind"] == "rate"
    assert defects["value"] == pytest.approx(0.002)
    assert defects["threshold"] == pytest.approx(0.005)
    assert defects["label"] == "Transaction defect rate"
    assert defects["window_start"]
    assert readings["late_shipment_rate"]["threshold"] == pytest.approx(0.03)
    assert readings["cases_closed_rate"]["value"] == pytest.approx(0.0)
    assert readings["transactions"]["kind"] == "count"


def test_a_level_drop_set_by_control_is_read(client, api):
    client.control(
        "POST",
        "analytics/standards",
        json={
            "program": "PROGRAM_UK",
            "cycle": "CURRENT",
            "standardsLevel": "ABOVE_STANDARD",
            "metrics": {
                "SHIPPING_MISS_RATE": {
                    "value": 0.05,
                    "level": "ABOVE_STANDARD",
                    "thresholdUpperBound": 0.07,
                }
            },
        },
    )
    profile = api.get_seller_standards_profile("PROGRAM_UK", "CURRENT")
    assert profile["standardsLevel"] == "ABOVE_STANDARD"
    readings = by_metric(standards_readings([profile], "EBAY_GB"))
    assert readings["standards_level"]["rank"] == 2
    # Only the current cycle was changed: the projection still reads Top
    # Rated, and the rates come from it.
    projected = api.get_seller_standards_profile("PROGRAM_UK", "PROJECTED")
    assert projected["standardsLevel"] == "TOP_RATED"
    readings = by_metric(standards_readings([profile, projected], "EBAY_GB"))
    assert readings["projected_level"]["level"] == "TOP_RATED"
    assert readings["late_shipment_rate"]["level"] == "TOP_RATED"
    late = by_metric(standards_readings([profile], "EBAY_GB"))["late_shipment_rate"]
    assert late["value"] == pytest.approx(0.05)
    assert late["threshold"] == pytest.approx(0.07)


def test_a_marketplace_outside_the_programs_reads_the_global_one(api):
    readings = by_metric(
        standards_readings(api.find_seller_standards_profiles(), "EBAY_AU")
    )
    assert readings["standards_level"]["level"] == "TOP_RATED"


def test_unknown_program_and_cycle_are_refused(client, api):
    path = f"{ANALYTICS}/seller_standards_profile"
    token = client.user_tokens(scope=f"{API_SCOPE} {ANALYTICS_SCOPE}")["access_token"]
    bad_program = client.call("GET", f"{path}/PROGRAM_XX/CURRENT", token)
    assert bad_program.status_code == 400
    assert bad_program.json()["errors"][0]["errorId"] == 53105
    bad_cycle = client.call("GET", f"{path}/PROGRAM_US/LAST_YEAR", token)
    assert bad_cycle.json()["errors"][0]["errorId"] == 53115


def test_customer_service_metrics_and_a_worse_rating(client, api):
    data = api.get_customer_service_metric("ITEM_NOT_RECEIVED", "CURRENT", "EBAY_US")
    reading = customer_service_reading(data, "ITEM_NOT_RECEIVED")
    assert reading["metric"] == "item_not_received_rate"
    assert reading["level"] == "LOW" and reading["rank"] == 4
    assert reading["value"] == pytest.approx(0.001)
    assert reading["threshold"] is None
    assert reading["peer_average"] == pytest.approx(0.004)
    client.control(
        "POST",
        "analytics/customer_service",
        json={
            "metricType": "ITEM_NOT_AS_DESCRIBED",
            "evaluationType": "CURRENT",
            "rating": "VERY_HIGH",
            "rate": 0.02,
        },
    )
    data = api.get_customer_service_metric(
        "ITEM_NOT_AS_DESCRIBED", "CURRENT", "EBAY_US"
    )
    reading = customer_service_reading(data, "ITEM_NOT_AS_DESCRIBED")
    assert (reading["level"], reading["rank"]) == ("VERY_HIGH", 1)
    assert reading["value"] == pytest.approx(0.02)


def test_no_metric_on_a_marketplace_without_sales_is_none(api):
    # EBAY_GB is served, but the seller has no transaction there: 409 54200.
    assert (
        api.get_customer_service_metric("ITEM_NOT_RECEIVED", "CURRENT", "EBAY_GB")
        is None
    )


def test_bad_metric_type_evaluation_and_marketplace(client):
    token = client.user_tokens(scope=f"{API_SCOPE} {ANALYTICS_SCOPE}")["access_token"]
    path = f"{ANALYTICS}/customer_service_metric"
    params = {"evaluation_marketplace_id": "EBAY_US"}
    bad_type = client.call("GET", f"{path}/LATE/CURRENT", token, params=params)
    assert bad_type.status_code == 404
    assert bad_type.json()["errors"][0]["errorId"] == 54400
    bad_eval = client.call(
        "GET", f"{path}/ITEM_NOT_RECEIVED/LATER", token, params=params
    )
    assert bad_eval.json()["errors"][0]["errorId"] == 54402
    bad_market = client.call(
        "GET",
        f"{path}/ITEM_NOT_RECEIVED/CURRENT",
        token,
        params={"evaluation_marketplace_id": "EBAY_XX"},
    )
    assert bad_market.status_code == 400
    assert bad_market.json()["errors"][0]["errorId"] == 54401


def test_a_token_without_the_analytics_scope_is_refused(client):
    token = client.user_tokens(scope=f"{API_SCOPE} {API_SCOPE}/sell.inventory")[
        "access_token"
    ]
    ebay = EbayClient(
        Endpoints.for_environment("emulator", client.url),
        lambda force_refresh=False: token,
    )
    with pytest.raises(EbayAuthError) as caught:
        AnalyticsApi(ebay).find_seller_standards_profiles()
    assert caught.value.status == 403


def test_control_refuses_unknown_levels(client):
    answer = client.session.post(
        f"{client.url}/_emulator/analytics/standards",
        json={"program": "PROGRAM_US", "standardsLevel": "SUPER"},
        timeout=5,
    )
    assert answer.status_code == 400
