"""A person connects an eBay account in Chromium, end to end."""

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..ebay import EbayAuthError
from ..models.marketplace.marketplace_alert import ACTIVITY_TYPE
from .ebay_common import EbayHttpCase
from .tour_common import EBAY_AGREE, consent_clicking_browser

# Typed by the connect tour (static/tests/tours/ebay_connect_tour.js).
TOUR_SECRET = "tour-app-secret-for-this-run"


@tagged("post_install", "-at_install")
class TestConnectTour(EbayHttpCase):
    CLIENT_ID = "tour-app"
    RU_NAME = "tour-runame"

    def setUp(self):
        super().setUp()
        # The tour types this secret; it exists for this test only.
        self.emulator.register_app(
            self.CLIENT_ID, TOUR_SECRET, self.RU_NAME, self._callback_url()
        )

    def _run_tour(self, tour):
        with consent_clicking_browser(
            f"{self.emulator.url}/oauth2/authorize", EBAY_AGREE
        ) as browsers:
            self.start_tour(
                "/odoo/action-marketplace_connector.marketplace_account_action",
                tour,
                login="admin",
            )
        self.assertTrue(browsers and browsers[0].clicked.is_set())

    def test_connect_wizard_end_to_end(self):
        account = self.env["marketplace.account"].create(
            {"channel": "ebay", "name": "Tour seller", "environment": "emulator"}
        )
        self._run_tour("marketplace_connector_connect_tour")
        account.invalidate_recordset()
        self.assertEqual(account.state, "connected")
        self.assertEqual(account.ebay_username, "emulator_seller")
        self.assertEqual(len(self.emulator.token_calls("authorization_code")), 1)
        # The web client saved the wizard, secret typed in, before Connect:
        # the database never held that secret in clear.
        self.env.flush_all()
        self.env.cr.execute("SELECT count(*) FROM ebay_connect_wizard")
        self.assertTrue(self.env.cr.fetchone()[0], "the tour saved a wizard")
        self.env.cr.execute("SELECT w::text FROM ebay_connect_wizard w")
        self.assertNotIn(TOUR_SECRET, repr(self.env.cr.fetchall()))
        self.assertEqual(
            self.env["marketplace.secret"]._read_secret(account, "client_secret")[0],
            TOUR_SECRET,
        )

    @mute_logger(
        "odoo.addons.marketplace_connector.models.marketplace.marketplace_account"
    )
    def test_reconnect_clears_a_revoked_authorisation(self):
        account = self._new_account(name="Revoked seller")
        self.env["marketplace.secret"]._store(account, "client_secret", TOUR_SECRET)
        self._connect(account)
        # eBay revokes the consent; the next refresh finds it out.
        Token = self.env["marketplace.secret"]
        self.emulator.revoke(
            refresh_token=Token._read_secret(account, "user_refresh")[0]
        )
        access = Token._read_secret(account, "user_access")[0]
        Token._store(account, "user_access", access, fields.Datetime.now())
        # Not assertRaises: it rolls back to a savepoint, and the state the
        # refresh wrote must stay.
        try:
            account._get_user_access_token()
        except EbayAuthError as err:
            self.assertTrue(err.needs_reauthorisation)
        else:
            self.fail("a revoked consent must stop the refresh")
        self.assertEqual(account.state, "reauth")
        self.assertTrue(self._attention_activities(account))

        self._run_tour("marketplace_connector_reconnect_tour")
        account.invalidate_recordset()
        self.assertEqual(account.state, "connected")
        self.assertFalse(self._attention_activities(account), "Reconnect cleared it")
        alert = self.env["marketplace.alert"].search(
            [("account_id", "=", account.id), ("cause", "=", "token_revoked")]
        )
        self.assertEqual(alert.mapped("state"), ["cleared"])

    def _attention_activities(self, account):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "marketplace.account"),
                ("res_id", "=", account.id),
                ("activity_type_id", "=", self.env.ref(ACTIVITY_TYPE).id),
            ]
        )
