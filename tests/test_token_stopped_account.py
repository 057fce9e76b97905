"""An account that may not call makes no call at all, not even for a token.

"Nothing is sent to eBay until it is reconnected": a revoked (needs
re-authorisation) or draft account must not mint an application token,
which is a call with the app's client id and secret.
"""

from datetime import timedelta

from odoo import fields
from odoo.tools import mute_logger

from ..ebay import EbayAuthError
from ..ebay.notification import NotificationApi
from .ebay_common import EbayCase

ACCOUNT_LOGGER = (
    "odoo.addons.marketplace_connector.models.marketplace.marketplace_account"
)


class TestStoppedAccountMakesNoCall(EbayCase):
    def _revoke(self, account):
        """eBay revokes the consent; the next refresh finds it out."""
        refresh = self.env["marketplace.secret"]._read_secret(account, "user_refresh")[
            0
        ]
        self.emulator.revoke(refresh_token=refresh)
        token = self.env["marketplace.secret"]._read_secret(account, "user_access")[0]
        soon = fields.Datetime.now() + timedelta(seconds=30)
        self.env["marketplace.secret"]._store(account, "user_access", token, soon)
        # Not assertRaises: it rolls back to a savepoint, and the state the
        # refresh wrote must stay.
        try:
            with mute_logger(ACCOUNT_LOGGER):
                account._get_user_access_token()
        except EbayAuthError as err:
            self.assertTrue(err.needs_reauthorisation)
        else:
            self.fail("a revoked consent must stop the refresh")

    def test_revoked_account_mints_no_application_token(self):
        account = self._connect(self._new_account())
        self._revoke(account)
        self.assertEqual(account.state, "reauth")
        calls = len(self.emulator.token_calls())
        with self.assertRaisesRegex(EbayAuthError, "connect it again"):
            account._get_app_access_token()
        with self.assertRaisesRegex(EbayAuthError, "connect it again"):
            NotificationApi(account._ebay_app_client()).get_public_key("any-key")
        self.assertEqual(len(self.emulator.token_calls()), calls)
        self.assertFalse(self.emulator.token_calls("client_credentials"))

    def test_draft_account_mints_no_application_token(self):
        account = self._new_account()  # app credentials, never connected
        with self.assertRaisesRegex(EbayAuthError, "connect it again"):
            account._get_app_access_token()
        self.assertFalse(self.emulator.token_calls())

    def test_disconnected_account_mints_no_application_token(self):
        account = self._connect(self._new_account())
        account._get_app_access_token()
        self.assertEqual(len(self.emulator.token_calls("client_credentials")), 1)
        account.action_disconnect()
        with self.assertRaisesRegex(EbayAuthError, "connect it again"):
            account._get_app_access_token(force_refresh=True)
        self.assertEqual(len(self.emulator.token_calls("client_credentials")), 1)
