"""What the browser tours share: the seller's one click on the marketplace's
own consent page, and the stored jobs run as queue_job's runner runs them
between two tours.

Odoo tours only run on Odoo's pages; a marketplace's consent page is
another origin, so a watcher clicks its button through the DevTools
connection the tour runner uses, and the tour resumes when the marketplace
sends the browser back to Odoo.
"""

import contextlib
import json
import threading
import time
from unittest import mock
from urllib.parse import quote

from odoo import fields
from odoo.tests import common as odoo_test_common

from .common import RunnerMixin

# The buttons of the emulators' consent pages (emulator/ebay/oauth.py,
# emulator/amazon/lwa.py).
EBAY_AGREE = "ebay-emulator-agree"
AMAZON_CONFIRM = "amazon-emulator-confirm"
# The demo's delivery method, known to both marketplaces' carriers
# (demo/delivery_carrier_demo.xml).
DEMO_CARRIER = "marketplace_connector.delivery_carrier_demo_usps_priority"


class ConsentClickingBrowser(odoo_test_common.ChromeBrowser):
    """Odoo's test Chromium, plus one click on the consent page's button
    (``button_id``) once the browser is on a page under ``consent_prefix``."""

    consent_prefix = None
    button_id = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.clicked = threading.Event()
        self._watcher = threading.Thread(target=self._click_consent, daemon=True)
        self._watcher.start()

    def _evaluate(self, expression):
        answer = self._websocket_request(
            "Runtime.evaluate",
            params={"expression": expression, "returnByValue": True},
            timeout=5,
        )
        return (answer or {}).get("result", {}).get("value")

    def _click_consent(self):
        deadline = time.monotonic() + 90
        button = f"document.getElementById('{self.button_id}')"
        while time.monotonic() < deadline and self.ws is not None:
            try:
                href = self._evaluate("location.href") or ""
                if href.startswith(self.consent_prefix) and self._evaluate(
                    f"!!{button}"
                ):
                    self._evaluate(f"{button}.click()")
                    self.clicked.set()
                    return
            except Exception:  # page navigating; look again
                pass
            time.sleep(0.2)


@contextlib.contextmanager
def consent_clicking_browser(consent_prefix, button_id):
    """Tours started inside run in a browser that clicks ``button_id`` on the
    consent page; yields the list of those browsers (to check the click)."""
    browsers = []
    prefix, button = consent_prefix, button_id

    class Browser(ConsentClickingBrowser):
        consent_prefix = prefix
        button_id = button

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            browsers.append(self)

    with mock.patch.object(odoo_test_common, "ChromeBrowser", Browser):
        yield browsers


class NewcomerTourMixin(RunnerMixin):
    """A journey in several tours, with the world's part run between them.

    ``EXPECTED_COOKIE`` names the cookie a tour reads what its screens must
    show from (the test reads it from the records and the emulator).
    """

    EXPECTED_COOKIE = None

    def setUp(self):
        super().setUp()
        self._build_web_client_assets()

    def _build_web_client_assets(self):
        """Build the web client's asset bundles before the first tour, in
        the test's transaction as the first page would: Odoo gives a tour 60
        seconds to be ready, and building them on a loaded machine takes
        most of that."""
        for bundle, kinds in (
            ("web.assets_web", ("css", "js")),
            ("web.assets_tests", ("js",)),
            ("web.assets_web_print", ("css",)),
            ("bus.websocket_worker_assets", ("js",)),
            # The dashboard's graphs load it when they first draw.
            ("web.chartjs_lib", ("js",)),
        ):
            assets = self.env["ir.qweb"]._get_asset_bundle(bundle)
            for kind in kinds:
                getattr(assets, kind)()

    def _tour(self, url, name, **expected):
        self.start_tour(
            url,
            name,
            login="admin",
            cookies={self.EXPECTED_COOKIE: quote(json.dumps(expected))},
        )

    def _ship_and_read_dashboard(self, order, tours, url, tracking, **shown):
        """The journey's end, the same on every channel, from ``url``: the
        listing (what its form must show: ``shown``), the buyer's ``order`` and its sale
        order, the delivery shipped with the demo's delivery method and
        ``tracking`` (tour ``<tours>_order_tour``), the tracking sent by the
        queued job, then the dashboard (``<tours>_shipped_tour``).  Returns
        the delivery; the marketplace's side of the tracking is the
        channel's to check."""
        sale = order.sale_order_id
        self.assertTrue(sale)
        carrier = self.env.ref(DEMO_CARRIER)
        self._tour(
            url,
            f"{tours}_order_tour",
            order_id=order.remote_order_id,
            sale_order=sale.name,
            carrier=carrier.name,
            tracking=tracking,
            **shown,
        )
        picking = sale.picking_ids
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.carrier_id, carrier)
        self.assertEqual(picking.carrier_tracking_ref, tracking)
        self.assertEqual(picking.marketplace_tracking_state, "queued")
        self._run_queued_jobs()
        self.assertEqual(picking.marketplace_tracking_state, "sent")
        self._tour(
            f"/odoo/action-stock.action_picking_tree_all/{picking.id}",
            f"{tours}_shipped_tour",
        )
        return picking

    def _run_queued_jobs(self, limit=50, due_only=False):
        """Run the queued jobs as the demo's job runner does, oldest first,
        until none is left; how many ran.  ``limit`` stops jobs that never
        end.  ``due_only`` leaves the jobs whose eta is still ahead, as the
        runner does (a later call without it runs them: time passed)."""
        domain = [("state", "=", "pending")]
        if due_only:
            domain += ["|", ("eta", "=", False), ("eta", "<=", fields.Datetime.now())]
        for runs in range(limit):
            pending = self.env["queue.job"].search(domain, order="id", limit=1)
            if not pending:
                return runs
            self._run_job(pending)
        self.fail(f"the queued jobs did not come to an end after {limit} runs")
