"""OAuth over real HTTP: the consent page and the token endpoint."""

from ebay_app import API_SCOPE, APP, SCOPES, TOKEN_PATH, USER_PATH

from emulator.core.routes import Headers, Request
from emulator.ebay import oauth_contract


# -- consent page -----------------------------------------------------------------
def test_consent_page_lists_scopes_and_user(client):
    page = client.consent_page()
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    text = page.text
    assert "Grant application access" in text
    assert 'id="ebay-emulator-user"' in text and "emulator_seller" in text
    for scope in SCOPES.split():
        assert f">{scope}</li>" in text
    assert 'action="/oauth2/authorize/decide"' in text
    assert (
        '<button type="submit" name="decision" value="accept" '
        'id="ebay-emulator-agree">Agree</button>'
    ) in text
    assert 'id="ebay-emulator-decline"' in text


def test_consent_accept_and_decline_redirect(client):
    location, params = client.seller_consent()
    assert location.startswith("http://127.0.0.1:1/accept?state=st&code=")
    assert params["code"].startswith("v^1.1#") and params["expires_in"] == "299"
    location, params = client.seller_consent(decision="decline")
    assert location.startswith("http://127.0.0.1:1/decline?")
    assert params == {
        "state": "st",
        "error": "access_denied",
        "error_description": "The user declined consent",
    }


def test_decline_defaults_to_the_accept_url_which_may_hold_a_query(client):
    client.control(
        "POST",
        "apps",
        json={
            "client_id": "app",
            "client_secret": "s3cret",
            "ru_name": "ru",
            "accept_url": "http://127.0.0.1:1/cb?db=x",
        },
    )
    location, params = client.seller_consent(
        decision="decline", prompt="login", locale="fr"
    )
    assert location.startswith("http://127.0.0.1:1/cb?db=x&state=st&error=")
    assert params["error"] == "access_denied"


def test_consent_page_refuses_bad_requests(client):
    assert client.consent_page(client_id="nope").status_code == 400
    wrong_runame = client.consent_page(redirect_uri="http://127.0.0.1:1/accept")
    assert wrong_runame.status_code == 400
    assert 'id="ebay-emulator-error"' in wrong_runame.text
    unknown_scope = client.consent_page(scope=f"{API_SCOPE}/not.a.scope")
    assert unknown_scope.status_code == 400 and "not.a.scope" in unknown_scope.text
    # Refusals of well-formed requests are eBay's answers, not violations ...
    assert client.take_violations() == []
    # ... a response_type eBay does not document is one.
    assert client.consent_page(response_type="token").status_code == 400
    [violation] = client.take_violations()
    assert violation["side"] == "request" and violation["path"] == "/oauth2/authorize"
    assert "response_type must be one of ['code'], not 'token'" in violation["reason"]
    missing = client.session.get(f"{client.url}/oauth2/authorize?client_id=app")
    assert missing.status_code == 400
    [violation] = client.take_violations()
    assert violation["reason"] == (
        "missing required query parameter redirect_uri; missing required query "
        "parameter response_type; missing required query parameter scope"
    )
    answer = client.session.post(
        f"{client.url}/oauth2/authorize/decide",
        data={"ticket": "forged", "decision": "accept"},
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 400


# -- authorization code ---------------------------------------------------------------
def test_code_exchange_once_and_replay_revokes(client):
    _location, params = client.seller_consent()
    form = {
        "grant_type": "authorization_code",
        "code": params["code"],
        "redirect_uri": "ru",
    }
    first = client.token(**form)
    assert first.status_code == 200
    assert first.headers["Content-Type"] == "application/json"
    body = first.json()
    assert set(body) == {
        "access_token",
        "expires_in",
        "refresh_token",
        "refresh_token_expires_in",
        "token_type",
    }
    assert body["token_type"] == "User Access Token"
    assert body["expires_in"] == 7200 and body["refresh_token_expires_in"] == 47304000
    assert body["access_token"].startswith("v^1.1#i^1#")
    assert client.call("GET", USER_PATH, body["access_token"]).status_code == 200

    again = client.token(**form)
    assert again.status_code == 400
    assert again.json() == {
        "error": "invalid_grant",
        "error_description": "the provided authorization grant code is invalid or "
        "was issued to another client",
    }
    # The replay revoked what the code had minted.
    assert client.call("GET", USER_PATH, body["access_token"]).status_code == 401
    refreshed = client.token(
        grant_type="refresh_token", refresh_token=body["refresh_token"]
    )
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"


def test_expired_code_wrong_runame_and_other_client(client):
    _location, params = client.seller_consent()
    wrong = client.token(
        grant_type="authorization_code", code=params["code"], redirect_uri="other"
    )
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"

    _location, params = client.seller_consent()
    client.advance(300)
    late = client.token(
        grant_type="authorization_code", code=params["code"], redirect_uri="ru"
    )
    assert late.status_code == 400 and late.json()["error"] == "invalid_grant"

    _location, params = client.seller_consent()
    client.control(
        "POST",
        "apps",
        json=dict(APP, client_id="other", client_secret="other-secret"),
    )
    stolen = client.session.post(
        f"{client.url}/identity/v1/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": params["code"],
            "redirect_uri": "ru",
        },
        auth=("other", "other-secret"),
        timeout=5,
    )
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"
    no_runame = client.token(grant_type="authorization_code", code=params["code"])
    assert no_runame.status_code == 400
    [violation] = client.take_violations()
    assert violation["reason"] == (
        "missing required form field redirect_uri for grant_type authorization_code"
    )


