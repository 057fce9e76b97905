"""The pure eBay client against the emulator: classification, retry-after,
correlation ids and no secret in any message; eBay's errors are apiclient's
channel-neutral kinds."""

import logging
import time
import unittest

import requests
from cryptography.fernet import Fernet

from odoo.tools import mute_logger

from .. import apiclient
from ..ebay import (
    EbayAuthError,
    EbayClient,
    EbayError,
    EbayNotFound,
    EbayRateLimited,
    EbayServerError,
    EbayTimeout,
    EbayTransientError,
    EbayUnknownOutcome,
    EbayUnreachable,
    EbayValidationError,
    Endpoints,
    OAuthClient,
)
from ..ebay.client import parse_retry_after
from ..ebay.endpoints import DEFAULT_SCOPES
from .common import Emulator, emulator_url, query_of

USER_PATH = "^/commerce/identity/v1/user/$"
CLIENT_LOGGER = "odoo.addons.marketplace_connector.ebay.client"
PRICE_QUANTITY = "/sell/inventory/v1/bulk_update_price_quantity"


class TestClientErrors(unittest.TestCase):
    def setUp(self):
        self.emulator = Emulator(emulator_url())
        self.emulator.reset()
        self.secret = Fernet.generate_key().decode()
        self.emulator.register_app(
            "pure-app", self.secret, "pure-ru", "http://127.0.0.1/cb"
        )
        self.endpoints = Endpoints.for_environment("emulator", self.emulator.url)
        self.session = requests.Session()
        self.oauth = OAuthClient(
            self.endpoints,
            "pure-app",
            self.secret,
            ru_name="pure-ru",
            session=self.session,
        )
        url = self.oauth.consent_url(DEFAULT_SCOPES, "s1")
        self.tokens = self.oauth.exchange_code(
            query_of(self.emulator.consent(url))["code"]
        )
        self.client = EbayClient(
            self.endpoints,
            token_provider=lambda force_refresh=False: self.tokens.access_token,
            session=self.session,
            timeout=2,
        )
        self.addCleanup(self._no_unexpected_violation)
        self.expected_violations = 0

    def _no_unexpected_violation(self):
        self.assertEqual(len(self.emulator.violations()), self.expected_violations)

    def _assert_no_secret(self, err):
        text = f"{err} {err.user_message} {err!r}"
        for secret in (
            self.secret,
            self.tokens.access_token,
            self.tokens.refresh_token,
        ):
            self.assertNotIn(secret, text)

    def test_success_sends_a_correlation_id(self):
        user = self.client.get_user()
        self.assertEqual(user["username"], "emulator_seller")
        call = self.emulator.calls(path=USER_PATH)[-1]
        self.assertTrue(call["request_id"])
        self.assertEqual(call["status"], 200)

    def test_429_is_rate_limited_with_retry_after(self):
        self.emulator.fault(USER_PATH, "429", retry_after=17)
        with self.assertRaises(EbayRateLimited) as caught:
            self.client.get_user()
        err = caught.exception
        self.assertEqual(err.status, 429)
        self.assertEqual(err.retry_after, 17)
        self.assertEqual(err.error_ids, [2001])
        self.assertTrue(err.retryable)
        self._assert_no_secret(err)
        # The fault was one-shot: the next call goes through.
        self.assertTrue(self.client.get_user())

    def test_5xx_and_503_are_transient(self):
        self.emulator.fault(USER_PATH, "500")
        with self.assertRaises(EbayTransientError) as caught:
            self.client.get_user()
        self.assertEqual(caught.exception.status, 500)
        self.assertNotIsInstance(caught.exception, EbayRateLimited)
        self.emulator.fault(USER_PATH, "503", retry_after=5)
        with self.assertRaises(EbayTransientError) as caught:
            self.client.get_user()
        self.assertEqual(
            (caught.exception.status, caught.exception.retry_after), (503, 5)
        )

    def test_dropped_connection_and_timeout_are_transient(self):
        self.emulator.fault(USER_PATH, "drop")
        with self.assertRaisesRegex(EbayTransientError, "connection failed"):
            self.client.get_user()
        self.emulator.fault(USER_PATH, "slow", delay=3)
        with self.assertRaisesRegex(EbayTransientError, "did not answer in time"):
            self.client.get_user()

    @mute_logger(CLIENT_LOGGER)
    def test_kinds_of_failure_are_apiclient_kinds(self):
        """What a neutral job edge catches: every eBay error by its kind."""
        self.emulator.fault(USER_PATH, "500")
        with self.assertRaises(apiclient.ServerError) as caught:
            self.client.get_user()
        self.assertIsInstance(caught.exception, EbayServerError)
        self.emulator.fault(USER_PATH, "429", retry_after=4)
        with self.assertRaises(apiclient.RateLimited) as caught:
            self.client.get_user()
        self.assertEqual(caught.exception.retry_after, 4)
        self.emulator.fault(USER_PATH, "slow", delay=3)
        with self.assertRaises(apiclient.CallTimeout) as caught:
            self.client.get_user()
        self.assertIsInstance(caught.exception, EbayTimeout)
        self.assertNotIsInstance(caught.exception, apiclient.UnknownOutcome)
        self.emulator.fault(USER_PATH, "drop")
        with self.assertRaises(apiclient.TransportError) as caught:
            self.client.get_user()
        self.assertIsInstance(caught.exception, EbayUnreachable)
        self.assertNotIsInstance(caught.exception, apiclient.UnknownOutcome)
        with self.assertRaises(apiclient.Refused) as caught:
            self.client.request("GET", "/sell/inventory/v1/no_such_resource")
        self.assertIsInstance(caught.exception, EbayNotFound)
        self.expected_violations = 1
        for ebay_class, base in (
            (EbayError, apiclient.ApiError),
            (EbayTransientError, apiclient.TransientError),
            (EbayRateLimited, apiclient.RateLimited),
            (EbayServerError, apiclient.ServerError),
            (EbayUnreachable, apiclient.TransportError),
            (EbayTimeout, apiclient.CallTimeout),
            (EbayUnknownOutcome, apiclient.UnknownOutcome),
            (EbayAuthError, apiclient.Refused),
            (EbayValidationError, apiclient.Refused),
            (EbayNotFound, apiclient.Refused),
        ):
            self.assertTrue(issubclass(ebay_class, base), ebay_class)
            self.assertTrue(issubclass(ebay_class, EbayError), ebay_class)

    @mute_logger(CLIENT_LOGGER)
    def test_write_without_answer_is_an_unknown_outcome(self):
        self.emulator.fault(PRICE_QUANTITY, "slow", delay=3)
        body = {"requests": [{"sku": "A1", "shipToLocationAvailability": {}}]}
        with self.assertRaises(EbayUnknownOutcome) as caught:
            self.client.request("POST", PRICE_QUANTITY, json=body)
        err = caught.exception
        self.assertIsInstance(err, EbayTransientError)
        self.assertIsInstance(err, apiclient.UnknownOutcome)
        self.assertEqual(err.status, 0)
        self.assertRegex(str(err), "did not answer in time")
        # The write reached eBay under the id the error carries (the
        # emulator logs it once its late answer is written).
        deadline = time.monotonic() + 5
        while not (received := self.emulator.calls(path=PRICE_QUANTITY)):
            self.assertLess(time.monotonic(), deadline, "eBay never got the write")
            time.sleep(0.1)
        self.assertEqual([c["request_id"] for c in received], [err.request_id])
        self.emulator.fault(PRICE_QUANTITY, "drop", applied=True)
        with self.assertRaisesRegex(EbayUnknownOutcome, "connection failed"):
            self.client.request("POST", PRICE_QUANTITY, json=body)

    def test_bad_token_is_an_auth_error(self):
        client = EbayClient(
            self.endpoints,
            token_provider=lambda force_refresh=False: "not-a-token",
            session=self.session,
        )
        with self.assertRaises(EbayAuthError) as caught:
            client.get_user()
        self.assertEqual(caught.exception.status, 401)
        self.assertEqual(caught.exception.error_ids, [1001])
        self.assertNotIn("not-a-token", str(caught.exception))

    def test_invalid_request_is_a_validation_error_with_error_ids(self):
        with self.assertRaises(EbayValidationError) as caught:
            self.client.request(
                "POST",
                "/sell/inventory/v1/bulk_update_price_quantity",
                json={"requests": "not-a-list"},
            )
        self.assertEqual(caught.exception.status, 400)
        self.assertTrue(caught.exception.error_ids)
        self.assertIn("eBay error", caught.exception.user_message)
        self.expected_violations = 1  # the emulator recorded our bad request

    def test_unknown_resource_is_not_found(self):
        with self.assertRaises(EbayNotFound):
            self.client.request("GET", "/sell/inventory/v1/no_such_resource")
        self.expected_violations = 1

    def test_token_endpoint_errors_name_the_oauth_error_not_the_secret(self):
        wrong = OAuthClient(
            self.endpoints, "pure-app", "wrong-secret", ru_name="pure-ru"
        )
        with self.assertRaises(EbayAuthError) as caught:
            wrong.application_token()
        self.assertEqual(caught.exception.oauth_error, "invalid_client")
        self.assertNotIn("wrong-secret", str(caught.exception))
        with self.assertRaises(EbayAuthError) as caught:
            self.oauth.refresh("unknown-refresh-token", DEFAULT_SCOPES)
        self.assertTrue(caught.exception.needs_reauthorisation)
        self.assertNotIn("unknown-refresh-token", str(caught.exception))
        self.emulator.fault("^/identity/v1/oauth2/token$", "429", retry_after=9)
        with self.assertRaises(EbayRateLimited) as caught:
            self.oauth.application_token()
        self.assertEqual(caught.exception.retry_after, 9)

    def test_logs_carry_no_secret(self):
        with self.assertLogs(
            "odoo.addons.marketplace_connector.ebay", logging.DEBUG
        ) as logs:
            self.client.get_user()
            self.oauth.refresh(self.tokens.refresh_token, DEFAULT_SCOPES)
        text = "\n".join(logs.output)
        self.assertIn("refresh_token", text)  # the grant is logged, not the token
        for secret in (
            self.secret,
            self.tokens.access_token,
            self.tokens.refresh_token,
        ):
            self.assertNotIn(secret, text)

    def test_retry_after_parsing(self):
        self.assertEqual(parse_retry_after("120"), 120)
        self.assertEqual(
            parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480), 10
        )
        self.assertIsNone(parse_retry_after("soon"))
        self.assertIsNone(parse_retry_after(None))
