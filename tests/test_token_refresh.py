from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..ebay import EbayAuthError
from .common import EbayCase


@tagged("post_install", "-at_install")
class TestTokenRefresh(EbayCase):
    def setUp(self):
        super().setUp()
        self.account = self._connect(self._new_account())
        self.Token = self.env["marketplace.secret"]

    def _expire_access_token(self, seconds_left=60):
        token, _exp = self.Token._read_secret(self.account, "user_access")
        soon = fields.Datetime.now() + timedelta(seconds=seconds_left)
        self.Token._store(self.account, "user_access", token, soon)
        return token

    def test_fresh_token_is_reused_without_a_call(self):
        before = len(self.emulator.token_calls())
        token = self.account._get_user_access_token()
        self.assertEqual(token, self.account._get_user_access_token())
        self.assertEqual(len(self.emulator.token_calls()), before)

    def test_token_is_refreshed_ahead_of_expiry(self):
        old = self._expire_access_token(seconds_left=60)  # inside the margin
        new = self.account._get_user_access_token()
        self.assertNotEqual(new, old)
        self.assertEqual(len(self.emulator.token_calls("refresh_token")), 1)
        # The refreshed token is stored: the next caller makes no call.
        self.assertEqual(self.account._get_user_access_token(), new)
        self.assertEqual(len(self.emulator.token_calls("refresh_token")), 1)
        self.assertGreater(self.account.access_token_expires_at, fields.Datetime.now())
        # It works on eBay.
        self.assertEqual(
            self.account._ebay_client().get_user()["username"],
            self.account.ebay_username,
        )

    def test_token_eBay_rejects_early_is_refreshed_once_and_call_retried(self):
        # eBay's clock says the access token is dead; ours still trusts it.
        self.emulator.advance(7300)
        self.emulator._call("DELETE", "calls")
        user = self.account._ebay_client().get_user()
        self.assertEqual(user["username"], self.account.ebay_username)
        self.assertEqual(len(self.emulator.token_calls("refresh_token")), 1)
        user_calls = self.emulator.calls(path="^/commerce/identity/v1/user/$")
        self.assertEqual([c["status"] for c in user_calls], [401, 200])
        # One correlation id for the logical call, sent on both attempts.
        self.assertEqual(len({c["request_id"] for c in user_calls}), 1)

    def test_application_token_is_cached_until_it_expires(self):
        first = self.account._get_app_access_token()
        self.assertEqual(self.account._get_app_access_token(), first)
        self.assertEqual(len(self.emulator.token_calls("client_credentials")), 1)
        self.assertTrue(self.account.app_token_expires_at)
        self.Token._store(
            self.account,
            "app_access",
            first,
            fields.Datetime.now() - timedelta(seconds=1),
        )
        second = self.account._get_app_access_token()
        self.assertNotEqual(second, first)
        self.assertEqual(len(self.emulator.token_calls("client_credentials")), 2)

    def test_revoked_refresh_token_needs_reauthorisation(self):
        self.emulator.revoke()
        self._expire_access_token()
        # Not assertRaises: Odoo's rolls back to a savepoint, and the state
        # written by the refresh's own (test-mode) cursor must stay.
        try:
            self.account._get_user_access_token()
        except EbayAuthError as err:
            self.assertTrue(err.needs_reauthorisation)
        else:
            self.fail("a revoked refresh token must raise")
        self.assertEqual(self.account.state, "reauth")
        self.assertIn("invalid_grant", self.account.last_error)
        activity_type = self.env.ref(
            "marketplace_connector.mail_activity_type_marketplace_attention"
        )
        activities = self.account.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertIn(self.env.ref("base.user_admin"), activities.user_id)
        # Further calls stop at Odoo's door: eBay is not asked again.
        calls_before = len(self.emulator.calls())
        with self.assertRaisesRegex(EbayAuthError, "needs re-authorisation"):
            self.account._ebay_client()
        with self.assertRaises(EbayAuthError):
            self.account._get_user_access_token()
        self.assertEqual(len(self.emulator.calls()), calls_before)
        # The alert cron meets the same cause again: no pile of activities
        # (two workers refused at once: test_token_concurrency).
        self.env["marketplace.account"]._cron_check_alerts()
        self.assertEqual(
            len(
                self.account.activity_ids.filtered(
                    lambda a: a.activity_type_id == activity_type
                )
            ),
            len(activities),
        )
        # No token text reached the chatter or the error field.
        refresh = self.Token._read_secret(self.account, "user_refresh")[0]
        bodies = " ".join(self.account.message_ids.mapped("body"))
        self.assertNotIn(refresh, bodies)
        self.assertNotIn(refresh, self.account.last_error)
        # Reconnecting clears the alert and restores calls.
        self._connect(self.account)
        self.assertEqual(self.account.state, "connected")
        self.assertFalse(
            self.account.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )
        )
        self.assertTrue(self.account._ebay_client().get_user())
