"""The pure Amazon client (``amazon/``) against the emulator's Amazon
personality, real HTTP on loopback.

LWA (code exchange, refresh, grantless, its errors), SP-API errors mapped
onto apiclient's bases, the client-side token buckets (bursts, a lower
rate learnt from ``x-amzn-RateLimit-Limit``, 429 storms, many threads), the
Listings Items round trips, and no secret in any log line, call record or
exception.  Every test ends with no contract violation (the ``amazon``
fixture checks it).
"""

import ast
import json
import logging
import re
import threading
import time
from pathlib import Path

import pytest
import requests
from amazon_app import APP, CA, SELLER, US
from marketplace_connector.amazon import (
    DEFAULT_RATES,
    MARKETPLACES,
    AmazonAuthError,
    AmazonClientSecretError,
    AmazonError,
    AmazonNotFound,
    AmazonRateLimited,
    AmazonRefused,
    AmazonServerError,
    AmazonTimeout,
    AmazonTransport,
    AmazonUnknownOutcome,
    LwaClient,
    RateLimiter,
    SpApiClient,
    actionable,
    endpoints_for,
    user_agent,
)
from marketplace_connector.amazon.paths import path_segment
from marketplace_connector.amazon.ratelimit import JSON_LISTINGS_FEED_OPERATION
from marketplace_connector.apiclient import (
    CallTimeout,
    RateLimited,
    Refused,
    ServerError,
    TransientError,
    UnknownOutcome,
)

REPO_DIR = Path(__file__).resolve().parents[2]
PARTICIPATIONS_OP = "getMarketplaceParticipations"
PARTICIPATIONS_PATH = "^/sellers/v1/marketplaceParticipations"
TOKEN_PATH = "^/auth/o2/token$"


# -- helpers ---------------------------------------------------------------------------
@pytest.fixture
def transport():
    session = requests.Session()
    yield AmazonTransport(session, timeout=5)
    session.close()


@pytest.fixture
def endpoints(amazon):
    return endpoints_for("NA", "emulator", amazon.url)


@pytest.fixture
def calls():
    """The call records every client of a test reports (``on_call``)."""
    return []


@pytest.fixture
def lwa(transport, endpoints, calls):
    return LwaClient(
        transport,
        endpoints.lwa_url,
        APP["client_id"],
        APP["client_secret"],
        on_call=calls.append,
    )


class TokenSource:
    """What the Odoo side gives the client: the current access token, a
    fresh one when asked (counting the refreshes)."""

    def __init__(self, lwa, refresh_token, first=None):
        self.lwa = lwa
        self.refresh_token = refresh_token
        self.token = first
        self.refreshes = 0

    def __call__(self, force_refresh=False):
        if force_refresh or self.token is None:
            self.token = self.lwa.refresh(self.refresh_token).access_token
            self.refreshes += 1
        return self.token


@pytest.fixture
def tokens(amazon, lwa):
    return TokenSource(lwa, amazon.refresh_token())


def sp_client(endpoints, transport, tokens, calls, limiter=None, **kwargs):
    return SpApiClient(
        transport,
        endpoints.api_url,
        tokens,
        seller_id=SELLER,
        limiter=limiter if limiter is not None else RateLimiter(),
        on_call=calls.append,
        **kwargs,
    )


@pytest.fixture
def sp(endpoints, transport, tokens, calls):
    return sp_client(endpoints, transport, tokens, calls)


def emulator_statuses(amazon, path=PARTICIPATIONS_PATH):
    return [c["status"] for c in amazon.calls(path=path)]


def wait_for_stalled_call(amazon, path, seconds=5):
    """Wait until the request a slow fault held has been answered, so that
    it cannot land in the next test's emulator."""
    deadline = time.monotonic() + seconds
    while not amazon.calls(path=path):
        assert time.monotonic() < deadline, "the stalled request never landed"
        time.sleep(0.05)


