"""SP-API authentication, request ids and unknown paths (real HTTP)."""

import uuid

import pytest
from amazon_app import APP, PARTICIPATIONS, SELLER

from emulator.amazon import errors

DESTINATIONS = "/notifications/v1/destinations"


def _refusal(answer, details):
    assert answer.status_code == 403, answer.text
    assert answer.json() == {
        "errors": [
            {
                "code": "Unauthorized",
                "message": "Access to requested resource is denied.",
                "details": details,
            }
        ]
    }
    assert "x-amzn-RateLimit-Limit" not in answer.headers


def test_missing_token(amazon):
    _refusal(amazon.call("GET", PARTICIPATIONS), errors.TOKEN_MISSING)


def test_bearer_authorization_is_not_amazons_header(amazon):
    token = amazon.access_token()
    answer = amazon.call(
        "GET", PARTICIPATIONS, headers={"Authorization": f"Bearer {token}"}
    )
    _refusal(answer, errors.TOKEN_MISSING)


def test_wrong_token(amazon):
    _refusal(amazon.call("GET", PARTICIPATIONS, "Atza|forged"), errors.TOKEN_INVALID)


def test_expired_token(amazon):
    token = amazon.access_token()
    assert amazon.call("GET", PARTICIPATIONS, token).status_code == 200
    amazon.advance(3601)
    _refusal(amazon.call("GET", PARTICIPATIONS, token), errors.TOKEN_EXPIRED)


def test_token_ttl_follows_the_config(amazon):
    amazon.config(access_token_ttl=60)
    answer = amazon.app_lwa(
        grant_type="refresh_token", refresh_token=amazon.refresh_token()
    )
    assert answer.json()["expires_in"] == 60
    amazon.advance(61)
    token = answer.json()["access_token"]
    _refusal(amazon.call("GET", PARTICIPATIONS, token), errors.TOKEN_EXPIRED)


def test_grantless_token_cannot_call_a_seller_operation(amazon):
    token = amazon.grantless_token()
    _refusal(amazon.call("GET", PARTICIPATIONS, token), errors.TOKEN_INVALID)


def test_seller_token_cannot_call_a_grantless_operation(amazon):
    _refusal(
        amazon.call("GET", DESTINATIONS, amazon.access_token()), errors.TOKEN_INVALID
    )


def test_grantless_token_of_the_wrong_scope(amazon):
    token = amazon.grantless_token("sellingpartnerapi::migration")
    _refusal(amazon.call("GET", DESTINATIONS, token), errors.TOKEN_INVALID)


def test_another_sellers_id_in_the_path_is_refused(amazon):
    answer = amazon.call(
        "GET",
        "/listings/2021-08-01/items/A9SOMEONEELSE/SKU-1",
        amazon.access_token(),
        params={"marketplaceIds": "ATVPDKIKX0DER"},
    )
    assert answer.status_code == 403
    assert answer.json()["errors"][0]["code"] == "Unauthorized"


@pytest.mark.parametrize(
    "method,path,token",
    [
        ("GET", PARTICIPATIONS, "seller"),
        ("GET", PARTICIPATIONS, None),
        ("GET", "/sellers/v1/nothing-here", None),
        ("POST", "/auth/o2/token", None),
        ("GET", "/apps/authorize/consent", None),
    ],
)
def test_every_answer_has_a_fresh_request_id(amazon, method, path, token):
    token = amazon.access_token() if token else None
    ids = set()
    for _i in range(2):
        answer = amazon.call(method, path, token)
        ids.add(answer.headers["x-amzn-RequestId"])
        uuid.UUID(answer.headers["x-amzn-RequestId"])
    assert len(ids) == 2
    amazon.take_violations()  # the malformed LWA and consent calls are recorded


def test_the_call_log_keeps_the_request_id(amazon):
    answer = amazon.call("GET", PARTICIPATIONS, amazon.access_token())
    logged = amazon.calls(path="^/sellers/")
    assert [c["request_id"] for c in logged] == [answer.headers["x-amzn-RequestId"]]
    assert logged[0]["headers"]["x-amz-access-token"] == "<redacted>"


def test_an_unknown_sp_api_path_is_a_violation(amazon):
    answer = amazon.call("GET", "/listings/2099-01-01/items", amazon.access_token())
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["code"] == "NotFound"
    found = amazon.take_violations()
    assert [v["reason"] for v in found] == ["no Amazon contract covers this path"]


def test_an_unknown_operation_under_a_model_is_a_violation(amazon):
    answer = amazon.call("DELETE", PARTICIPATIONS, amazon.access_token())
    assert answer.status_code == 404
    found = amazon.take_violations()
    assert [v["reason"] for v in found] == ["no such operation in Amazon's contract"]


def test_documents_paths_are_not_sp_api(amazon):
    """Presigned document URLs (Feeds) are outside every model: no violation
    for a path there, whatever the Feeds personality serves."""
    amazon.call("GET", "/_documents/nothing")
    assert amazon.violations() == []


def test_reset_brings_back_the_default_seller_and_forgets_apps(amazon):
    amazon.add_seller("A2OTHERSELLER")
    amazon.reset()
    sellers = amazon.amazon("GET", "sellers")["sellers"]
    assert [s["seller_id"] for s in sellers] == [SELLER]
    assert amazon.amazon("GET", "apps")["apps"] == []
    amazon.add_app(**APP)  # the fixture's app again, for its own checks


def test_control_never_shows_a_client_secret(amazon):
    assert APP["client_secret"] not in str(amazon.amazon("GET", "apps"))