# -- refresh token ---------------------------------------------------------------
def test_refresh_and_scope_subset(client):
    tokens = client.user_tokens()
    refreshed = client.token(
        grant_type="refresh_token", refresh_token=tokens["refresh_token"], scope=SCOPES
    )
    assert refreshed.status_code == 200
    body = refreshed.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert body["access_token"] != tokens["access_token"]
    assert body["token_type"] == "User Access Token"

    narrower = client.token(
        grant_type="refresh_token",
        refresh_token=tokens["refresh_token"],
        scope=f"{API_SCOPE}/sell.inventory",
    )
    assert narrower.status_code == 200
    # The narrower token lacks commerce.identity.readonly: getUser refuses it.
    denied = client.call("GET", USER_PATH, narrower.json()["access_token"])
    assert denied.status_code == 403
    assert denied.json()["errors"][0]["errorId"] == 1100

    wider = client.token(
        grant_type="refresh_token",
        refresh_token=tokens["refresh_token"],
        scope=f"{API_SCOPE}/sell.finances",
    )
    assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"
    unknown = client.token(grant_type="refresh_token", refresh_token="v^1.1#nope")
    assert unknown.status_code == 400
    assert unknown.json()["error_description"] == (
        "the provided authorization refresh token is invalid or was issued to "
        "another client"
    )


def test_revoked_refresh_token(client):
    kept = client.user_tokens()
    revoked = client.user_tokens()
    answer = client.control(
        "POST", "tokens/revoke", json={"refresh_token": revoked["refresh_token"]}
    )
    assert answer == {"revoked": 1}
    refused = client.token(
        grant_type="refresh_token", refresh_token=revoked["refresh_token"]
    )
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    assert client.call("GET", USER_PATH, revoked["access_token"]).status_code == 401
    assert client.call("GET", USER_PATH, kept["access_token"]).status_code == 200

    assert (
        client.control("POST", "tokens/revoke", json={"user": "emulator_seller"})[
            "revoked"
        ]
        == 1
    )
    refused = client.token(
        grant_type="refresh_token", refresh_token=kept["refresh_token"]
    )
    assert refused.status_code == 400


