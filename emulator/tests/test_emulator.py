"""The emulator over real HTTP: OAuth, identity, faults, contract checks."""

import re
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests

SCOPES = (
    "https://api.ebay.com/oauth/api_scope "
    "https://api.ebay.com/oauth/api_scope/sell.inventory "
    "https://api.ebay.com/oauth/api_scope/commerce.identity.readonly"
)


def consent(url, session, decision="accept", state="st"):
    query = urlencode(
        {
            "client_id": "app",
            "redirect_uri": "ru",
            "response_type": "code",
            "scope": SCOPES,
            "state": state,
        }
    )
    page = session.get(f"{url}/oauth2/authorize?{query}", timeout=5)
    assert page.status_code == 200
    assert 'id="ebay-emulator-agree"' in page.text.replace("'", '"')
    ticket = re.search(r"name='ticket' value='([^']+)'", page.text).group(1)
    answer = session.post(
        f"{url}/oauth2/authorize/decide",
        data={"ticket": ticket, "decision": decision},
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 302
    location = answer.headers["Location"]
    return location, {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}


def token(url, session, secret="s3cret", **form):
    return session.post(
        f"{url}/identity/v1/oauth2/token", data=form, auth=("app", secret), timeout=5
    )


def user_tokens(url, session):
    _loc, params = consent(url, session)
    answer = token(
        url,
        session,
        grant_type="authorization_code",
        code=params["code"],
        redirect_uri="ru",
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def violations(url, session):
    return session.get(f"{url}/_emulator/violations", timeout=5).json()["violations"]


def test_consent_accept_and_decline(emu):
    url, session = emu
    location, params = consent(url, session)
    assert location.startswith("http://127.0.0.1:1/accept?")
    assert params["state"] == "st" and params["code"] and params["expires_in"] == "299"
    location, params = consent(url, session, decision="decline")
    assert location.startswith("http://127.0.0.1:1/decline?")
    assert params == {
        "state": "st",
        "error": "access_denied",
        "error_description": "The user declined consent",
    }


def test_consent_page_refuses_unknown_client_and_scope(emu):
    url, session = emu
    bad = session.get(
        f"{url}/oauth2/authorize?client_id=nope&redirect_uri=ru", timeout=5
    )
    assert bad.status_code == 400
    query = urlencode(
        {
            "client_id": "app",
            "redirect_uri": "ru",
            "response_type": "code",
            "scope": "https://api.ebay.com/oauth/api_scope/not.a.scope",
        }
    )
    assert session.get(f"{url}/oauth2/authorize?{query}", timeout=5).status_code == 400


def test_code_exchange_is_single_use(emu):
    url, session = emu
    _loc, params = consent(url, session)
    form = {
        "grant_type": "authorization_code",
        "code": params["code"],
        "redirect_uri": "ru",
    }
    first = token(url, session, **form)
    body = first.json()
    assert first.status_code == 200
    assert body["token_type"] == "User Access Token"
    assert body["expires_in"] == 7200 and body["refresh_token_expires_in"] == 47304000
    again = token(url, session, **form)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    # The replay revoked what the code minted.
    refreshed = token(
        url, session, grant_type="refresh_token", refresh_token=body["refresh_token"]
    )
    assert refreshed.status_code == 400


def test_expired_code_and_wrong_runame(emu):
    url, session = emu
    _loc, params = consent(url, session)
    wrong = token(
        url,
        session,
        grant_type="authorization_code",
        code=params["code"],
        redirect_uri="other",
    )
    assert wrong.json()["error"] == "invalid_grant"
    _loc, params = consent(url, session)
    session.post(f"{url}/_emulator/clock/advance", json={"seconds": 300}, timeout=5)
    late = token(
        url,
        session,
        grant_type="authorization_code",
        code=params["code"],
        redirect_uri="ru",
    )
    assert late.status_code == 400 and late.json()["error"] == "invalid_grant"


def test_refresh_revoke_and_client_credentials(emu):
    url, session = emu
    tokens = user_tokens(url, session)
    refreshed = token(
        url,
        session,
        grant_type="refresh_token",
        refresh_token=tokens["refresh_token"],
        scope=SCOPES,
    )
    assert refreshed.status_code == 200
    assert refreshed.json()["access_token"] != tokens["access_token"]
    wider = token(
        url,
        session,
        grant_type="refresh_token",
        refresh_token=tokens["refresh_token"],
        scope="https://api.ebay.com/oauth/api_scope/sell.finances",
    )
    assert wider.json()["error"] == "invalid_scope"
    session.post(f"{url}/_emulator/tokens/revoke", json={}, timeout=5)
    revoked = token(
        url, session, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    assert revoked.status_code == 400 and revoked.json()["error"] == "invalid_grant"
    app = token(
        url,
        session,
        grant_type="client_credentials",
        scope="https://api.ebay.com/oauth/api_scope",
    )
    assert app.json()["token_type"] == "Application Access Token"
    assert (
        token(
            url,
            session,
            secret="wrong",
            grant_type="client_credentials",
            scope="https://api.ebay.com/oauth/api_scope",
        ).status_code
        == 401
    )
    assert token(url, session).json()["error"] == "invalid_request"
    assert token(url, session, grant_type="password").json()["error"] == (
        "unsupported_grant_type"
    )


def test_get_user_needs_a_live_user_token(emu):
    url, session = emu
    tokens = user_tokens(url, session)
    user_url = f"{url}/commerce/identity/v1/user/"
    headers = {
        "Authorization": f"Bearer {tokens['access_token']}",
        "X-EBAY-C-REQUEST-ID": "corr-1",
    }
    ok = session.get(user_url, headers=headers, timeout=5)
    assert ok.status_code == 200 and ok.json()["username"] == "emulator_seller"
    assert ok.headers["X-EBAY-C-REQUEST-ID"] == "corr-1"
    missing = session.get(user_url, timeout=5)
    assert missing.status_code == 401 and missing.json()["errors"][0]["errorId"] == 1001
    session.post(f"{url}/_emulator/clock/advance", json={"seconds": 7201}, timeout=5)
    assert session.get(user_url, headers=headers, timeout=5).status_code == 401
    assert violations(url, session) == []


@pytest.mark.parametrize("kind,status", [("429", 429), ("500", 500), ("503", 503)])
def test_error_faults(emu, kind, status):
    url, session = emu
    tokens = user_tokens(url, session)
    session.post(
        f"{url}/_emulator/faults",
        timeout=5,
        json={"path": "/commerce/identity", "kind": kind, "retry_after": 3},
    )
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    faulted = session.get(
        f"{url}/commerce/identity/v1/user/", headers=headers, timeout=5
    )
    assert faulted.status_code == status
    assert faulted.headers["Retry-After"] == "3"
    assert faulted.json()["errors"][0]["errorId"] == (2001 if kind == "429" else 2003)
    assert (
        session.get(
            f"{url}/commerce/identity/v1/user/", headers=headers, timeout=5
        ).status_code
        == 200
    )


def test_slow_and_drop_faults(emu):
    url, session = emu
    session.post(
        f"{url}/_emulator/faults",
        timeout=5,
        json={"path": "/commerce/identity", "kind": "slow", "delay": 1.5},
    )
    with pytest.raises(requests.Timeout):
        session.get(f"{url}/commerce/identity/v1/user/", timeout=0.5)
    session.post(
        f"{url}/_emulator/faults",
        timeout=5,
        json={"path": "/commerce/identity", "kind": "drop"},
    )
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/commerce/identity/v1/user/", timeout=5)


def test_call_log_redacts_secrets(emu):
    url, session = emu
    tokens = user_tokens(url, session)
    calls = session.get(f"{url}/_emulator/calls?path=oauth2/token", timeout=5).json()
    assert calls["count"] == 1
    text = repr(calls)
    assert "s3cret" not in text and tokens["refresh_token"] not in text
    assert calls["calls"][0]["body"]["code"] == "<redacted>"
    assert calls["calls"][0]["headers"]["Authorization"] == "<redacted>"


def test_contract_violations_are_answered_and_recorded(emu):
    url, session = emu
    tokens = user_tokens(url, session)
    headers = {
        "Authorization": f"Bearer {tokens['access_token']}",
        "Content-Type": "application/json",
        "X-EBAY-C-REQUEST-ID": "bad-1",
    }
    bad_body = session.post(
        f"{url}/sell/inventory/v1/bulk_update_price_quantity",
        json={"requests": "nope"},
        headers=headers,
        timeout=5,
    )
    assert bad_body.status_code == 400
    error = bad_body.json()["errors"][0]
    assert error["errorId"] == 25002 and error["domain"] == "API_INVENTORY"
    unknown = session.get(
        f"{url}/sell/inventory/v1/nothing_here", headers=headers, timeout=5
    )
    assert unknown.status_code == 404
    found = violations(url, session)
    assert [v["request_id"] for v in found] == ["bad-1", "bad-1"]
    assert "requests" in found[0]["reason"]
    assert found[0]["operation"] == "bulkUpdatePriceQuantity"
    session.delete(f"{url}/_emulator/violations", timeout=5)
    assert violations(url, session) == []


def test_valid_bulk_body_passes_the_contract_check(emulator):
    book = emulator.state.contracts
    operation, _params = book.find(
        "POST", "/sell/inventory/v1/bulk_update_price_quantity"
    )
    assert operation.operation_id == "bulkUpdatePriceQuantity"
    body = (
        '{"requests": ['
        + ",".join(
            f'{{"sku": "SKU-{i}", "shipToLocationAvailability": {{"quantity": {i}}},'
            f' "offers": [{{"offerId": "{i}", "availableQuantity": {i},'
            f' "price": {{"value": "9.99", "currency": "USD"}}}}]}}'
            for i in range(25)
        )
        + "]}"
    )
    headers = {"Content-Type": "application/json"}
    assert book.check(operation, {}, headers, body.encode()) == []
    wrong = body.replace('"quantity": 3}', '"quantity": "three"}')
    assert book.check(operation, {}, headers, wrong.encode())
    # A missing required query parameter is caught too.
    listing, _params = book.find("GET", "/sell/account/v1/fulfillment_policy")
    assert any("marketplace_id" in r for r in book.check(listing, {}, {}, b""))
