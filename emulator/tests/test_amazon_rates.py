"""Token buckets: the models' rates, x-amzn-RateLimit-Limit, 429s (real HTTP)."""

from amazon_app import PARTICIPATIONS, SELLER

from emulator.amazon import rates
from emulator.amazon.state import AmazonState

QUOTA = {
    "errors": [
        {
            "code": "QuotaExceeded",
            "message": "You exceeded your quota for the requested resource.",
        }
    ]
}
LISTING = f"/listings/2021-08-01/items/{SELLER}/SKU-1"
US = {"marketplaceIds": "ATVPDKIKX0DER"}


def _throttled(answer, body=QUOTA):
    assert answer.status_code == 429, answer.text
    assert answer.json() == body
    assert "x-amzn-RateLimit-Limit" not in answer.headers
    assert "Retry-After" not in answer.headers
    assert answer.headers["x-amzn-RequestId"]


def test_rate_header_on_2xx_from_the_models_table(amazon):
    answer = amazon.call("GET", PARTICIPATIONS, amazon.access_token())
    assert answer.status_code == 200
    assert answer.headers["x-amzn-RateLimit-Limit"] == "0.016"


def test_rate_header_on_400(amazon):
    answer = amazon.call(
        "GET", "/definitions/2020-09-01/productTypes", amazon.access_token()
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"] == "InvalidInput"
    assert answer.headers["x-amzn-RateLimit-Limit"] == "5"
    found = amazon.take_violations()
    assert [v["reason"] for v in found] == [
        "missing required query parameter marketplaceIds"
    ]


def test_no_rate_header_on_403_nor_on_lwa(amazon):
    assert "x-amzn-RateLimit-Limit" not in amazon.call("GET", PARTICIPATIONS).headers
    answer = amazon.app_lwa(
        grant_type="refresh_token", refresh_token=amazon.refresh_token()
    )
    assert "x-amzn-RateLimit-Limit" not in answer.headers


def test_bucket_exhaustion_then_refill_with_the_clock(amazon):
    token = amazon.access_token()
    for _i in range(15):  # getMarketplaceParticipations: burst 15
        assert amazon.call("GET", PARTICIPATIONS, token).status_code == 200
    _throttled(amazon.call("GET", PARTICIPATIONS, token))
    amazon.advance(30)  # 0.016/s * 30 s: less than one token
    _throttled(amazon.call("GET", PARTICIPATIONS, token))
    amazon.advance(33)  # 63 s in all: one token
    assert amazon.call("GET", PARTICIPATIONS, token).status_code == 200
    _throttled(amazon.call("GET", PARTICIPATIONS, token))


def test_buckets_are_per_operation_and_per_seller(amazon):
    amazon.set_rate("getMarketplaceParticipations", 0.001, 1)
    token = amazon.access_token()
    assert amazon.call("GET", PARTICIPATIONS, token).status_code == 200
    _throttled(amazon.call("GET", PARTICIPATIONS, token))
    # Another operation of the same seller has its own bucket...
    assert amazon.call("GET", "/sellers/v1/account", token).status_code == 200
    # ...and so has another seller (usage plans are per seller and app).
    amazon.add_seller("A2OTHERSELLER")
    other = amazon.access_token("A2OTHERSELLER")
    assert amazon.call("GET", PARTICIPATIONS, other).status_code == 200
    # A new token of the same seller does not get a new bucket.
    _throttled(amazon.call("GET", PARTICIPATIONS, amazon.access_token()))


def test_set_rate_changes_the_header_too(amazon):
    amazon.set_rate("getMarketplaceParticipations", 2, 3)
    answer = amazon.call("GET", PARTICIPATIONS, amazon.access_token())
    assert answer.headers["x-amzn-RateLimit-Limit"] == "2"


def test_rate_limits_off(amazon):
    amazon.config(rate_limits=0)
    amazon.set_rate("getMarketplaceParticipations", 0.001, 1)
    token = amazon.access_token()
    for _i in range(3):
        assert amazon.call("GET", PARTICIPATIONS, token).status_code == 200


def test_injected_429_has_amazons_body(amazon):
    amazon.fault("^/sellers/", "429")
    _throttled(amazon.call("GET", PARTICIPATIONS, amazon.access_token()))


def test_injected_429_with_a_granular_message(amazon):
    amazon.fault("^/listings/", "429", message=rates.RELATIONSHIPS_MESSAGE)
    answer = amazon.call("PUT", LISTING, amazon.access_token(), params=US, json={})
    _throttled(
        answer,
        {"errors": [{"code": "QuotaExceeded", "message": rates.RELATIONSHIPS_MESSAGE}]},
    )


def _granular(message):
    return {"errors": [{"code": "QuotaExceeded", "message": message}]}


def _put_without_product_type(amazon, token, attributes):
    """A put that passes the buckets, then breaks the model (no productType):
    answered 400 whatever the Listings handler does."""
    return amazon.call(
        "PUT", LISTING, token, params=US, json={"attributes": attributes}
    )


def test_put_with_relationships_counts_against_the_relationships_bucket(amazon):
    amazon.set_rate("putListingsItem:relationships", 0.001, 1)
    token = amazon.access_token()
    relationship = {"child_parent_sku_relationship": [{"parent_sku": "P"}]}
    assert _put_without_product_type(amazon, token, relationship).status_code == 400
    _throttled(
        _put_without_product_type(amazon, token, relationship),
        _granular(rates.RELATIONSHIPS_MESSAGE),
    )
    # A put without relationship attributes still goes through.
    plain = {"item_name": [{"value": "A"}]}
    assert _put_without_product_type(amazon, token, plain).status_code == 400
    assert len(amazon.take_violations()) == 2


def test_put_counts_against_the_application_bucket_across_sellers(amazon):
    amazon.set_rate("putListingsItem:application", 0.001, 1)
    amazon.add_seller("A2OTHERSELLER")
    first = _put_without_product_type(amazon, amazon.access_token(), {})
    assert first.status_code == 400
    other = amazon.call(
        "PUT",
        "/listings/2021-08-01/items/A2OTHERSELLER/SKU-1",
        amazon.access_token("A2OTHERSELLER"),
        params=US,
        json={"attributes": {}},
    )
    _throttled(other, _granular(rates.APPLICATION_MESSAGE))
    assert len(amazon.take_violations()) == 1


def test_patch_buckets_by_attribute_kind():
    assert rates.listings_buckets(
        "patchListingsItem",
        {"patches": [{"op": "merge", "path": "/attributes/fulfillment_availability"}]},
    ) == ["patchListingsItem:application"]
    assert rates.listings_buckets(
        "patchListingsItem",
        {"patches": [{"op": "replace", "path": "/attributes/item_name"}]},
    ) == ["patchListingsItem:application", "patchListingsItem:productData"]
    assert rates.listings_buckets(
        "patchListingsItem",
        {
            "patches": [
                {"op": "add", "path": "/attributes/child_parent_sku_relationship"}
            ]
        },
    ) == ["patchListingsItem:application", "patchListingsItem:relationships"]
    assert rates.listings_buckets("getListingsItem", {}) == []


def test_patch_of_product_data_throttled_with_its_message(amazon):
    amazon.set_rate("patchListingsItem:productData", 0.001, 1)
    token = amazon.access_token()
    body = {
        "patches": [{"op": "replace", "path": "/attributes/item_name", "value": []}]
    }
    # No productType: the model refuses it (400) after the buckets.
    assert amazon.call("PATCH", LISTING, token, params=US, json=body).status_code == 400
    _throttled(
        amazon.call("PATCH", LISTING, token, params=US, json=body),
        _granular(rates.PRODUCT_DATA_MESSAGE),
    )
    assert len(amazon.take_violations()) == 1


def test_listings_feed_helper_five_per_five_minutes():
    state = AmazonState()
    assert all(rates.take_listings_feed(state, SELLER, "NA") for _i in range(5))
    assert not rates.take_listings_feed(state, SELLER, "NA")
    assert rates.take_listings_feed(state, SELLER, "EU")  # another region
    state.clock_offset += 60  # 5 per 300 s: one feed a minute comes back
    assert rates.take_listings_feed(state, SELLER, "NA")
    assert not rates.take_listings_feed(state, SELLER, "NA")


def test_every_model_operation_with_a_table_has_a_rate(amazon_emulator):
    book = amazon_emulator.state.contracts
    without = sorted(
        o.operation_id
        for o in book.operations
        if rates.model_rate(o) is None
        and "Rate (requests" in o.op.get("description", "")
    )
    assert without == []
    found = {o.operation_id: rates.model_rate(o) for o in book.operations}
    assert found["putListingsItem"] == (5.0, 10)
    assert found["createFeed"] == (0.0083, 15)
    assert found["getDefinitionsProductType"] == (5.0, 10)
