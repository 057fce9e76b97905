"""An SP-API client written from Amazon's documentation and models only
(AMAZON_FACTS.md sections 1, 4, 6; models/sellers-api-model/sellers.json):
plain ``requests`` calls, none of this project's client code, work unchanged
against the emulator.  Only the set-up (an app and a self-authorised
seller) uses the control API."""

import time
import urllib.parse

import requests
from amazon_app import APP

USER_AGENT = "IndependentClient/1.0 (Language=Python/3; Platform=Linux)"


class IndependentSpApi:
    """What a developer writes from Amazon's Developer Guide."""

    def __init__(self, endpoint, lwa_endpoint, client_id, client_secret, refresh):
        self.endpoint = endpoint
        self.lwa_endpoint = lwa_endpoint
        self.client_id = client_id
        self.client_secret = client_secret
        self.refresh = refresh
        self.session = requests.Session()
        self.token = None
        self.expires_at = 0

    def access_token(self):
        if self.token is None or time.time() > self.expires_at - 60:
            answer = self.session.post(
                self.lwa_endpoint,
                data=urllib.parse.urlencode(
                    {
                        "grant_type": "refresh_token",
                        "refresh_token": self.refresh,
                        "client_id": self.client_id,
                        "client_secret": self.client_secret,
                    }
                ),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"
                },
                timeout=10,
            )
            answer.raise_for_status()
            body = answer.json()
            self.token = body["access_token"]
            self.expires_at = time.time() + body["expires_in"]
        return self.token

    def get(self, path, **params):
        return self.session.get(
            self.endpoint + path,
            params=params,
            headers={
                "x-amz-access-token": self.access_token(),
                "user-agent": USER_AGENT,
                "x-amz-date": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()),
            },
            timeout=10,
        )


def test_independent_client_reads_participations_and_account(amazon):
    refresh = amazon.self_authorize(APP["client_id"])
    api = IndependentSpApi(
        amazon.url,
        f"{amazon.url}/auth/o2/token",
        APP["client_id"],
        APP["client_secret"],
        refresh,
    )
    answer = api.get("/sellers/v1/marketplaceParticipations")
    assert answer.status_code == 200
    assert float(answer.headers["x-amzn-RateLimit-Limit"]) > 0
    assert answer.headers["x-amzn-RequestId"]
    marketplaces = [p["marketplace"]["id"] for p in answer.json()["payload"]]
    assert "ATVPDKIKX0DER" in marketplaces
    account = api.get("/sellers/v1/account")
    assert account.status_code == 200
    assert account.json()["payload"]["marketplaceParticipationList"]
    # One LWA call for both SP-API calls: the token was reused.
    assert len(amazon.lwa_calls("refresh_token")) == 1


def test_independent_client_reads_amazons_error_shape(amazon):
    api = IndependentSpApi(amazon.url, f"{amazon.url}/auth/o2/token", "x", "y", "z")
    api.token, api.expires_at = "Atza|not-a-token", time.time() + 3600
    answer = api.get("/sellers/v1/marketplaceParticipations")
    assert answer.status_code == 403
    error = answer.json()["errors"][0]
    assert {"code", "message"} <= set(error)
    assert error["code"] == "Unauthorized"


def test_independent_client_website_authorization(amazon):
    """The website workflow as the Developer Guide tells it: the consent
    URL, the redirect's three parameters, the code exchange."""
    session = requests.Session()
    consent = f"{amazon.url}/apps/authorize/consent?" + urllib.parse.urlencode(
        {"application_id": APP["application_id"], "state": "xyz", "version": "beta"}
    )
    page = session.get(consent, timeout=10)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    # A browser submits the page's form (the emulator's own confirm button).
    ticket = page.text.split('name="ticket" value="', 1)[1].split('"', 1)[0]
    answer = session.post(
        f"{amazon.url}/apps/authorize/decide",
        data={"ticket": ticket, "decision": "confirm"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302
    query = urllib.parse.parse_qs(
        urllib.parse.urlsplit(answer.headers["Location"]).query
    )
    assert query["state"] == ["xyz"]
    tokens = session.post(
        f"{amazon.url}/auth/o2/token",
        data={
            "grant_type": "authorization_code",
            "code": query["spapi_oauth_code"][0],
            "redirect_uri": APP["redirect_uri"],
            "client_id": APP["client_id"],
            "client_secret": APP["client_secret"],
        },
        timeout=10,
    )
    assert tokens.status_code == 200
    assert tokens.json()["refresh_token"].startswith("Atzr|")
