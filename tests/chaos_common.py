"""A seller's day under faults, written once for every channel (issues 10
and 13).

Purchases, a stock receipt, a cancellation and deliveries with tracking go
on while the channel's emulator answers about one call in five with a 429,
a 500, a 503, a dropped connection (before or after the marketplace applied
the write) or a delay.  The jobs run as queue_job's runner runs them, their
retries too (their eta compressed: the test does not wait for backoffs).
Then the faults stop, and what the seller must be able to rely on is
asserted:

* one sale order per marketplace order, and the cancelled one cancelled;
* tracking on the marketplace exactly once per shipment;
* zero drift once everything has settled;
* no failed job without a dead letter;
* zero contract violations (asserted after every test, see common.py).

:class:`ChaosDayMixin` is the day and its assertions; a channel's test
(tests/test_chaos.py for eBay, tests/test_amazon_chaos.py for Amazon) puts
it on its order case and answers the hooks: how a buyer buys and cancels,
which paths the faults hit, what the crons of the day are, what the
marketplace does on its own between jobs, how tracking is read back and
how the listings are compared with what Odoo wants.
"""

import time

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.job import Job

from .common import RunnerMixin

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
# Statuses of the calls a fault hit (0: the connection was dropped).
FAULTED = (0, 429, 500, 503)
# Expected warnings of every channel: failed calls at the job edge, orders
# and accounts that log their retries, queue_job's failed jobs.
MUTED = (
    "odoo.addons.marketplace_connector.models.marketplace.job_edge",
    "odoo.addons.queue_job.controllers.main",
    "odoo.addons.marketplace_connector.models.marketplace.marketplace_order",
    "odoo.addons.marketplace_connector.models.marketplace.marketplace_account",
)


