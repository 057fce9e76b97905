"""A seller's day under faults of every kind on every eBay path (issue 10).

Purchases, a stock receipt, a cancellation and deliveries with tracking go
on while the emulator answers about one eBay call in five with a 429, a
500, a 503, a dropped connection (before or after eBay applied the write)
or a delay.  The jobs run as queue_job's runner runs them, their retries
too (their eta compressed: the test does not wait for backoffs).  Then the
faults stop, and what the seller must be able to rely on is asserted:

* one sale order per eBay order, and the cancelled one cancelled;
* tracking on eBay exactly once per shipment;
* zero drift once everything has settled;
* no failed job without a dead letter;
* zero contract violations (asserted after every test, see common.py).
"""

import time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RunnerMixin
from .ebay_common import OrderCase

EBAY_PATHS = "^/(sell|commerce|identity)/"
# One fault per kind; each draws on its own, so about one call in five is hit.
FAULTS = [
    {"kind": "429", "retry_after": 1},
    {"kind": "500"},
    {"kind": "503"},
    {"kind": "drop"},
    {"kind": "drop", "applied": True},
    {"kind": "slow", "delay": 0.05},
]
RATE_PER_KIND = 0.036  # 1 - (1 - 0.036) ** 6 is about 0.2
TIMEOUT_PARAM = "marketplace_connector.call_timeout_seconds"
MUTED = (
    "odoo.addons.marketplace_connector.ebay.client",
    "odoo.addons.marketplace_connector.models.marketplace.job_edge",
    "odoo.addons.queue_job.controllers.main",
    "odoo.addons.marketplace_connector.models.marketplace.marketplace_order",
    "odoo.addons.marketplace_connector.models.marketplace.marketplace_account",
)


