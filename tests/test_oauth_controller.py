import base64
import json
import logging
import time
from urllib.parse import urlencode, urlparse

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import query_of
from .ebay_common import EbayHttpCase

CALLBACK_LOGGER = "odoo.addons.marketplace_connector.controllers.ebay_oauth"


@tagged("post_install", "-at_install")
class TestOAuthCallback(EbayHttpCase):
    def setUp(self):
        super().setUp()
        self.admin = self.env.ref("base.user_admin")
        self.account = self._new_account().with_user(self.admin)
        self.authenticate("admin", "admin")

    def _start(self):
        wizard = (
            self.env["ebay.connect.wizard"]
            .with_user(self.admin)
            .create(
                {
                    "account_id": self.account.id,
                    "environment": "emulator",
                    "client_id": self.CLIENT_ID,
                    "client_secret": self.client_secret,
                    "ru_name": self.RU_NAME,
                }
            )
        )
        action = wizard.action_connect()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.env.flush_all()
        self.env.cr.execute("SELECT w::text FROM ebay_connect_wizard w")
        self.assertNotIn(self.client_secret, repr(self.env.cr.fetchall()))
        return action["url"]

    def _callback(self, redirect_url):
        parsed = urlparse(redirect_url)
        self.assertEqual(parsed.path, "/ebay/oauth/callback")
        return self.url_open(f"{parsed.path}?{parsed.query}", allow_redirects=False)

    def _stored_kinds(self):
        return set(
            self.env["marketplace.secret"]
            .sudo()
            .search([("account_id", "=", self.account.id)])
            .mapped("kind")
        )

    def test_good_state_connects_the_account(self):
        consent_url = self._start()
        query = query_of(consent_url)
        self.assertEqual(query["redirect_uri"], self.RU_NAME)
        self.assertIn("sell.inventory", query["scope"])
        response = self._callback(self.emulator.consent(consent_url))
        self.assertIn(response.status_code, (302, 303))
        self.assertIn(
            f"/odoo/action-marketplace_connector.marketplace_account_action/{self.account.id}",
            response.headers["Location"],
        )
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "connected")
        self.assertEqual(self.account.ebay_username, "emulator_seller")
        self.assertTrue(self.account.ebay_user_id)
        self.assertGreater(
            self.account.refresh_token_expires_at, self.account.access_token_expires_at
        )
        self.assertEqual(
            self._stored_kinds(), {"client_secret", "user_access", "user_refresh"}
        )
        self.assertIn(
            "Connected to eBay as emulator_seller",
            " ".join(self.account.message_ids.mapped("body")),
        )

    @mute_logger(CALLBACK_LOGGER)
    def test_forged_state_is_refused_and_stores_nothing(self):
        consent_url = self._start()
        redirect = self.emulator.consent(consent_url)
        params = query_of(redirect)
        encoded, _sig = params["state"].rsplit(".", 1)
        forged = f"{encoded}.{'0' * 64}"
        response = self._callback(
            "/ebay/oauth/callback?"
            + urlencode({"state": forged, "code": params["code"]})
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("not issued by Odoo", response.text)
        # Pointing a genuine state at another account breaks its signature too.
        payload = json.loads(base64.urlsafe_b64decode(encoded))
        payload["a"] = payload["a"] + 1
        other = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
        response = self._callback(
            "/ebay/oauth/callback?"
            + urlencode({"state": f"{other}.{_sig}", "code": "x"})
        )
        self.assertEqual(response.status_code, 403)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "draft")
        self.assertEqual(self._stored_kinds(), {"client_secret"})
        self.assertFalse(self.emulator.token_calls("authorization_code"))

    @mute_logger(CALLBACK_LOGGER)
    def test_expired_state_is_refused(self):
        self._start()
        nonce = self.account.sudo().ebay_oauth_nonce
        payload = json.dumps(
            {
                "a": self.account.id,
                "u": self.admin.id,
                "x": int(time.time()) - 1,
                "n": nonce,
            },
            separators=(",", ":"),
        )
        encoded = base64.urlsafe_b64encode(payload.encode()).decode()
        state = f"{encoded}.{self.account._oauth_sign(encoded)}"
        response = self._callback(
            "/ebay/oauth/callback?" + urlencode({"state": state, "code": "whatever"})
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("expired", response.text)
        self.assertEqual(self._stored_kinds(), {"client_secret"})

    @mute_logger(CALLBACK_LOGGER)
    def test_state_of_another_user_is_refused(self):
        consent_url = self._start()
        redirect = self.emulator.consent(consent_url)
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

    def test_denied_consent_stores_nothing(self):
        consent_url = self._start()
        redirect = self.emulator.consent(consent_url, decision="decline")
        self.assertEqual(query_of(redirect)["error"], "access_denied")
        response = self._callback(redirect)
        self.assertEqual(response.status_code, 400)
        self.assertIn("not granted", response.text)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "draft")
        self.assertEqual(self._stored_kinds(), {"client_secret"})
        self.assertIn("access_denied", self.account.last_error)

    @mute_logger(CALLBACK_LOGGER)
    def test_replayed_state_is_refused(self):
        redirect = self.emulator.consent(self._start())
        self.assertIn(self._callback(redirect).status_code, (302, 303))
        response = self._callback(redirect)
        self.assertEqual(response.status_code, 403)
        self.assertIn("already used", response.text)
        self.assertEqual(len(self.emulator.token_calls("authorization_code")), 1)

    def test_replayed_code_fails_cleanly(self):
        first = query_of(self.emulator.consent(self._start()))
        self.assertIn(
            self._callback("/ebay/oauth/callback?" + urlencode(first)).status_code,
            (302, 303),
        )
        # The person starts again, but an attacker slips in the old code.
        second = query_of(self.emulator.consent(self._start()))
        response = self._callback(
            "/ebay/oauth/callback?"
            + urlencode({"state": second["state"], "code": first["code"]})
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("refused the authorisation code", response.text)
        self.assertIn("invalid_grant", response.text)

    def test_failed_exchange_keeps_nothing(self):
        consent_url = self._start()
        redirect = self.emulator.consent(consent_url)
        self.emulator.fault("^/commerce/identity/v1/user/$", "500", times=-1)
        response = self._callback(redirect)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._stored_kinds(), {"client_secret"})
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "draft")

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
        self.assertEqual(self._callback(redirect).status_code, 403)

    # -- forged states answer 4xx, never 500 ------------------------------------
    def _forged(self, payload_bytes, signature=None):
        encoded = base64.urlsafe_b64encode(payload_bytes).decode()
        if signature is None:  # as if the database secret had leaked
            signature = self.account._oauth_sign(encoded)
        return f"{encoded}.{signature}"

    @mute_logger(CALLBACK_LOGGER)
    def test_forged_states_are_refused_without_a_server_error(self):
        self._start()
        good = json.dumps(
            {"a": self.account.id, "u": self.admin.id, "x": 2**31, "n": "n"}
        ).encode()
        deep = b"[" * 30000  # nesting too deep to parse, short enough for a URL
        huge = b'{"a": 1e999, "u": 1e999, "x": 1e999, "n": "n"}'
        unsigned = [
            self._forged(good, signature="é" * 64),  # non-ASCII signature
            self._forged(good, signature="\u0000"),
            self._forged(huge, signature="0" * 64),
            self._forged(deep, signature="0" * 64),
            "no-dot-at-all",
            "." + "0" * 64,
            "é.é",
        ]
        for state in unsigned:
            response = self._callback(
                "/ebay/oauth/callback?" + urlencode({"state": state, "code": "c"})
            )
            self.assertEqual(response.status_code, 403, state[:40])
            self.assertIn("not issued by Odoo", response.text)
        # Signed junk (a leaked database secret) is malformed, still not a 500.
        signed = [
            self._forged(huge),
            self._forged(deep),
            self._forged(b"[1, 2, 3, 4]"),
            self._forged(b'{"a": "1", "u": 2, "x": 3, "n": "n"}'),
            self._forged(b'{"a": true, "u": 2, "x": 3, "n": "n"}'),
            self._forged(b'{"a": 1180591620717411303424, "u": 2, "x": 3, "n": "n"}'),
            self._forged(b"\xff\xfe not json"),
            "é" * 10 + "." + self.account._oauth_sign("é" * 10),
        ]
        for state in signed:
            response = self._callback(
                "/ebay/oauth/callback?" + urlencode({"state": state, "code": "c"})
            )
            self.assertEqual(response.status_code, 403, state[:40])
            self.assertIn("malformed", response.text, state[:40])
        self.assertEqual(self._stored_kinds(), {"client_secret"})
        self.assertFalse(self.emulator.token_calls("authorization_code"))

    @mute_logger(CALLBACK_LOGGER)
    def test_anonymous_callback_goes_to_the_login_page(self):
        redirect = self.emulator.consent(self._start())
        self.url_open("/web/session/logout", allow_redirects=False)
        self.opener.cookies.clear()
        response = self._callback(redirect)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        self.assertFalse(self.emulator.token_calls("authorization_code"))
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "draft")

    # -- the code and the state stay out of the log -----------------------------
    def test_code_and_state_are_not_in_the_request_log(self):
        redirect = self.emulator.consent(self._start())
        params = query_of(redirect)
        with self.assertLogs("werkzeug", logging.INFO) as logs:
            response = self._callback(redirect)
        self.assertIn(response.status_code, (302, 303))
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "connected")
        # The line of the request is there, without its query.
        request_lines = [line for line in logs.output if "/ebay/oauth/callback" in line]
        self.assertTrue(request_lines, logs.output)
        self.assertIn("/ebay/oauth/callback?[redacted]", request_lines[0])
        self._assert_not_in_log(params, logs.output)

    def _assert_not_in_log(self, params, output):
        # Tails made of characters no URL encoding changes: found in the
        # log whatever form (quoted or not) the request line shows.
        text = "\n".join(output)
        self.assertNotIn(params["code"][-40:], text)
        self.assertNotIn(params["state"].rsplit(".", 1)[1], text)
        self.assertNotIn(params["state"][:40], text)

    @mute_logger(CALLBACK_LOGGER)
    def test_code_is_not_logged_on_the_way_to_the_login_page(self):
        redirect = self.emulator.consent(self._start())
        params = query_of(redirect)
        self.url_open("/web/session/logout", allow_redirects=False)
        self.opener.cookies.clear()
        with self.assertLogs("werkzeug", logging.INFO) as logs:
            login = self._callback(redirect)
            self.url_open(login.headers["Location"], allow_redirects=False)
        self.assertIn("/web/login", "\n".join(logs.output))
        self._assert_not_in_log(params, logs.output)