def test_revoke_all(client):
    tokens = client.user_tokens()
    assert client.control("POST", "tokens/revoke", json={}) == {"revoked": 1}
    refused = client.token(
        grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"


# -- client credentials and client authentication --------------------------------------
def test_client_credentials(client):
    answer = client.token(grant_type="client_credentials", scope=API_SCOPE)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert body["token_type"] == "Application Access Token"
    assert body["expires_in"] == 7200
    user_scope = client.token(
        grant_type="client_credentials", scope=f"{API_SCOPE}/sell.inventory"
    )
    assert user_scope.status_code == 400
    assert user_scope.json()["error"] == "invalid_scope"


def test_client_authentication_and_bad_requests(client):
    wrong = client.token(
        secret="wrong", grant_type="client_credentials", scope=API_SCOPE
    )
    assert wrong.status_code == 401
    assert wrong.json() == {
        "error": "invalid_client",
        "error_description": "client authentication failed",
    }
    anonymous = client.session.post(
        f"{client.url}/identity/v1/oauth2/token",
        data={"grant_type": "client_credentials", "scope": API_SCOPE},
        timeout=5,
    )
    assert anonymous.status_code == 401
    garbled = client.session.post(
        f"{client.url}/identity/v1/oauth2/token",
        data={"grant_type": "client_credentials", "scope": API_SCOPE},
        headers={"Authorization": "Basic !!!not-base64"},
        timeout=5,
    )
    assert garbled.status_code == 401

    # A wrong secret is a refusal, no violation; a missing or garbled Basic
    # header breaks eBay's documented form.
    assert [v["reason"] for v in client.take_violations()] == [
        "Authorization must be Basic base64(client_id:client_secret)"
    ] * 2

    assert client.token().json()["error"] == "invalid_request"
    assert client.token(grant_type="password").json()["error"] == (
        "unsupported_grant_type"
    )
    as_json = client.session.post(
        f"{client.url}/identity/v1/oauth2/token",
        json={"grant_type": "client_credentials"},
        auth=("app", "s3cret"),
        timeout=5,
    )
    assert as_json.status_code == 400 and as_json.json()["error"] == "invalid_request"
    reasons = [v["reason"] for v in client.take_violations()]
    assert "grant_type must be one of" in reasons[0]  # no form at all
    assert reasons[1].endswith("not 'password'")
    assert reasons[2].startswith(
        "Content-Type 'application/json' is not application/x-www-form-urlencoded"
    )
    assert len(reasons) == 3


def test_access_token_ttl_is_configurable(client):
    client.control("POST", "config", json={"access_token_ttl": 60})
    tokens = client.user_tokens()
    assert tokens["expires_in"] == 60
    assert client.call("GET", USER_PATH, tokens["access_token"]).status_code == 200
    client.advance(61)
    assert client.call("GET", USER_PATH, tokens["access_token"]).status_code == 401
    # The refresh token outlives it.
    refreshed = client.token(
        grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    assert refreshed.status_code == 200


# -- the written-down contract of the OAuth endpoints -----------------------------
def _token_request(grant_type):
    return Request(
        "POST",
        TOKEN_PATH,
        {},
        Headers({"Content-Type": "application/x-www-form-urlencoded"}),
        b"",
        None,
        form={"grant_type": grant_type},
    )


def test_token_answers_are_checked_against_ebays_documented_form():
    req = _token_request("client_credentials")
    good = {
        "access_token": "v^1.1#x",
        "expires_in": 7200,
        "token_type": "Application Access Token",
    }
    assert oauth_contract.check_answer(req, 200, good) == []
    # A user token's fields in an application token's answer, a wrong type.
    extra = oauth_contract.check_answer(req, 200, dict(good, refresh_token="r"))
    assert extra == [
        (
            "answer HTTP 200 answer: Additional properties are not allowed "
            "('refresh_token' was unexpected)"
        )
    ]
    wrong_type = dict(good, token_type="User Access Token")
    assert oauth_contract.check_answer(req, 200, wrong_type) == [
        "answer HTTP 200 token_type: 'Application Access Token' was expected"
    ]
    # Errors are RFC 6749's; the statuses the endpoint gives, and outages.
    refusal = {"error": "invalid_scope", "error_description": "no"}
    assert oauth_contract.check_answer(req, 400, refusal) == []
    assert oauth_contract.check_answer(req, 400, {"errors": []}) != []
    assert oauth_contract.check_answer(req, 404, refusal) == [
        "answer HTTP 404 is not one the token endpoint gives"
    ]
    assert oauth_contract.check_answer(req, 503, {"errors": []}) == []


def test_every_token_answer_of_a_session_matches(client):
    """Each grant's real answers pass the check (the fixture asserts that no
    violation was recorded), and the call log shows each grant was made."""
    tokens = client.user_tokens()
    client.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    client.app_token()
    grants = [c["body"]["grant_type"] for c in client.calls(path="oauth2/token$")]
    assert grants == ["authorization_code", "refresh_token", "client_credentials"]
    assert client.violations() == []
