"""The LWA access token of an Amazon account: used while valid, refreshed
ahead of expiry, and what LWA's refusals do (invalid_grant: the account
needs re-authorisation; invalid_client: the client secret expired, a new
one brings the account back without a new consent)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..amazon import AmazonAuthError, AmazonClientSecretError
from .amazon_common import LWA_LOGGER, TOKEN_LOGGER, AmazonCase

ACTIVITY_TYPE = "marketplace_connector.mail_activity_type_marketplace_attention"


@tagged("post_install", "-at_install")
class TestAmazonToken(AmazonCase):
    def _secret(self, kind):
        return self.env["marketplace.secret"]._read_secret(self.account, kind)

    def _nearly_expired(self):
        token, _expiry = self._secret("user_access")
        self.env["marketplace.secret"]._store(
            self.account,
            "user_access",
            token,
            fields.Datetime.now() + timedelta(seconds=30),
        )
        return token

    def _alerts(self, cause):
        return self.env["marketplace.alert"].search(
            [("account_id", "=", self.account.id), ("cause", "=", cause)]
        )

    def test_valid_token_is_used_without_a_call(self):
        calls = len(self._lwa_calls("refresh_token"))
        token, _expiry = self._secret("user_access")
        self.assertEqual(self.account._amazon_access_token(), token)
        self.assertEqual(len(self._lwa_calls("refresh_token")), calls)

    def test_token_is_refreshed_ahead_of_expiry(self):
        stale = self._nearly_expired()
        calls = len(self._lwa_calls("refresh_token"))
        fresh = self.account._amazon_access_token()
        self.assertNotEqual(fresh, stale)
        self.assertEqual(len(self._lwa_calls("refresh_token")), calls + 1)
        token, expiry = self._secret("user_access")
        self.assertEqual(token, fresh)
        self.assertGreater(expiry, fields.Datetime.now() + timedelta(minutes=50))
        # The fresh token works for SP-API calls, and is then reused.
        self.assertTrue(self.account._amazon_client().sellers.participations())
        self.assertEqual(len(self._lwa_calls("refresh_token")), calls + 1)

    def test_revoked_authorisation_needs_reauthorisation(self):
        refresh, _expiry = self._secret("user_refresh")
        self.emulator.revoke(refresh)
        self._nearly_expired()
        # Not assertRaises: it rolls back to a savepoint, and the state the
        # refresh wrote must stay.
        with mute_logger(LWA_LOGGER, TOKEN_LOGGER):
            try:
                self.account._amazon_access_token()
            except AmazonAuthError as err:
                self.assertTrue(err.needs_reauthorisation)
            else:
                self.fail("a revoked authorisation must stop the refresh")
        self.assertEqual(self.account.state, "reauth")
        self.assertEqual(self._lwa_calls("refresh_token")[-1]["status"], 400)
        self.assertIn("invalid_grant", self.account.last_error)
        self.assertFalse(self._secret("user_access")[0], "the access token is dropped")
        alert = self._alerts("token_revoked")
        self.assertEqual(alert.state, "open")
        self.assertEqual(
            len(alert.activity_ids), len(self.account._alert_managers()), "one each"
        )
        # Nothing more is sent to Amazon until a manager reconnects.
        calls = len(self.emulator.calls())
        with self.assertRaises(AmazonAuthError):
            self.account._amazon_client()
        self.assertEqual(len(self.emulator.calls()), calls)
        # Reconnecting through the consent clears the alert.
        self._connect(self.account)
        self.assertEqual(self._alerts("token_revoked").state, "cleared")

    def test_expired_client_secret_alerts_and_a_new_secret_reconnects(self):
        self.emulator.expire_client_secret(self.CLIENT_ID)
        self._nearly_expired()
        with mute_logger(LWA_LOGGER, TOKEN_LOGGER):
            try:
                self.account._amazon_access_token()
            except AmazonClientSecretError as err:
                self.assertFalse(err.needs_reauthorisation)
            else:
                self.fail("an expired client secret must stop the refresh")
        self.assertEqual(self.account.state, "error")
        self.assertTrue(self.account.last_error)
        alert = self._alerts("amazon_client_secret_expired")
        self.assertEqual(alert.state, "open")
        self.assertFalse(self._alerts("token_revoked"), "the seller's consent stands")
        self.assertTrue(self._secret("user_refresh")[0], "the refresh token is kept")
        # The manager rotates the secret in Developer Central and enters it.
        new_secret = self.client_secret[::-1]
        self.emulator.add_app(
            self.CLIENT_ID, new_secret, self.APPLICATION_ID, self._callback_url()
        )
        wizard = self._wizard()
        self.assertEqual(wizard.method, "secret", "what an account in error needs")
        wizard.client_secret = new_secret
        wizard.action_connect()
        self.assertEqual(self.account.state, "connected")
        self.assertEqual(self._secret("client_secret")[0], new_secret)
        self.assertEqual(alert.state, "cleared")
        self.assertEqual(
            self.account.amazon_client_secret_rotated_on,
            fields.Date.context_today(self.account),
        )
        self.assertTrue(self.account._amazon_client().sellers.participations())

    def test_wrong_new_secret_changes_nothing(self):
        old = self._secret("client_secret")[0]
        wizard = self._wizard(method="secret")
        wizard.client_secret = "not-the-secret"
        with mute_logger(LWA_LOGGER), self.assertRaises(Exception) as caught:
            wizard.action_connect()
        self.assertIn("refused", str(caught.exception))
        self.assertEqual(self._secret("client_secret")[0], old)
        self.assertEqual(self.account.state, "connected")