class ChaosDayMixin(RunnerMixin):
    """The day under faults; the channel's case answers the hooks below."""

    # A regular expression of the channel's API paths, which the faults hit.
    CHAOS_PATHS = None

    def setUp(self):
        super().setUp()
        self.carrier = self._chaos_carrier()
        # A write given up on may still land: its values are sent again one
        # timeout later.  A short timeout lets that happen within the test.
        self.env["ir.config_parameter"].sudo().set_param(TIMEOUT_PARAM, "1")

    # -- the channel's hooks -----------------------------------------------------
    def _chaos_products(self):
        """The two published products the buyers buy (SKU = default code)."""
        raise NotImplementedError

    def _chaos_buy(self, lines):
        """A buyer buys ``lines`` ({"sku", "quantity"}); the order's id."""
        raise NotImplementedError

    def _chaos_cancel(self, order_id):
        """The buyer cancels ``order_id`` on the marketplace before shipping."""
        raise NotImplementedError

    def _chaos_crons(self):
        """What the channel's crons do in a round of the day (poll orders,
        read notifications): they enqueue, the drain runs."""
        raise NotImplementedError

    def _chaos_marketplace_works(self):
        """What the marketplace does on its own between two jobs (process
        submitted work); nothing by default."""

    def _chaos_carrier(self):
        """A delivery method mapped to one of the marketplace's carriers."""
        raise NotImplementedError

    def _chaos_tracking_numbers(self, order_id):
        """The tracking numbers the marketplace holds for ``order_id``."""
        raise NotImplementedError

    def _chaos_assert_listings_match(self):
        """Assert that every listing shows what Odoo wants, none left to push."""
        raise NotImplementedError

    # -- the runner ------------------------------------------------------------
    # Jobs that queue their next run as they end and then wait at the
    # marketplace (Amazon's SQS receive): the crons' turn runs them
    # (``_chaos_crons``), the drain leaves them queued, or it never ends.
    CHAOS_STANDING_JOBS = ()

    def _drain(self, limit=400):
        """Run every waiting job, and the tries and pushes they queue, until
        none is left (eta ignored; :attr:`CHAOS_STANDING_JOBS` aside); how
        many ran.  ``limit`` bounds a job that would queue itself forever,
        and the test then fails."""
        runs = 0
        while runs < limit:
            self._chaos_marketplace_works()
            pending = self.env["queue.job"].search(
                [
                    ("state", "in", ("pending", "enqueued")),
                    ("method_name", "not in", self.CHAOS_STANDING_JOBS),
                ],
                order="id",
                limit=1,
            )
            if not pending:
                return runs
            try:
                self._run_started(pending)
            except Exception:
                # A failed job's transaction does not commit: what it meant
                # to run after its commit never runs.
                self.env.cr.postcommit.clear()
                self.env.invalidate_all()
                self.assertEqual(pending.state, "failed")
            runs += 1
        self.fail(f"jobs still queued after {limit} runs: a job retries forever")

    def _run_started(self, record):
        """Run a stored job as the runner does: marked started first
        (``RunJobController._acquire_job``), so that a job enqueueing its
        own next run under its identity key is not taken for a duplicate of
        itself (queue_job only matches waiting jobs); then what its commit
        runs (the runner commits; a test transaction does not)."""
        job = Job.load(self.env, record.uuid)
        job.set_started()
        job.store()
        RunJobController._runjob(self.env, job)
        self.env.cr.postcommit.run()
        self.env.invalidate_all()

    def _day(self, rounds=4):
        """What the crons do during the day, the queue drained after each."""
        for _round in range(rounds):
            self._chaos_crons()
            self._drain()

    def _faults_on(self):
        for seed, fault in enumerate(FAULTS):
            self.emulator.fault(
                self.CHAOS_PATHS, times=-1, rate=RATE_PER_KIND, seed=seed, **fault
            )

    def _ship(self, picking, tracking):
        picking.carrier_id = self.carrier
        picking.carrier_tracking_ref = tracking
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.with_context(cancel_backorder=True)._action_done()

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
    def _a_day_under_faults(self):
        """The day, then its assertions (the channel's test runs it under
        ``mute_logger`` of :data:`MUTED` and its own loggers)."""
        first, second = self._chaos_products()
        a, b = first.default_code, second.default_code
        self._faults_on()
        order_ids = [
            self._chaos_buy(lines)
            for lines in (
                [{"sku": a, "quantity": 1}],
                [{"sku": b, "quantity": 2}],
                [{"sku": a, "quantity": 1}, {"sku": b, "quantity": 1}],
                [{"sku": b, "quantity": 1}],
                [{"sku": a, "quantity": 2}],
                [{"sku": b, "quantity": 1}],
            )
        ]
        self._receive(first, 5)  # a stock receipt while orders arrive
        self._day()
        # One buyer cancels before shipping; the rest is shipped with tracking.
        cancelled = order_ids[3]
        self._chaos_cancel(cancelled)
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
        self._receive(second, 3)
        self._day()

        # The faults really happened, on every kind of the channel's work.
        hit = [
            c
            for c in self.emulator.calls(path=self.CHAOS_PATHS)
            if c["status"] in FAULTED
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

        # One sale order per marketplace order; the cancelled one cancelled.
        orders = self._orders()
        self.assertEqual(sorted(orders.mapped("remote_order_id")), sorted(order_ids))
        for order_id in order_ids:
            sales = self.env["sale.order"].search([("client_order_ref", "=", order_id)])
            self.assertEqual(len(sales), 1, order_id)
        cancelled_sale = orders.filtered(
            lambda o: o.remote_order_id == cancelled
        ).sale_order_id
        self.assertEqual(cancelled_sale.state, "cancel")

        # Tracking on the marketplace exactly once per shipment.
        for order_id, (picking, tracking) in shipments.items():
            self.assertEqual(picking.marketplace_tracking_state, "sent", order_id)
            self.assertEqual(
                self._chaos_tracking_numbers(order_id), [tracking], order_id
            )

        # Zero drift: the marketplace shows what Odoo wants, nothing left open.
        self._chaos_assert_listings_match()
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
        return order_ids