# -- LWA -------------------------------------------------------------------------------
def test_consent_code_exchange_then_refresh_then_a_call(amazon, lwa, transport, calls):
    _location, params = amazon.seller_consent(state="st-c1")
    token = lwa.exchange_code(params["spapi_oauth_code"], APP["redirect_uri"])
    assert token.refresh_token.startswith("Atzr|")
    assert token.access_token.startswith("Atza|")
    assert token.expires_in == 3600
    assert not token.expired()
    assert token.expired(now=token.expires_at - 30)  # within the 60 s margin
    assert "Atz" not in repr(token)

    fresh = lwa.refresh(token.refresh_token)
    assert fresh.access_token.startswith("Atza|")
    # LWA refresh tokens do not rotate (AMAZON_FACTS section 1).
    assert fresh.refresh_token == token.refresh_token

    endpoints = endpoints_for("NA", "emulator", amazon.url)
    client = SpApiClient(
        transport,
        endpoints.api_url,
        lambda: fresh.access_token,
        seller_id=params["selling_partner_id"],
        limiter=RateLimiter(),
        on_call=calls.append,
    )
    participations = client.sellers.participations()
    assert [p["marketplace"]["id"] for p in participations] == [US, CA]

    # Each record's correlation id is the x-amzn-RequestId Amazon answered.
    logged = amazon.calls(path="^/(auth|sellers)/")
    assert [c["request_id"] for c in logged] == [c["request_id"] for c in calls]
    assert [c["operation"] for c in calls] == [
        "lwaToken:authorization_code",
        "lwaToken:refresh_token",
        PARTICIPATIONS_OP,
    ]


def test_a_code_used_twice_needs_a_new_consent(amazon, lwa):
    _location, params = amazon.seller_consent()
    lwa.exchange_code(params["spapi_oauth_code"], APP["redirect_uri"])
    with pytest.raises(AmazonAuthError) as caught:
        lwa.exchange_code(params["spapi_oauth_code"], APP["redirect_uri"])
    assert caught.value.lwa_error == "invalid_grant"
    assert caught.value.needs_reauthorisation


def test_grantless_token(amazon, lwa):
    token = lwa.grantless("sellingpartnerapi::notifications")
    assert token.access_token.startswith("At")
    assert token.expires_in == 3600
    assert token.refresh_token is None
    with pytest.raises(AmazonRefused) as caught:
        lwa.grantless("sellingpartnerapi::everything")
    assert caught.value.error_ids == ["invalid_scope"]
    assert not isinstance(caught.value, AmazonAuthError)


def test_revoked_refresh_token_means_reauthorise(amazon, lwa, calls):
    refresh = amazon.refresh_token()
    amazon.revoke(refresh)
    with pytest.raises(AmazonAuthError) as caught:
        lwa.refresh(refresh)
    err = caught.value
    assert isinstance(err, Refused) and not err.retryable
    assert err.lwa_error == "invalid_grant"
    assert err.needs_reauthorisation
    assert "connect the Amazon account again" in actionable(err)
    assert calls[-1]["lwa_error"] == "invalid_grant"
    assert calls[-1]["error_ids"] == ["invalid_grant"]


def test_wrong_or_expired_client_secret_means_rotate_the_secret(
    amazon, transport, endpoints, lwa
):
    refresh = amazon.refresh_token()
    wrong = LwaClient(transport, endpoints.lwa_url, APP["client_id"], "not-it")
    with pytest.raises(AmazonClientSecretError) as caught:
        wrong.refresh(refresh)
    assert caught.value.lwa_error == "invalid_client"
    assert not caught.value.needs_reauthorisation

    access = lwa.refresh(refresh).access_token
    amazon.expire_client_secret(APP["client_id"])
    with pytest.raises(AmazonClientSecretError) as caught:
        lwa.refresh(refresh)
    err = caught.value
    assert isinstance(err, Refused)
    assert "expired" in str(err)
    advice = actionable(err)
    assert "client secret" in advice and "180 days" in advice

    # SP-API says it too, in a 403: the same type, not a re-authorisation,
    # and no refresh is tried (a fresh token would not help).
    source = TokenSource(lwa, refresh, first=access)
    client = SpApiClient(
        transport, endpoints.api_url, source, seller_id=SELLER, limiter=RateLimiter()
    )
    with pytest.raises(AmazonClientSecretError) as caught:
        client.sellers.participations()
    assert caught.value.status == 403
    assert source.refreshes == 0
    assert "client secret" in actionable(caught.value)


@pytest.mark.parametrize("kind", ["500", "503"])
def test_lwa_outage_is_transient(amazon, lwa, kind):
    refresh = amazon.refresh_token()
    amazon.fault(TOKEN_PATH, kind)
    with pytest.raises(AmazonServerError) as caught:
        lwa.refresh(refresh)
    assert isinstance(caught.value, ServerError) and caught.value.retryable
    assert lwa.refresh(refresh).access_token


def test_lwa_server_error_code_is_transient():
    from marketplace_connector.amazon.lwa import lwa_error

    for code in ("server_error", "temporarily_unavailable"):
        err = lwa_error(400, {"error": code}, "refresh_token", "rid")
        assert isinstance(err, AmazonServerError) and err.retryable
        assert "tried again later" in actionable(err)


