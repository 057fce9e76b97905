"""LWA's token endpoint and Seller Central's consent page (real HTTP)."""

from amazon_app import APP, CA, PARTICIPATIONS, SELLER, US

from emulator.amazon.errors import SECRET_EXPIRED


def test_consent_redirects_with_state_seller_and_code(amazon):
    location, params = amazon.seller_consent(state="st-42")
    assert location.startswith(APP["redirect_uri"] + "&")
    assert params["state"] == "st-42"
    assert params["selling_partner_id"] == SELLER
    answer = amazon.exchange(params["spapi_oauth_code"])
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    assert set(tokens) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert tokens["expires_in"] == 3600
    assert tokens["token_type"] == "bearer"
    assert tokens["access_token"].startswith("Atza|")
    assert tokens["refresh_token"].startswith("Atzr|")
    sellers = amazon.call("GET", PARTICIPATIONS, tokens["access_token"])
    assert sellers.status_code == 200, sellers.text
    ids = [p["marketplace"]["id"] for p in sellers.json()["payload"]]
    assert ids == [US, CA]


def test_code_is_single_use(amazon):
    _location, params = amazon.seller_consent()
    assert amazon.exchange(params["spapi_oauth_code"]).status_code == 200
    replay = amazon.exchange(params["spapi_oauth_code"])
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"


def test_code_expires_after_five_minutes(amazon):
    _location, params = amazon.seller_consent()
    amazon.advance(301)
    answer = amazon.exchange(params["spapi_oauth_code"])
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "invalid_grant",
        "error_description": "The request has an invalid grant parameter : code",
    }


def test_code_still_valid_just_before_five_minutes(amazon):
    _location, params = amazon.seller_consent()
    amazon.advance(290)
    assert amazon.exchange(params["spapi_oauth_code"]).status_code == 200


def test_forged_code_is_refused(amazon):
    answer = amazon.exchange("ANforgedforgedforged")
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_code_exchange_needs_the_same_redirect_uri(amazon):
    _location, params = amazon.seller_consent()
    answer = amazon.exchange(params["spapi_oauth_code"], "https://evil.example/cb")
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_consent_refuses_an_unregistered_redirect_uri(amazon):
    page = amazon.session.get(
        amazon.consent_url(redirect_uri="https://evil.example/cb"), timeout=5
    )
    assert page.status_code == 400
    assert 'id="amazon-emulator-error"' in page.text
    assert "evil.example" not in page.headers.get("Location", "")


def test_consent_with_a_registered_redirect_uri_and_beta(amazon):
    _location, params = amazon.seller_consent(
        redirect_uri=APP["redirect_uri"], version="beta"
    )
    assert amazon.exchange(params["spapi_oauth_code"]).status_code == 200


def test_consent_for_an_unknown_application(amazon):
    page = amazon.session.get(
        amazon.consent_url(application_id="amzn1.sp.solution.nobody"), timeout=5
    )
    assert page.status_code == 400


def test_consent_as_another_seller(amazon):
    amazon.add_seller("A2OTHERSELLER", region="NA", marketplaces=[CA])
    _location, params = amazon.seller_consent(seller_id="A2OTHERSELLER")
    assert params["selling_partner_id"] == "A2OTHERSELLER"
    token = amazon.exchange(params["spapi_oauth_code"]).json()["access_token"]
    sellers = amazon.call("GET", PARTICIPATIONS, token).json()["payload"]
    assert [p["marketplace"]["id"] for p in sellers] == [CA]


def test_cancel_redirects_without_a_code(amazon):
    _location, params = amazon.seller_consent(decision="cancel", state="st-9")
    assert params == {"x": "1", "state": "st-9", "error": "access_denied"}


def test_refresh_token_grant_keeps_the_refresh_token(amazon):
    refresh = amazon.refresh_token()
    answer = amazon.app_lwa(grant_type="refresh_token", refresh_token=refresh)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["refresh_token"] == refresh
    assert body["expires_in"] == 3600


