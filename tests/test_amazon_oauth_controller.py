"""Seller Central's redirect back to Odoo: good, forged, expired and replayed
states, a code used twice, a declined consent, the wrong user, a user who is
not a manager and an anonymous caller; every failure a clear page, never a
500, nothing stored, and no referrer."""

import base64
import json
import logging
from urllib.parse import quote, urlencode, urlparse

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..models.amazon.amazon_environment import OAUTH_CALLBACK_PATH, OAUTH_HMAC_SCOPE
from ..models.marketplace.oauth_state import make_state, sign_state
from .amazon_common import (
    CALLBACK_LOGGER,
    EMULATOR_SELLER,
    LWA_LOGGER,
    LWA_TOKEN,
    US,
    AmazonHttpCase,
    query_of,
)

ACCOUNT_URL = "/odoo/action-marketplace_connector.marketplace_account_action/"


@tagged("post_install", "-at_install")
class TestAmazonOAuthCallback(AmazonHttpCase):
    CONNECTED_ACCOUNT = False

    def setUp(self):
        super().setUp()
        self.admin = self.env.ref("base.user_admin")
        self.account = self._new_account().with_user(self.admin)
        self.authenticate("admin", "admin")

    def _start(self):
        """The manager's Connect in the wizard: the consent page's URL."""
        wizard = (
            self.env["amazon.connect.wizard"]
            .with_user(self.admin)
            .create(
                {
                    "account_id": self.account.id,
                    "environment": "emulator",
                    "region": "NA",
                    "client_id": self.CLIENT_ID,
                    "client_secret": self.client_secret,
                    "application_id": self.APPLICATION_ID,
                }
            )
        )
        action = wizard.action_connect()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.env.flush_all()
        self.env.cr.execute("SELECT w::text FROM amazon_connect_wizard w")
        self.assertNotIn(self.client_secret, repr(self.env.cr.fetchall()))
        return action["url"]

    def _callback(self, redirect_url):
        parsed = urlparse(redirect_url)
        self.assertEqual(parsed.path, OAUTH_CALLBACK_PATH)
        response = self.url_open(f"{parsed.path}?{parsed.query}", allow_redirects=False)
        if response.status_code != 303 or "/web/login" not in response.headers.get(
            "Location", ""
        ):
            self.assertEqual(response.headers.get("Referrer-Policy"), "no-referrer")
        self.assertNotEqual(response.status_code, 500)
        return response

    def _with(self, params, **changes):
        return OAUTH_CALLBACK_PATH + "?" + urlencode(dict(params, **changes))

    def _kinds(self):
        return set(
            self.env["marketplace.secret"]
            .sudo()
            .search([("account_id", "=", self.account.id)])
            .mapped("kind")
        )

    def _assert_nothing_stored(self):
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "draft")
        self.assertEqual(self._kinds(), {"client_secret"})
        self.assertFalse(self.account.sudo().amazon_participation_ids)
        self.assertFalse(self.account.amazon_selling_partner_id)

    def _code_exchanges(self):
        return [
            c
            for c in self.emulator.calls(path=LWA_TOKEN)
            if c["status"] in (200, 400, 401)
        ]

    def test_good_state_connects_the_account(self):
        consent_url = self._start()
        query = query_of(consent_url)
        self.assertEqual(query["application_id"], self.APPLICATION_ID)
        self.assertEqual(query["redirect_uri"], self._callback_url())
        self.assertNotIn("version", query, "a published app: no beta")
        response = self._callback(self.emulator.consent(consent_url))
        self.assertIn(response.status_code, (302, 303))
        self.assertIn(f"{ACCOUNT_URL}{self.account.id}", response.headers["Location"])
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "connected")
        self.assertEqual(self.account.amazon_selling_partner_id, EMULATOR_SELLER)
        self.assertEqual(
            self._kinds(), {"client_secret", "user_refresh", "user_access"}
        )
        self.assertIn(
            US, self.account.sudo().amazon_participation_ids.mapped("marketplace_id")
        )
        self.assertIn(
            "Connected to Amazon", " ".join(self.account.message_ids.mapped("body"))
        )

    def test_draft_app_asks_for_the_beta_consent(self):
        self.account.sudo().amazon_draft_app = True
        wizard = (
            self.env["amazon.connect.wizard"]
            .with_user(self.admin)
            .create(
                {
                    "account_id": self.account.id,
                    "environment": "emulator",
                    "region": "NA",
                    "client_id": self.CLIENT_ID,
                    "application_id": self.APPLICATION_ID,
                    "draft_app": True,
                }
            )
        )
        consent_url = wizard.action_connect()["url"]
        self.assertEqual(query_of(consent_url)["version"], "beta")
        response = self._callback(self.emulator.consent(consent_url))
        self.assertIn(response.status_code, (302, 303))

    @mute_logger(CALLBACK_LOGGER)
    def test_forged_state_is_refused_and_stores_nothing(self):
        params = query_of(self.emulator.consent(self._start()))
        encoded, signature = params["state"].rsplit(".", 1)
        response = self._callback(self._with(params, state=f"{encoded}.{'0' * 64}"))
        self.assertEqual(response.status_code, 403)
        self.assertIn("not issued by Odoo", response.text)
        # A genuine state pointed at another account breaks its signature.
        payload = json.loads(base64.urlsafe_b64decode(encoded))
        payload["a"] += 1
        other = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
        response = self._callback(self._with(params, state=f"{other}.{signature}"))
        self.assertEqual(response.status_code, 403)
        # eBay's state (another HMAC scope) is worthless here.
        ebay_state = make_state(
            self.env(user=self.admin),
            "marketplace_connector.ebay_oauth",
            self.account.id,
            self.account.sudo().amazon_oauth_nonce or "n",
            900,
        )
        response = self._callback(self._with(params, state=ebay_state))
        self.assertEqual(response.status_code, 403)
        for junk in ("", "no-dot", "é.é", "." + "0" * 64):
            response = self._callback(self._with(params, state=junk))
            self.assertEqual(response.status_code, 403, junk)
        # Signed junk (as if the database secret had leaked): malformed.
        junk = base64.urlsafe_b64encode(b"[1, 2]").decode()
        signed = f"{junk}.{sign_state(self.env, OAUTH_HMAC_SCOPE, junk)}"
        response = self._callback(self._with(params, state=signed))
        self.assertEqual(response.status_code, 403)
        self.assertIn("malformed", response.text)
        self._assert_nothing_stored()
        self.assertFalse(self._code_exchanges(), "no code reached LWA")

    @mute_logger(CALLBACK_LOGGER)
    def test_expired_state_is_refused(self):
        params = query_of(self.emulator.consent(self._start()))
        nonce = self.account.sudo().amazon_oauth_nonce
        expired = make_state(
            self.env(user=self.admin), OAUTH_HMAC_SCOPE, self.account.id, nonce, -1
        )
        response = self._callback(self._with(params, state=expired))
        self.assertEqual(response.status_code, 403)
        self.assertIn("expired", response.text)
        self._assert_nothing_stored()
        self.assertFalse(self._code_exchanges())

    @mute_logger(CALLBACK_LOGGER)
    def test_replayed_state_is_refused(self):
        redirect = self.emulator.consent(self._start())
        self.assertIn(self._callback(redirect).status_code, (302, 303))
        refresh = self.env["marketplace.secret"]._read_secret(
            self.account, "user_refresh"
        )[0]
        response = self._callback(redirect)
        self.assertEqual(response.status_code, 403)
        self.assertIn("already used", response.text)
        self.assertEqual(len(self._code_exchanges()), 1)
        self.assertEqual(
            self.env["marketplace.secret"]._read_secret(self.account, "user_refresh")[
                0
            ],
            refresh,
        )

    @mute_logger(CALLBACK_LOGGER, LWA_LOGGER)
    def test_code_used_twice_fails_cleanly(self):
        first = query_of(self.emulator.consent(self._start()))
        self.assertIn(self._callback(self._with(first)).status_code, (302, 303))
        # The manager starts again; the old code is slipped in.
        second = query_of(self.emulator.consent(self._start()))
        response = self._callback(
            self._with(second, spapi_oauth_code=first["spapi_oauth_code"])
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("refused the authorisation code", response.text)
        self.assertNotIn(first["spapi_oauth_code"], response.text)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "connected", "the first one stands")

    @mute_logger(CALLBACK_LOGGER, LWA_LOGGER)
    def test_expired_code_fails_cleanly(self):
        params = query_of(self.emulator.consent(self._start()))
        self.emulator.advance(301)  # Amazon's codes live 5 minutes
        response = self._callback(self._with(params))
        self.assertEqual(response.status_code, 400)
        self._assert_nothing_stored()

    def test_declined_consent_stores_nothing(self):
        redirect = self.emulator.consent(self._start(), decision="cancel")
        self.assertEqual(query_of(redirect)["error"], "access_denied")
        response = self._callback(redirect)
        self.assertEqual(response.status_code, 400)
        self.assertIn("not authorised", response.text)
        self._assert_nothing_stored()
        self.assertIn("access_denied", self.account.last_error)

    @mute_logger(CALLBACK_LOGGER)
    def test_failed_sellers_call_keeps_nothing(self):
        redirect = self.emulator.consent(self._start())
        self.emulator.fault("^/sellers/v1/", "500", times=-1)
        with mute_logger("odoo.addons.marketplace_connector.amazon.client"):
            response = self._callback(redirect)
        self.assertEqual(response.status_code, 400)
        self._assert_nothing_stored()

    @mute_logger(CALLBACK_LOGGER)
    def test_state_of_another_user_is_refused(self):
        redirect = self.emulator.consent(self._start())
        new_test_user(
            self.env,
            login="other_manager",
            password="other_manager",
            groups="marketplace_connector.group_marketplace_manager,base.group_user",
        )
        self.authenticate("other_manager", "other_manager")
        response = self._callback(redirect)
        self.assertEqual(response.status_code, 403)
        self.assertIn("another user", response.text)
        self.assertNotIn(self.account.name, response.text)
        self._assert_nothing_stored()

    @mute_logger(CALLBACK_LOGGER)
    def test_marketplace_user_cannot_complete_a_connection(self):
        redirect = self.emulator.consent(self._start())
        new_test_user(
            self.env,
            login="mp_user",
            password="mp_user",
            groups="marketplace_connector.group_marketplace_user,base.group_user",
        )
        self.authenticate("mp_user", "mp_user")
        response = self._callback(redirect)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(self.account.name, response.text)
        self._assert_nothing_stored()

    def test_anonymous_callback_goes_to_the_login_page(self):
        redirect = self.emulator.consent(self._start())
        self.url_open("/web/session/logout", allow_redirects=False)
        self.opener.cookies.clear()
        response = self._callback(redirect)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        self._assert_nothing_stored()
        self.assertTrue(self.account.sudo().amazon_oauth_nonce, "the state still waits")

    def test_seller_connected_elsewhere_is_refused_with_a_page(self):
        other = self._connected_account(name="First account for the seller")
        self.assertEqual(other.amazon_selling_partner_id, EMULATOR_SELLER)
        response = self._callback(self.emulator.consent(self._start()))
        self.assertEqual(response.status_code, 400)
        self.assertIn("already connected to another Odoo account", response.text)
        self.assertNotIn(other.name, response.text)
        self._assert_nothing_stored()

    def test_callback_line_in_the_request_log_is_redacted(self):
        params = query_of(self.emulator.consent(self._start()))
        target = self._with(params)
        # The request line as werkzeug logs it, through werkzeug's logger's
        # own filters (the one the callback installs among them); plain and
        # percent-encoded, as in the login redirect.
        werkzeug = logging.getLogger("werkzeug")
        for line in (target, "/web/login?redirect=" + quote(target, safe="")):
            record = werkzeug.makeRecord(
                "werkzeug",
                logging.INFO,
                __file__,
                0,
                '127.0.0.1 - - "GET %s HTTP/1.1" 302 -',
                (line,),
                None,
            )
            self.assertTrue(all(f.filter(record) for f in werkzeug.filters))
            text = record.getMessage()
            self.assertIn("?[redacted]", text)
            self.assertNotIn(params["spapi_oauth_code"][-20:], text)
            self.assertNotIn(params["state"].rsplit(".", 1)[1], text)
