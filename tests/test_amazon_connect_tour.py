"""A manager connects an Amazon account in Chromium, end to end, through the
emulator's Seller Central consent page."""

from odoo.tests import tagged

from .amazon_common import EMULATOR_SELLER, US, AmazonHttpCase
from .tour_common import AMAZON_CONFIRM, consent_clicking_browser

# Typed by the tour (static/tests/tours/amazon_connect_tour.js).
TOUR_CLIENT_ID = "amzn1.application-oa2-client.tour"
TOUR_SECRET = "amazon-tour-secret-for-this-run"
TOUR_APPLICATION_ID = "amzn1.sp.solution.tour"


@tagged("post_install", "-at_install")
class TestAmazonConnectTour(AmazonHttpCase):
    CONNECTED_ACCOUNT = False

    def setUp(self):
        super().setUp()
        # The app the tour types; it exists for this test only.
        self.emulator.add_app(
            TOUR_CLIENT_ID, TOUR_SECRET, TOUR_APPLICATION_ID, self._callback_url()
        )

    def test_connect_wizard_end_to_end(self):
        account = self.env["marketplace.account"].create(
            {
                "channel": "amazon",
                "name": "Amazon tour seller",
                "environment": "emulator",
                "amazon_region": "NA",
            }
        )
        with consent_clicking_browser(
            f"{self.emulator.url}/apps/authorize/consent", AMAZON_CONFIRM
        ) as browsers:
            self.start_tour(
                "/odoo/action-marketplace_connector.amazon_account_action",
                "marketplace_connector_amazon_connect_tour",
                login="admin",
            )
        self.assertTrue(browsers and browsers[0].clicked.is_set())
        account.invalidate_recordset()
        self.assertEqual(account.state, "connected")
        self.assertEqual(account.amazon_selling_partner_id, EMULATOR_SELLER)
        self.assertIn(US, account.amazon_participation_ids.mapped("marketplace_id"))
        Secret = self.env["marketplace.secret"]
        self.assertEqual(Secret._read_secret(account, "client_secret")[0], TOUR_SECRET)
        self.assertTrue(Secret._read_secret(account, "user_refresh")[0])
        # The web client saved the wizard, secret typed in, before Connect:
        # the database never held that secret in clear.
        self.env.flush_all()
        self.env.cr.execute("SELECT w::text FROM amazon_connect_wizard w")
        rows = self.env.cr.fetchall()
        self.assertTrue(rows, "the tour saved a wizard")
        self.assertNotIn(TOUR_SECRET, repr(rows))