@tagged("post_install", "-at_install")
class TestChaos(RunnerMixin, OrderCase):
    def setUp(self):
        super().setUp()
        self.carrier = self._usps_carrier()
        # A write given up on may still land: its values are sent again one
        # timeout later.  A short timeout lets that happen within the test.
        self.env["ir.config_parameter"].sudo().set_param(TIMEOUT_PARAM, "1")

    # -- the runner ------------------------------------------------------------
    def _drain(self, limit=400):
        """Run every waiting job, and the tries and pushes they queue, until
        none is left (eta ignored); how many ran.  ``limit`` bounds a job
        that would queue itself forever, and the test then fails."""
        runs = 0
        while runs < limit:
            pending = self.env["queue.job"].search(
                [("state", "in", ("pending", "enqueued"))], order="id", limit=1
            )
            if not pending:
                return runs
            try:
                self._run_job(pending)
            except Exception:
                self.env.invalidate_all()
                self.assertEqual(pending.state, "failed")
            runs += 1
        self.fail(f"jobs still queued after {limit} runs: a job retries forever")

    def _day(self, rounds=4):
        """What the crons do during the day: poll orders, drain the queue."""
        for _round in range(rounds):
            self.env["marketplace.account"]._cron_poll_orders()
            self._drain()

    def _faults_on(self):
        for seed, fault in enumerate(FAULTS):
            self.emulator.fault(
                EBAY_PATHS, times=-1, rate=RATE_PER_KIND, seed=seed, **fault
            )

    def _ship(self, picking, tracking):
        picking.carrier_id = self.carrier
        picking.carrier_tracking_ref = tracking
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.with_context(cancel_backorder=True)._action_done()

    def _fulfillments(self, order_id):
        client = self.account._ebay_client()
        path = f"/sell/fulfillment/v1/order/{order_id}/shipping_fulfillment"
        return client.request("GET", path).data.get("fulfillments") or []

    def _receive(self, product, quantity):
        """Goods counted in, as a warehouse worker applies an inventory."""
        stock = self.env.ref("stock.stock_location_stock")
        quant = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id", "=", stock.id)],
            limit=1,
        )
        quant.inventory_quantity = quant.quantity + quantity
        quant.action_apply_inventory()

    # -- the day ---------------------------------------------------------------
    @mute_logger(*MUTED)
    def test_a_day_under_faults_loses_nothing_and_doubles_nothing(self):
        self._faults_on()
        bought = [
            self._buy(lines)
            for lines in (
                [{"sku": "TSHIRT-1", "quantity": 1}],
                [{"sku": "MUG-1", "quantity": 2}],
                [{"sku": "TSHIRT-1", "quantity": 1}, {"sku": "MUG-1", "quantity": 1}],
                [{"sku": "MUG-1", "quantity": 1}],
                [{"sku": "TSHIRT-1", "quantity": 2}],
                [{"sku": "MUG-1", "quantity": 1}],
            )
        ]
        order_ids = [data["orderId"] for data in bought]
        self._receive(self.product, 5)  # a stock receipt while orders arrive
        self._day()
        # One buyer cancels before shipping; the rest is shipped with tracking.
        cancelled = order_ids[3]
        self.emulator._call("POST", f"orders/{cancelled}/cancel")
        self._day()
        orders = self._orders()
        shipments = {}
        for order in orders.filtered(lambda o: o.remote_order_id != cancelled):
            picking = order.sale_order_id.picking_ids.filtered(
                lambda p: p.state not in ("done", "cancel")
            )
            self.assertEqual(len(picking), 1, order.remote_order_id)
            tracking = f"CHAOS-{order.remote_order_id}"
            self._ship(picking, tracking)
            shipments[order.remote_order_id] = (picking, tracking)
        self._receive(self.mug, 3)
        self._day()

        # The faults really happened, on every kind of eBay work.
        hit = [
            c
            for c in self.emulator.calls(path=EBAY_PATHS)
            if c["status"] in (0, 429, 500, 503)
        ]
        self.assertGreater(len(hit), 10, "the faults hit too few calls to count")
        self.assertTrue(any(c["status"] == 0 for c in hit), "no dropped call")

        # Quiescence: no more faults, a second past the timeout (lost answers
        # may be settled), the crons of the night, the queue drained.
        self.emulator.clear_faults()
        time.sleep(1.5)
        Account = self.env["marketplace.account"]
        Account._cron_push_stock_safety()
        self._day(rounds=1)
        Account._cron_reconcile()
        self._drain()
        Account._cron_reconcile()  # what the repair pushed is seen as it is
        self._drain()

        # One sale order per eBay order; the cancelled one cancelled.
        orders = self._orders()
        self.assertEqual(sorted(orders.mapped("remote_order_id")), sorted(order_ids))
        for order_id in order_ids:
            sales = self.env["sale.order"].search([("client_order_ref", "=", order_id)])
            self.assertEqual(len(sales), 1, order_id)
        cancelled_sale = orders.filtered(
            lambda o: o.remote_order_id == cancelled
        ).sale_order_id
        self.assertEqual(cancelled_sale.state, "cancel")

        # Tracking on eBay exactly once per shipment.
        for order_id, (picking, tracking) in shipments.items():
            self.assertEqual(picking.marketplace_tracking_state, "sent", order_id)
            numbers = [
                f.get("shipmentTrackingNumber") for f in self._fulfillments(order_id)
            ]
            self.assertEqual(numbers, [tracking], order_id)

        # Zero drift: eBay shows what Odoo wants, and nothing is left open.
        for listing in self.env["ebay.listing"].search(
            [("account_id", "=", self.account.id)]
        ):
            offer = self._api().get_offer(listing.offer_id)
            wanted = self.account._target_quantity(listing.product_id)
            self.assertEqual(offer["availableQuantity"], wanted, listing.sku)
            self.assertFalse(listing.push_pending, listing.sku)
        open_drift = self.env["marketplace.drift"].search(
            [("account_id", "=", self.account.id), ("state", "=", "open")]
        )
        self.assertFalse(open_drift, open_drift.mapped("field"))

        # No failed job without a dead letter.
        failed = self.env["queue.job"].search([("state", "=", "failed")])
        letters = self.env["marketplace.dead.letter"].search(
            [("res_model", "=", "queue.job"), ("res_id", "in", failed.ids)]
        )
        self.assertEqual(set(letters.mapped("res_id")), set(failed.ids))