def test_lwa_timeout_is_a_timeout_not_an_unknown_outcome(amazon, endpoints, calls):
    refresh = amazon.refresh_token()
    amazon.fault(TOKEN_PATH, "slow", delay=1.0)
    session = requests.Session()
    slow = LwaClient(
        AmazonTransport(session, timeout=0.3),
        endpoints.lwa_url,
        APP["client_id"],
        APP["client_secret"],
        on_call=calls.append,
    )
    amazon.clear_calls()
    with pytest.raises(AmazonTimeout) as caught:
        slow.refresh(refresh)
    session.close()
    wait_for_stalled_call(amazon, TOKEN_PATH)
    assert isinstance(caught.value, CallTimeout)
    assert not isinstance(caught.value, UnknownOutcome)
    assert calls[-1]["status"] == 0


# -- SP-API errors ---------------------------------------------------------------------
def test_a_refused_token_is_refreshed_once(amazon, endpoints, transport, lwa, calls):
    source = TokenSource(lwa, amazon.refresh_token(), first="Atza|not-a-token")
    client = sp_client(endpoints, transport, source, calls)
    assert client.sellers.participations()
    assert source.refreshes == 1
    assert emulator_statuses(amazon) == [403, 200]
    assert calls[-1]["attempt"] == 2


def test_a_token_refused_twice_is_an_auth_error(amazon, endpoints, transport, calls):
    client = sp_client(endpoints, transport, lambda: "Atza|not-a-token", calls)
    with pytest.raises(AmazonAuthError) as caught:
        client.sellers.participations()
    err = caught.value
    assert (err.status, err.error_ids) == (403, ["Unauthorized"])
    assert isinstance(err, Refused) and not err.retryable
    assert err.request_id == amazon.calls(path=PARTICIPATIONS_PATH)[-1]["request_id"]
    assert "reconnect the Amazon account" in actionable(err)
    # A plain callable cannot give a fresh token: one call only.
    assert emulator_statuses(amazon) == [403]


@pytest.mark.parametrize(
    ("kind", "error", "base"),
    [
        ("400", AmazonRefused, Refused),
        ("500", AmazonServerError, ServerError),
        ("503", AmazonServerError, ServerError),
        ("429", AmazonRateLimited, RateLimited),
    ],
)
def test_statuses_map_onto_the_neutral_bases(amazon, sp, calls, kind, error, base):
    amazon.fault(PARTICIPATIONS_PATH, kind)
    with pytest.raises(error) as caught:
        sp.sellers.participations()
    err = caught.value
    assert isinstance(err, base) and isinstance(err, AmazonError)
    assert err.status == int(kind)
    assert err.retryable == (kind != "400")
    assert err.errors and err.errors[0]["code"]
    assert err.request_id == amazon.calls(path=PARTICIPATIONS_PATH)[-1]["request_id"]
    assert calls[-1]["request_id"] == err.request_id
    assert calls[-1]["error_ids"] == err.error_ids
    if kind == "429":
        assert err.error_ids == ["QuotaExceeded"]
        assert err.retry_after >= 1
    assert actionable(err)


def test_a_read_that_times_out_is_a_timeout(amazon, endpoints, tokens, calls):
    amazon.fault(PARTICIPATIONS_PATH, "slow", delay=1.0)
    session = requests.Session()
    client = sp_client(endpoints, AmazonTransport(session, timeout=0.3), tokens, calls)
    with pytest.raises(AmazonTimeout) as caught:
        client.sellers.participations()
    session.close()
    wait_for_stalled_call(amazon, PARTICIPATIONS_PATH)
    err = caught.value
    assert isinstance(err, CallTimeout) and err.retryable
    assert not isinstance(err, UnknownOutcome)
    # No answer, no Amazon request id: the record keeps ours.
    assert calls[-1]["status"] == 0 and calls[-1]["request_id"] == err.request_id


def test_user_agent_and_token_header(amazon, sp):
    sp.sellers.participations()
    sent = amazon.calls(path=PARTICIPATIONS_PATH)[-1]["headers"]
    agent = sent["User-Agent"]
    assert re.fullmatch(
        r"marketplace_connector/[\w.]+ \(Language=Python/\d+\.\d+; Platform=\w+\)",
        agent,
    )
    manifest = ast.literal_eval((REPO_DIR / "__manifest__.py").read_text())
    assert agent.startswith(f"marketplace_connector/{manifest['version']} ")
    assert len(user_agent(version="9" * 600)) == 500
    assert sent["x-amz-access-token"] == "<redacted>"  # the emulator's log hides it
    assert "Authorization" not in sent
    # Amazon takes no client request id: none of ours is sent.
    assert not [name for name in sent if name.lower() == "x-request-id"]


