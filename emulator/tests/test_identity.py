"""getUser and what every eBay answer carries: tokens, scopes, headers."""

from ebay_app import USER_PATH
from jsonschema import Draft202012Validator


def test_get_user_with_a_user_token(client, emulator):
    tokens = client.user_tokens()
    answer = client.call("GET", USER_PATH, tokens["access_token"], request_id="corr-1")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["X-EBAY-C-REQUEST-ID"] == "corr-1"
    assert answer.headers["rlogid"]
    user = answer.json()
    assert user["username"] == "emulator_seller"
    assert user["userId"] and user["accountType"] == "BUSINESS"
    assert user["registrationMarketplaceId"] == "EBAY_US"
    # Shaped as the contract's UserResponse (no extra or mistyped fields).
    contract = next(
        c for c in emulator.state.contracts.contracts if "identity" in c.name
    )
    schema = contract.self_contained({"$ref": "#/components/schemas/UserResponse"})
    schema = _closed(schema)
    assert list(Draft202012Validator(schema).iter_errors(user)) == []
    assert client.violations() == []
    [call] = client.calls(path="^/commerce/identity/v1/user/$")
    assert call["request_id"] == "corr-1" and call["status"] == 200


def test_get_user_refuses_missing_bad_expired_and_app_tokens(client):
    expected = {
        "errors": [
            {
                "errorId": 1001,
                "domain": "OAuth",
                "category": "REQUEST",
                "message": "Invalid access token",
                "longMessage": "Invalid access token. Check the value of the "
                "Authorization HTTP request header.",
            }
        ]
    }
    missing = client.call("GET", USER_PATH)
    assert missing.status_code == 401 and missing.json() == expected
    assert missing.headers["Content-Type"] == "application/json"
    assert client.call("GET", USER_PATH, "v^1.1#forged").status_code == 401
    assert client.call("GET", USER_PATH, client.app_token()).status_code == 401
    tokens = client.user_tokens()
    client.advance(7201)
    assert client.call("GET", USER_PATH, tokens["access_token"]).status_code == 401
    assert client.violations() == []


def test_scopes_come_from_the_contract(client):
    """getUser needs one of the identity scopes its contract lists."""
    scope = "https://api.ebay.com/oauth/api_scope/sell.inventory"
    tokens = client.user_tokens(scope=scope)
    denied = client.call("GET", USER_PATH, tokens["access_token"])
    assert denied.status_code == 403
    assert denied.json()["errors"][0] == {
        "errorId": 1100,
        "domain": "ACCESS",
        "category": "REQUEST",
        "message": "Access denied",
        "longMessage": "Insufficient permissions to fulfill the request.",
    }
    status_scope = (
        "https://api.ebay.com/oauth/api_scope/commerce.identity.status.readonly"
    )
    tokens = client.user_tokens(scope=status_scope)
    assert client.call("GET", USER_PATH, tokens["access_token"]).status_code == 200


def _closed(schema):
    """The schema with additionalProperties false on every object: the answer
    holds only what the contract declares."""
    if isinstance(schema, list):
        return [_closed(value) for value in schema]
    if not isinstance(schema, dict):
        return schema
    closed = {}
    for key, value in schema.items():
        if key == "properties":
            closed[key] = {name: _closed(s) for name, s in value.items()}
        else:
            closed[key] = _closed(value)
    if "properties" in closed:
        closed.setdefault("additionalProperties", False)
    return closed
