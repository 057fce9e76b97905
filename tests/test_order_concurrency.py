"""A notification and a poll delivering the same order at the same moment
give one sale order.

Both are real jobs: the order poll (``_job_poll_orders``, as the cron queues
it) and the processing of a stored ORDER_CONFIRMATION
(``_job_process_notifications``, as the endpoint queues it),
each run as queue_job's runner runs a job, in a thread of its own with a
real database connection of its own, as two job workers do.  So this test
runs outside Odoo's test transaction: what it commits is removed afterwards.
"""

import json
import unittest
import uuid

from cryptography.fernet import Fernet

from odoo.modules.registry import Registry
from odoo.tests.common import get_db_name

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import Emulator, emulator_url
from .concurrency_common import ConcurrentJobsMixin
from .ebay_common import EbayAccountMixin, SellerMixin

SKU = "RACE-1"
GET_ORDERS = "^/sell/fulfillment/v1/order$"
GET_ORDER = "^/sell/fulfillment/v1/order/[^/]+$"
# eBay answers each job's read of the order this slowly: both jobs have
# begun their transaction before either can commit, so they really meet in
# the database instead of running one after the other.
SLOW_SECONDS = 2


class TestConcurrentImport(
    ConcurrentJobsMixin, SellerMixin, EbayAccountMixin, unittest.TestCase
):
    CLIENT_ID = "odoo-race-app"
    RU_NAME = "odoo-race-runame"

    def setUp(self):
        self.registry = Registry(get_db_name())
        self.emulator = Emulator(emulator_url())
        self.emulator.reset()
        # A secret for this run only: never a fixture.
        self.client_secret = Fernet.generate_key().decode()
        self.emulator.register_app(
            self.CLIENT_ID,
            self.client_secret,
            self.RU_NAME,
            "http://127.0.0.1/ebay/oauth/callback",
        )
        self.account_id = None
        self.job_uuids = []
        with self.registry.cursor() as cr:
            cr.execute("SELECT coalesce(max(id), 0) FROM queue_job")
            self.last_job_before = cr.fetchone()[0]
        self.addCleanup(self._cleanup)
        self.addCleanup(self._assert_no_contract_violation)
        with self._env() as env:
            partner = env.ref("stock.warehouse0").partner_id
            self.warehouse_address = {
                "zip": partner.zip,
                "country_id": partner.country_id.id,
                "city": partner.city,
            }
            # Committed before the seller set-up: the token refreshes it
            # triggers run in transactions of their own and must see it.
            warehouse = self._seller_warehouse()
            self.account_id = self._new_account(
                name="Race seller", warehouse_id=warehouse.id
            ).id
        with self._env() as env:
            account = self._connect(env["marketplace.account"].browse(self.account_id))
            self._set_up_seller(account)
            self.account = account  # SellerMixin works on self.account
            listing = self._listing(self._product(SKU, "Race item", 5))
            with trap_jobs():  # run below, as the job would
                listing.action_publish()
            self._run(listing)
            self.assertEqual(listing.state, "published", listing.last_error)
            del self.account

    def _assert_no_contract_violation(self):
        self.assertEqual(self.emulator.violations(), [], "eBay's contracts broken")

    def _cleanup(self):
        with self._env() as env:
            env.ref("stock.warehouse0").partner_id.write(self.warehouse_address)
            # Whatever this test queued (committed, unlike other tests' jobs).
            env["queue.job"].search([("id", ">", self.last_job_before)]).unlink()
            if not self.account_id:
                return
            account = env["marketplace.account"].browse(self.account_id)
            orders = env["marketplace.order"].search([("account_id", "=", account.id)])
            sales = orders.sale_order_id
            partners = sales.partner_id | sales.partner_shipping_id
            orders.unlink()
            sales.unlink()
            partners.unlink()
            listings = env["ebay.listing"].search([("account_id", "=", account.id)])
            products = listings.product_id
            listings.unlink()
            env["stock.quant"].sudo().search(
                [("product_id", "in", products.ids)]
            ).unlink()
            products.product_tmpl_id.unlink()
            account.unlink()

    # -- the test ------------------------------------------------------------------
    def test_two_workers_one_sale_order(self):
        # Unpaid: the sale order stays a quotation (nothing to deliver).
        order = self.emulator._call(
            "POST",
            "purchase",
            json={
                "lines": [{"sku": SKU, "quantity": 1}],
                "buyer": {"username": "race_buyer"},
                "paid": False,
                "notify": False,
            },
        )
        with self._env() as env:
            account = env["marketplace.account"].browse(self.account_id)
            # The notification as the endpoint stores and queues it...
            notification = env["marketplace.notification"].create(
                {
                    "account_id": account.id,
                    "notification_id": str(uuid.uuid4()),
                    "topic": "ORDER_CONFIRMATION",
                    "data": json.dumps({"orderId": order["orderId"]}),
                }
            )
            notification._enqueue()
            # ... and the poll as the cron queues it.
            env["marketplace.account"]._cron_poll_orders()
            jobs = env["queue.job"].search([("state", "=", "pending")])
            jobs = jobs.filtered(lambda job: job.records in (notification, account))
            self.job_uuids = jobs.mapped("uuid")
            self.assertEqual(
                sorted(jobs.mapped("method_name")),
                ["_job_poll_orders", "_job_process_notifications"],
            )
            names = {job.uuid: job.method_name for job in jobs}
        self.emulator.fault(GET_ORDERS, "slow", delay=SLOW_SECONDS)
        self.emulator.fault(GET_ORDER, "slow", delay=SLOW_SECONDS)

        # The jobs met: one of them found the order claimed by the other, was
        # sent back once, and its second run took the order as it was.
        self._run_together(names)
        reads = self.emulator.calls(path=f"{GET_ORDERS}|{GET_ORDER}")
        self.assertEqual({c["status"] for c in reads}, {200})

        with self._env() as env:
            _orders, sales = self._one_sale_order(
                env, self.account_id, order["orderId"]
            )
            self.assertEqual(sales.order_line.product_id.default_code, SKU)
            self.assertEqual(sales.order_line.product_uom_qty, 1)
            notification = env["marketplace.notification"].search(
                [("account_id", "=", self.account_id)]
            )
            self.assertEqual(notification.state, "done")
            self.assertIn("imported", notification.result)
            account = env["marketplace.account"].browse(self.account_id)
            self.assertTrue(account.last_order_poll)
            self.assertFalse(account.order_poll_error)