# -- the client-side rate limiter ------------------------------------------------------
def test_a_burst_above_the_bucket_raises_instead_of_drawing_429s(amazon, sp, calls):
    rate, burst = DEFAULT_RATES[PARTICIPATIONS_OP]  # 0.016/s, burst 15
    # A bucket this slow keeps no spare token (ratelimit.py): all 15 go.
    for _ in range(burst):
        sp.sellers.participations()
    with pytest.raises(AmazonRateLimited) as caught:
        sp.sellers.participations()
    err = caught.value
    # The next token is about 1/rate (62 s) away: the job comes back then.
    assert err.retry_after == pytest.approx(1 / rate, abs=2)
    assert emulator_statuses(amazon) == [200] * burst
    # The refused call never left (attempt 0), so the job edge cannot take
    # it for a write whose answer was lost.
    assert (calls[-1]["attempt"], calls[-1]["status"]) == (0, 0)
    assert calls[-1]["message"]


def test_a_burst_waits_for_its_tokens(amazon, endpoints, transport, tokens, calls):
    amazon.set_rate(PARTICIPATIONS_OP, 8, 3)
    limiter = RateLimiter(rates={PARTICIPATIONS_OP: (8, 3)})
    client = sp_client(endpoints, transport, tokens, calls, limiter, max_wait=2)
    started = time.monotonic()
    for _ in range(11):
        client.sellers.participations()
    elapsed = time.monotonic() - started
    assert emulator_statuses(amazon) == [200] * 11
    assert elapsed >= (11 - 2) / 8 - 0.05  # it waited rather than drew 429s


def test_the_limiter_learns_a_lower_rate_from_the_header(
    amazon, endpoints, transport, tokens, calls
):
    # This seller's plan is half the models' default; only the header says so.
    amazon.set_rate(PARTICIPATIONS_OP, 0.008, 7)
    limiter = RateLimiter()
    client = sp_client(endpoints, transport, tokens, calls, limiter)
    client.sellers.participations()
    rate, burst = limiter.limits(SELLER, PARTICIPATIONS_OP)
    assert (rate, burst) == (0.008, 7)
    sent = 1
    with pytest.raises(AmazonRateLimited) as caught:
        for _ in range(15):
            client.sellers.participations()
            sent += 1
    # Amazon's 7, all of them: a bucket this slow keeps no spare (ratelimit.py).
    assert sent == 7
    assert caught.value.retry_after == pytest.approx(125, abs=2)
    assert emulator_statuses(amazon) == [200] * 7  # not one 429


def test_a_call_may_name_its_own_bucket(amazon, endpoints, transport, tokens, calls):
    """createFeed of a JSON_LISTINGS_FEED counts in a bucket of its own."""
    limiter = RateLimiter(rates={JSON_LISTINGS_FEED_OPERATION: (5 / 300, 1)})
    client = sp_client(endpoints, transport, tokens, calls, limiter)
    path = "/sellers/v1/marketplaceParticipations"
    client.request(PARTICIPATIONS_OP, "GET", path, bucket=JSON_LISTINGS_FEED_OPERATION)
    with pytest.raises(AmazonRateLimited):
        client.request(
            PARTICIPATIONS_OP, "GET", path, bucket=JSON_LISTINGS_FEED_OPERATION
        )
    client.request(PARTICIPATIONS_OP, "GET", path)  # its own bucket is full
    assert emulator_statuses(amazon) == [200, 200]


def test_the_limiter_learns_it_without_a_table_entry():
    limiter = RateLimiter(rates={})
    assert limiter.limits("k", "someOperation") == (1, 1)
    limiter.observe("k", "someOperation", "0.5")
    assert limiter.limits("k", "someOperation") == (0.5, 1)
    limiter.observe("k", "someOperation", "not a number")
    limiter.observe("k", "someOperation", "-3")
    assert limiter.limits("k", "someOperation") == (0.5, 1)


