"""The Amazon order poll and an import by id (a notification's) delivering
the same order at the same moment give one sale order.

Both are real jobs (``_job_amazon_poll_orders`` as the cron queues it,
``_job_amazon_import_orders`` as notification processing would), each run
as queue_job's runner runs a job, in a thread of its own with a database
connection of its own, as two job workers do.  So this test runs outside
Odoo's test transaction: what it commits is removed afterwards (the shape
of tests/test_order_concurrency.py, eBay's).
"""

import unittest

from cryptography.fernet import Fernet

from odoo.modules.registry import Registry
from odoo.tests.common import get_db_name

from ..emulator.client import AmazonEmulatorClient
from ..models.amazon.amazon_environment import OAUTH_CALLBACK_PATH
from .amazon_common import US, AmazonAccountMixin, amazon_emulator_url
from .amazon_order_common import GET_ORDER, SEARCH_ORDERS
from .concurrency_common import ConcurrentJobsMixin

SKU = "AMZ-RACE-1"
# Amazon answers each job's read of the order this slowly: both jobs have
# begun their transaction before either can commit.
SLOW_SECONDS = 2


class TestAmazonConcurrentImport(
    ConcurrentJobsMixin, AmazonAccountMixin, unittest.TestCase
):
    CLIENT_ID = "amzn1.application-oa2-client.odoo-race"
    APPLICATION_ID = "amzn1.sp.solution.odoo-race"

    def setUp(self):
        self.registry = Registry(get_db_name())
        self.emulator = AmazonEmulatorClient(amazon_emulator_url())
        self.emulator.reset()
        # A secret for this run only: never a fixture.
        self.client_secret = Fernet.generate_key().decode()
        self.account_id = None
        self.product_id = None
        with self.registry.cursor() as cr:
            cr.execute("SELECT coalesce(max(id), 0) FROM queue_job")
            self.last_job_before = cr.fetchone()[0]
        self.addCleanup(self._cleanup)
        self.addCleanup(self._assert_no_contract_violation)
        with self._env() as env:
            base = env["ir.config_parameter"].sudo().get_param("web.base.url")
            self.emulator.add_app(
                self.CLIENT_ID,
                self.client_secret,
                self.APPLICATION_ID,
                base.rstrip("/") + OAUTH_CALLBACK_PATH,
            )
            # Committed before the consent: the token refreshes run in
            # transactions of their own and must see it.
            self.account_id = self._new_account(name="Amazon race seller").id
            self.product_id = (
                env["product.product"]
                .create({"name": "Race item", "default_code": SKU, "is_storable": True})
                .id
            )
        with self._env() as env:
            self._connect(env["marketplace.account"].browse(self.account_id))

    def _assert_no_contract_violation(self):
        self.assertEqual(self.emulator.violations(), [], "Amazon's models broken")

    def _cleanup(self):
        with self._env() as env:
            env["queue.job"].search([("id", ">", self.last_job_before)]).unlink()
            if self.account_id:
                account = env["marketplace.account"].browse(self.account_id)
                orders = env["marketplace.order"].search(
                    [("account_id", "=", account.id)]
                )
                sales = orders.sale_order_id
                partners = sales.partner_id | sales.partner_shipping_id
                sales.with_context(disable_cancel_warning=True)._action_cancel()
                orders.unlink()
                sales.unlink()
                partners.unlink()
                account.unlink()
            if self.product_id:
                env["product.product"].browse(self.product_id).product_tmpl_id.unlink()

    def test_poll_and_import_by_id_make_one_sale_order(self):
        # Fulfilled by Amazon: a confirmed sale order and no picking to undo.
        order = self.emulator.create_order(
            US, [{"sku": SKU, "quantity": 1, "price": 5}], fulfilled_by="AMAZON"
        )
        with self._env() as env:
            account = env["marketplace.account"].browse(self.account_id)
            env["marketplace.account"]._cron_poll_orders()
            account.with_delay()._job_amazon_import_orders([order["orderId"]])
            jobs = env["queue.job"].search(
                [("id", ">", self.last_job_before), ("state", "=", "pending")]
            )
            jobs = jobs.filtered(lambda job: job.records == account)
            names = {job.uuid: job.method_name for job in jobs}
            self.assertEqual(
                sorted(names.values()),
                ["_job_amazon_import_orders", "_job_amazon_poll_orders"],
            )
        self.emulator.fault(GET_ORDER, "slow", delay=SLOW_SECONDS, times=2)

        # The jobs met: one found the order claimed by the other, was sent
        # back once, and its second run took the order as it was.
        self._run_together(names)
        reads = self.emulator.calls(path=f"{SEARCH_ORDERS}|{GET_ORDER}")
        self.assertEqual({c["status"] for c in reads}, {200})

        with self._env() as env:
            _orders, sales = self._one_sale_order(
                env, self.account_id, order["orderId"]
            )
            self.assertEqual(sales.state, "sale")
            account = env["marketplace.account"].browse(self.account_id)
            self.assertTrue(account.last_order_poll)
            self.assertFalse(account.order_poll_error)
