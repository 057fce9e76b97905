"""A person connects an eBay account in Chromium, end to end."""

import threading
import time
from unittest import mock

from odoo.tests import common as odoo_test_common
from odoo.tests import tagged

from .common import EbayHttpCase


class _ConsentAgreeingBrowser(odoo_test_common.ChromeBrowser):
    """Odoo's test Chromium, plus the seller's one click on eBay's page.

    Odoo tours only run on Odoo's own pages; eBay's consent page is another
    origin, so a watcher agrees there, through the same DevTools connection
    the tour runner uses, and the tour resumes when eBay sends the browser
    back to Odoo.
    """

    consent_prefix = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreed = threading.Event()
        self._watcher = threading.Thread(
            target=self._agree_on_consent_page, daemon=True
        )
        self._watcher.start()

    def _evaluate(self, expression):
        answer = self._websocket_request(
            "Runtime.evaluate",
            params={"expression": expression, "returnByValue": True},
            timeout=5,
        )
        return (answer or {}).get("result", {}).get("value")

    def _agree_on_consent_page(self):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and self.ws is not None:
            try:
                href = self._evaluate("location.href") or ""
                if href.startswith(self.consent_prefix) and self._evaluate(
                    "!!document.getElementById('ebay-emulator-agree')"
                ):
                    self._evaluate(
                        "document.getElementById('ebay-emulator-agree').click()"
                    )
                    self.agreed.set()
                    return
            except Exception:  # page navigating; look again
                pass
            time.sleep(0.2)


@tagged("post_install", "-at_install")
class TestConnectTour(EbayHttpCase):
    CLIENT_ID = "tour-app"
    RU_NAME = "tour-runame"

    def setUp(self):
        super().setUp()
        # The tour types this secret; it exists for this test only.
        self.emulator.register_app(
            self.CLIENT_ID,
            "tour-app-secret-for-this-run",
            self.RU_NAME,
            self._callback_url(),
        )

    def test_connect_wizard_end_to_end(self):
        account = self.env["ebay.account"].create(
            {
                "name": "Tour seller",
                "environment": "emulator",
                "emulator_url": self.emulator.url,
            }
        )
        browsers = []

        class Browser(_ConsentAgreeingBrowser):
            consent_prefix = f"{self.emulator.url}/oauth2/authorize"

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                browsers.append(self)

        with mock.patch.object(odoo_test_common, "ChromeBrowser", Browser):
            self.start_tour(
                "/odoo/action-marketplace_connector.ebay_account_action",
                "marketplace_connector_connect_tour",
                login="admin",
            )
        self.assertTrue(browsers and browsers[0].agreed.is_set())
        account.invalidate_recordset()
        self.assertEqual(account.state, "connected")
        self.assertEqual(account.ebay_username, "emulator_seller")
        self.assertEqual(len(self.emulator.token_calls("authorization_code")), 1)