def test_a_429_storm_raises_each_time_without_hammering(
    amazon, endpoints, transport, tokens, calls
):
    amazon.set_rate(PARTICIPATIONS_OP, 5, 8)
    amazon.fault(PARTICIPATIONS_PATH, "429", times=5)
    limiter = RateLimiter(rates={PARTICIPATIONS_OP: (5, 8)})
    client = sp_client(endpoints, transport, tokens, calls, limiter, max_wait=1)
    started = time.monotonic()
    for _ in range(5):
        with pytest.raises(AmazonRateLimited) as caught:
            client.sellers.participations()
        assert caught.value.retry_after >= 1
    elapsed = time.monotonic() - started
    # One request per call (no retry inside the client), spaced 1/rate apart
    # after each 429 instead of the burst of 8 going out at once.
    assert emulator_statuses(amazon) == [429] * 5
    assert elapsed >= 4 / 5 - 0.05
    assert limiter.limits(SELLER, PARTICIPATIONS_OP) == (5, 1)
    # The storm is over: calls go again and the burst grows back.
    client.sellers.participations()
    assert limiter.limits(SELLER, PARTICIPATIONS_OP) == (5, 2)


def test_a_429_storm_at_amazons_own_rate_sends_one_request(amazon, sp, calls):
    amazon.fault(PARTICIPATIONS_PATH, "429", times=5)
    for _ in range(5):
        with pytest.raises(AmazonRateLimited) as caught:
            sp.sellers.participations()
        assert caught.value.retry_after >= 60
    # The first 429 emptied the bucket; the next token is a minute away, so
    # the four others were not sent at all.
    assert emulator_statuses(amazon) == [429]
    ours = [c for c in calls if c["operation"] == PARTICIPATIONS_OP]
    assert [c["attempt"] for c in ours] == [1, 0, 0, 0, 0]


def test_the_limiter_is_thread_safe():
    rate, burst, threads, each = 40.0, 5, 8, 6
    limiter = RateLimiter(rates={"op": (rate, burst)})
    stamps, lock = [], threading.Lock()
    started = time.monotonic()

    def work():
        for _ in range(each):
            limiter.acquire("seller", "op", max_wait=10)
            with lock:
                stamps.append(time.monotonic() - started)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stamps.sort()
    assert len(stamps) == threads * each
    # Within any time t from the start, at most burst + rate * t calls (one
    # fewer in fact: the limiter keeps one of Amazon's tokens spare).
    for count, at in enumerate(stamps, start=1):
        assert count <= (burst - 1) + rate * at + 1e-6, (count, at)
    assert stamps[-1] >= (threads * each - burst) / rate - 0.02