def test_refresh_token_of_another_app_is_refused(amazon):
    amazon.add_app(
        "other-client", "other-secret", "amzn1.sp.solution.o", "https://o.example/cb"
    )
    refresh = amazon.self_authorize("other-client")
    answer = amazon.app_lwa(grant_type="refresh_token", refresh_token=refresh)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_revoked_refresh_token_is_refused(amazon):
    refresh = amazon.refresh_token()
    access = amazon.app_lwa(grant_type="refresh_token", refresh_token=refresh).json()
    amazon.revoke(refresh)
    answer = amazon.app_lwa(grant_type="refresh_token", refresh_token=refresh)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"
    refused = amazon.call("GET", PARTICIPATIONS, access["access_token"])
    assert refused.status_code == 403


def test_client_credentials_grant(amazon):
    answer = amazon.app_lwa(
        grant_type="client_credentials", scope="sellingpartnerapi::notifications"
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["scope"] == "sellingpartnerapi::notifications"
    assert body["expires_in"] == 3600
    assert "refresh_token" not in body


def test_client_credentials_unknown_scope(amazon):
    answer = amazon.app_lwa(
        grant_type="client_credentials", scope="sellingpartnerapi::all"
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_scope"


def test_wrong_secret_is_invalid_client(amazon):
    answer = amazon.app_lwa(
        secret="wrong", grant_type="refresh_token", refresh_token=amazon.refresh_token()
    )
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"


def test_expired_client_secret(amazon):
    refresh = amazon.refresh_token()
    access = amazon.access_token()
    amazon.expire_client_secret(APP["client_id"])
    answer = amazon.app_lwa(grant_type="refresh_token", refresh_token=refresh)
    assert answer.status_code == 401
    assert answer.json() == {
        "error": "invalid_client",
        "error_description": SECRET_EXPIRED,
    }
    refused = amazon.call("GET", PARTICIPATIONS, access)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["details"] == SECRET_EXPIRED


def test_missing_grant_fields_are_invalid_request_and_a_violation(amazon):
    answer = amazon.app_lwa(grant_type="refresh_token")
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"
    found = amazon.take_violations()
    assert [v["reason"] for v in found] == [
        "missing required field refresh_token for grant_type refresh_token"
    ]


def test_json_body_is_accepted_as_amazons_java_library_sends_it(amazon):
    answer = amazon.session.post(
        f"{amazon.url}/auth/o2/token",
        json={
            "grant_type": "refresh_token",
            "refresh_token": amazon.refresh_token(),
            "client_id": APP["client_id"],
            "client_secret": APP["client_secret"],
        },
        timeout=5,
    )
    assert answer.status_code == 200, answer.text


def test_secrets_never_reach_the_call_log(amazon):
    refresh = amazon.refresh_token()
    access = amazon.app_lwa(grant_type="refresh_token", refresh_token=refresh).json()
    amazon.call("GET", PARTICIPATIONS, access["access_token"])
    text = str(amazon.calls())
    assert APP["client_secret"] not in text
    assert refresh not in text
    assert access["access_token"] not in text


def test_injected_lwa_outage_has_lwas_shape(amazon):
    amazon.fault("^/auth/o2/token$", "503")
    answer = amazon.app_lwa(
        grant_type="refresh_token", refresh_token=amazon.refresh_token()
    )
    assert answer.status_code == 503
    assert answer.json()["error"] == "temporarily_unavailable"


def test_a_new_secret_ends_the_expiry(amazon):
    """Rotating the secret: the app registered again with a new one."""
    amazon.expire_client_secret(APP["client_id"])
    amazon.add_app(**dict(APP, client_secret="amzn1.oa2-cs.v1.rotated"))
    answer = amazon.app_lwa(
        secret="amzn1.oa2-cs.v1.rotated",
        grant_type="refresh_token",
        refresh_token=amazon.refresh_token(),
    )
    assert answer.status_code == 200, answer.text
