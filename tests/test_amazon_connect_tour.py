"""A manager connects an Amazon account in Chromium, end to end, through the
emulator's Seller Central consent page."""

import threading
import time
from unittest import mock

from odoo.tests import common as odoo_test_common
from odoo.tests import tagged

from .amazon_common import EMULATOR_SELLER, US, AmazonHttpCase

# Typed by the tour (static/tests/tours/amazon_connect_tour.js).
TOUR_CLIENT_ID = "amzn1.application-oa2-client.tour"
TOUR_SECRET = "amazon-tour-secret-for-this-run"
TOUR_APPLICATION_ID = "amzn1.sp.solution.tour"
CONFIRM = "amazon-emulator-confirm"


class _ConsentConfirmingBrowser(odoo_test_common.ChromeBrowser):
    """Odoo's test Chromium, plus the seller's one click on Seller Central.

    Tours run on Odoo's pages only; the consent page is another origin, so
    a watcher confirms there through the DevTools connection the tour
    runner uses, and the tour resumes when Amazon sends the browser back.
    """

    consent_prefix = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.confirmed = threading.Event()
        self._watcher = threading.Thread(target=self._confirm, daemon=True)
        self._watcher.start()

    def _evaluate(self, expression):
        answer = self._websocket_request(
            "Runtime.evaluate",
            params={"expression": expression, "returnByValue": True},
            timeout=5,
        )
        return (answer or {}).get("result", {}).get("value")

    def _confirm(self):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and self.ws is not None:
            try:
                href = self._evaluate("location.href") or ""
                if href.startswith(self.consent_prefix) and self._evaluate(
                    f"!!document.getElementById('{CONFIRM}')"
                ):
                    self._evaluate(f"document.getElementById('{CONFIRM}').click()")
                    self.confirmed.set()
                    return
            except Exception:  # page navigating; look again
                pass
            time.sleep(0.2)


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
        browsers = []
        prefix = f"{self.emulator.url}/apps/authorize/consent"

        class Browser(_ConsentConfirmingBrowser):
            consent_prefix = prefix

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                browsers.append(self)

        with mock.patch.object(odoo_test_common, "ChromeBrowser", Browser):
            self.start_tour(
                "/odoo/action-marketplace_connector.amazon_account_action",
                "marketplace_connector_amazon_connect_tour",
                login="admin",
            )
        self.assertTrue(browsers and browsers[0].confirmed.is_set())
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