def test_threads_share_one_limiter_and_draw_no_429(amazon, endpoints, lwa):
    amazon.set_rate(PARTICIPATIONS_OP, 10, 4)
    limiter = RateLimiter(rates={PARTICIPATIONS_OP: (10, 4)})
    refresh = amazon.refresh_token()
    access = lwa.refresh(refresh).access_token
    failures = []

    def work():
        session = requests.Session()  # a Session per thread, as workers have
        client = SpApiClient(
            AmazonTransport(session, timeout=5),
            endpoints.api_url,
            lambda: access,
            seller_id=SELLER,
            limiter=limiter,
            max_wait=10,
        )
        try:
            for _ in range(4):
                client.sellers.participations()
        except AmazonError as exc:
            failures.append(exc)
        finally:
            session.close()

    workers = [threading.Thread(target=work) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    assert emulator_statuses(amazon) == [200] * 24


def test_default_rates_are_the_models(amazon_models_dir):
    """Every operation in the table has the rate and burst of its model's
    usage-plan table."""
    found = {}
    row = re.compile(
        r"\|\s*(?:Default\s*\|\s*)?([\d.]+)\s*\|\s*([\d.]+)\s*\|", re.MULTILINE
    )
    for path in Path(amazon_models_dir, "models").glob("*/*.json"):
        model = json.loads(path.read_text())
        for item in model["paths"].values():
            for operation in item.values():
                if not isinstance(operation, dict) or "operationId" not in operation:
                    continue
                if operation.get("deprecated"):
                    continue
                match = row.search(operation.get("description", ""))
                if match:
                    found[operation["operationId"]] = tuple(
                        float(v) for v in match.groups()
                    )
    table = dict(DEFAULT_RATES)
    del table[JSON_LISTINGS_FEED_OPERATION]
    assert table == {k: found[k] for k in table}
    assert DEFAULT_RATES[JSON_LISTINGS_FEED_OPERATION] == (5 / 300, 5)


# -- endpoints, paths, sub-APIs --------------------------------------------------------
def test_endpoints_per_region_and_environment():
    na = endpoints_for("NA", "production")
    assert na.api_url == "https://sellingpartnerapi-na.amazon.com"
    assert na.lwa_url == "https://api.amazon.com/auth/o2/token"
    assert na.consent_url == "https://sellercentral.amazon.com/apps/authorize/consent"
    eu = endpoints_for("eu", "sandbox", marketplace_id="A1PA6795UKMFR9")
    assert eu.api_url == "https://sandbox.sellingpartnerapi-eu.amazon.com"
    assert eu.consent_url.startswith("https://sellercentral-europe.amazon.com/")
    assert endpoints_for("FE", "production").api_url.endswith("-fe.amazon.com")
    emu = endpoints_for("NA", "emulator", "http://127.0.0.1:9/")
    assert emu.api_url == "http://127.0.0.1:9"
    assert emu.lwa_url == "http://127.0.0.1:9/auth/o2/token"
    for bad in (("XX", "production"), ("NA", "prod"), ("NA", "emulator")):
        with pytest.raises(ValueError):
            endpoints_for(*bad)
    with pytest.raises(ValueError):
        endpoints_for("EU", "production", marketplace_id=US)
    assert MARKETPLACES[CA].currency == "CAD"
    assert MARKETPLACES["A1F83G8C2ARO7P"].country_code == "GB"


def test_path_segments_are_quoted_and_dots_refused():
    assert path_segment("A/B C#1%?") == "A%2FB%20C%231%25%3F"
    for bad in ("", None, ".", ".."):
        with pytest.raises(AmazonRefused):
            path_segment(bad, "SKU")


def test_sub_apis_are_built_on_first_use(sp):
    assert sp.listings is sp.listings
    assert sp.listings.client is sp
    assert sp.definitions.client is sp

    class Extra:
        def __init__(self, client):
            self.client = client

    assert sp.attach("extra", Extra) is sp.extra
    with pytest.raises(AttributeError):
        sp.no_such_api  # noqa: B018
    # A token source that gives no grantless token cannot make such a call.
    with pytest.raises(ValueError, match="grantless"):
        sp.request(
            "getDestinations", "GET", "/notifications/v1/destinations", grantless=True
        )


# -- no secret anywhere ----------------------------------------------------------------
def test_no_secret_in_logs_records_or_errors(amazon, endpoints, caplog):
    """The popular SP-API library logs request headers (the token) at DEBUG:
    here, with every logger at DEBUG, no secret shows anywhere."""
    caplog.set_level(logging.DEBUG)
    records, raised = [], []
    session = requests.Session()
    transport = AmazonTransport(session, timeout=5)
    lwa = LwaClient(
        transport,
        endpoints.lwa_url,
        APP["client_id"],
        APP["client_secret"],
        on_call=records.append,
    )
    _location, params = amazon.seller_consent()
    code = params["spapi_oauth_code"]
    token = lwa.exchange_code(code, APP["redirect_uri"])
    access = lwa.refresh(token.refresh_token).access_token
    source = TokenSource(lwa, token.refresh_token, first="Atza|stale-token-value")
    client = SpApiClient(
        transport,
        endpoints.api_url,
        source,
        seller_id=SELLER,
        limiter=RateLimiter(),
        on_call=records.append,
    )
    client.sellers.participations()
    for failing in (
        lambda: lwa.exchange_code(code, APP["redirect_uri"]),  # replayed code
        lambda: LwaClient(transport, endpoints.lwa_url, APP["client_id"], "x").refresh(
            token.refresh_token
        ),
        lambda: SpApiClient(
            transport, endpoints.api_url, lambda: "Atza|bad", seller_id=SELLER
        ).sellers.participations(),
    ):
        with pytest.raises(AmazonError) as caught:
            failing()
        raised.append(caught.value)
    amazon.revoke(token.refresh_token)
    with pytest.raises(AmazonAuthError) as caught:
        lwa.refresh(token.refresh_token)
    raised.append(caught.value)
    session.close()

    secrets = {
        APP["client_secret"],
        code,
        token.refresh_token,
        token.access_token,
        access,
        source.token,
        "Atza|stale-token-value",
        "Atza|bad",
    }
    shown = [
        caplog.text,
        json.dumps(records, default=str),
        *(str(e) for e in raised),
        *(repr(e) for e in raised),
        *(actionable(e) for e in raised),
        *(json.dumps(e.errors) for e in raised),
        repr(lwa),
        repr(client),
        repr(token),
    ]
    assert any("amazon_call" in r.getMessage() for r in caplog.records)
    assert any("amazon_lwa_call" in r.getMessage() for r in caplog.records)
    for secret in secrets:
        for text in shown:
            assert secret not in text


def test_token_looking_text_from_amazon_is_blanked():
    err = AmazonRefused(
        "refused",
        status=400,
        errors=[{"code": "InvalidInput", "message": "bad token Atza|abc123 sent"}],
    )
    assert "Atza|abc123" not in actionable(err)
    assert "[redacted]" in err.errors[0]["message"]


# -- Listings Items round trips --------------------------------------------------------
# Reserved characters and a space: the SKU is quoted as one path segment.
ODD_SKU = "TEE/blue 1#%?"


def _localised(marketplace, **texts):
    return {
        name: [
            {"value": value, "language_tag": "en_US", "marketplace_id": marketplace}
            for value in (values if isinstance(values, list) else [values])
        ]
        for name, values in texts.items()
    }


def tee_attributes(price=12.5, quantity=4, marketplace=US):
    """A complete SHIRT listing of the emulator's schema for ``marketplace``."""
    attributes = _localised(
        marketplace,
        item_name="Organic Tee",
        brand="C1 Brand",
        bullet_point=["Organic cotton", "Fair trade"],
        product_description="An organic cotton tee.",
        department="womens",
    )
    attributes.update(
        externally_assigned_product_identifier=[
            {"type": "ean", "value": "4006381333931", "marketplace_id": marketplace}
        ],
        condition_type=[{"value": "new_new", "marketplace_id": marketplace}],
        main_product_image_locator=[
            {
                "media_location": "https://img.example.com/tee.jpg",
                "marketplace_id": marketplace,
            }
        ],
        purchasable_offer=[
            {
                "marketplace_id": marketplace,
                "currency": "USD",
                "audience": "ALL",
                "our_price": [{"schedule": [{"value_with_tax": price}]}],
            }
        ],
        fulfillment_availability=[
            {"fulfillment_channel_code": "DEFAULT", "quantity": quantity}
        ],
    )
    return attributes


def test_put_get_patch_search_delete_round_trip(amazon, sp, calls):
    answer = sp.listings.put(ODD_SKU, [US], "SHIRT", tee_attributes())
    assert (answer["status"], answer["sku"], answer["issues"]) == (
        "ACCEPTED",
        ODD_SKU,
        [],
    )
    put_call = amazon.calls(path="^/listings/", method="PUT")[-1]
    assert put_call["path"].endswith("/TEE%2Fblue%201%23%25%3F")
    assert calls[-1]["request_id"] == put_call["request_id"]
    # Accepted is not applied: Amazon does not know the SKU yet.
    with pytest.raises(AmazonNotFound) as caught:
        sp.listings.get(ODD_SKU, [US])
    assert caught.value.status == 404 and not caught.value.retryable
    assert amazon.apply_pending() == 1

    item = sp.listings.get(ODD_SKU, [US])
    assert item["sku"] == ODD_SKU
    assert item["summaries"][0]["status"] == ["BUYABLE", "DISCOVERABLE"]
    assert item["fulfillmentAvailability"][0]["quantity"] == 4
    assert amazon.listing(SELLER, ODD_SKU)["productType"] == "SHIRT"

    merged = sp.listings.patch(
        ODD_SKU,
        [US],
        "SHIRT",
        [
            {
                "op": "merge",
                "path": "/attributes/fulfillment_availability",
                "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 0}],
            }
        ],
    )
    assert merged["status"] == "ACCEPTED"
    amazon.apply_pending()
    item = sp.listings.get(ODD_SKU, [US], included=("summaries", "issues"))
    assert "DISCOVERABLE" in item["summaries"][0]["status"]
    assert "BUYABLE" not in item["summaries"][0]["status"]  # out of stock
    assert "attributes" not in item

    sp.listings.put("TEE-2", [US], "SHIRT", tee_attributes(price=20))
    amazon.apply_pending()
    page = sp.listings.search([US], page_size=1)
    assert page["numberOfResults"] == 2 and len(page["items"]) == 1
    skus = [i["sku"] for i in sp.listings.iterate([US], page_size=1)]
    assert sorted(skus) == sorted([ODD_SKU, "TEE-2"])
    only = sp.listings.search([US], skus=["TEE-2"])
    assert [i["sku"] for i in only["items"]] == ["TEE-2"]
    buyable = sp.listings.search([US], with_status=["BUYABLE"])
    assert [i["sku"] for i in buyable["items"]] == ["TEE-2"]

    deleted = sp.listings.delete(ODD_SKU, [US])
    assert deleted["status"] == "ACCEPTED"
    amazon.apply_pending()
    with pytest.raises(AmazonNotFound):
        sp.listings.get(ODD_SKU, [US])
    assert sorted(amazon.listings(SELLER)) == ["TEE-2"]


def test_validation_preview(amazon, sp, calls):
    valid = sp.listings.put("TEE-P", [US], "SHIRT", tee_attributes(), preview=True)
    assert (valid["status"], valid["issues"]) == ("VALID", [])
    assert calls[-1]["read_only"] is True
    attributes = tee_attributes()
    del attributes["department"]
    invalid = sp.listings.put("TEE-P", [US], "SHIRT", attributes, preview=True)
    assert invalid["status"] == "INVALID"
    assert [i["attributeNames"] for i in invalid["issues"]] == [["department"]]
    assert amazon.apply_pending() == 0
    assert amazon.listings(SELLER) == {}
    query = amazon.calls(path="^/listings/", method="PUT")[-1]["query"]
    assert query["mode"] == "VALIDATION_PREVIEW"


def test_a_refused_listing_call_is_a_refusal(amazon, sp):
    with pytest.raises(AmazonRefused) as caught:
        sp.listings.put("TEE-DE", ["A1PA6795UKMFR9"], "SHIRT", tee_attributes())
    err = caught.value
    assert (err.status, err.error_ids) == (400, ["InvalidInput"])
    assert isinstance(err, Refused) and not err.retryable
    assert "Amazon refused the data sent" in actionable(err)
    with pytest.raises(AmazonRefused):
        sp.listings.put("..", [US], "SHIRT", tee_attributes())
    with pytest.raises(ValueError):
        sp.listings.patch("TEE", [US], "SHIRT", [{"op": "move", "path": "/x"}])


def test_a_write_that_times_out_has_an_unknown_outcome(
    amazon, endpoints, tokens, calls
):
    amazon.fault("^/listings/", "slow", delay=1.0, method="PUT", times=2)
    session = requests.Session()
    client = sp_client(endpoints, AmazonTransport(session, timeout=0.3), tokens, calls)
    with pytest.raises(AmazonUnknownOutcome) as caught:
        client.listings.put("TEE-T", [US], "SHIRT", tee_attributes())
    err = caught.value
    assert isinstance(err, UnknownOutcome) and isinstance(err, TransientError)
    assert calls[-1]["attempt"] == 1 and calls[-1]["status"] == 0
    assert "may still apply" in actionable(err)
    # A preview changes nothing: its lost answer is a plain timeout.
    with pytest.raises(AmazonTimeout):
        client.listings.put("TEE-T", [US], "SHIRT", tee_attributes(), preview=True)
    session.close()
    wait_for_stalled_call(amazon, "^/listings/")
    deadline = time.monotonic() + 5
    while len(amazon.calls(path="^/listings/")) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    # The stalled write did land: Amazon may apply what got no answer.
    amazon.apply_pending()
    assert "TEE-T" in amazon.listings(SELLER)


def test_product_type_search_definition_and_schema(amazon, sp, calls, caplog):
    caplog.set_level(logging.DEBUG)
    found = sp.definitions.search([US], keywords="t-shirt")
    assert [p["name"] for p in found["productTypes"]] == ["SHIRT"]
    with pytest.raises(ValueError):
        sp.definitions.search([US], keywords="a", item_name="b")
    definition = sp.definitions.get_definition("SHIRT", US, seller_id=SELLER)
    link = definition["schema"]["link"]["resource"]
    schema = sp.definitions.download_schema(link, definition["schema"]["checksum"])
    assert "item_name" in schema["properties"]
    # The record keeps the link without its query (a presigned signature).
    assert calls[-1]["operation"] == "downloadProductTypeSchema"
    assert calls[-1]["url"] == link.split("?", 1)[0]
    # urllib3 logs the request line at DEBUG: the signature is blanked there.
    signature = re.search(r"X-Amz-Signature=([^&]+)", link).group(1)
    assert "X-Amz-Signature=[redacted]" in caplog.text
    assert signature not in caplog.text
    # Downloads carry no token: the link is presigned.
    download = amazon.calls(method="GET")[-1]
    assert "x-amz-access-token" not in download["headers"]
    with pytest.raises(AmazonError, match="checksum"):
        sp.definitions.download_schema(link, "bm90IHRoZSBjaGVja3N1bQ==")
    with pytest.raises(AmazonRefused):
        sp.definitions.get_definition("NO_SUCH_TYPE", US)
