"""The neutral test common: the emulator on loopback and what every channel's
tests share (companies and people, job running, stock, orders, the inbox).

The test command starts one emulator for the whole run and exports
``EBAY_EMULATOR_URL``, the server's switch that enables the emulator
environment; run alone, these tests start their own emulator process and
set that switch to it.  Every test begins with a reset emulator and ends by asserting that
no request broke the marketplace's contracts.  Each channel has its common
on this one (tests/ebay_common.py): its account, connection and fixtures.
"""

import atexit
import os
import time
from datetime import timedelta

from odoo import fields, http
from odoo.tests import new_test_user
from odoo.tests.common import HttpCase, TransactionCase

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from ..const import EMULATOR_URL_ENV, VAULT_KEYS_ENV
from ..emulator.client import (
    EbayEmulatorClient,
    contracts_options,
    query_of,  # noqa: F401  (the tests import it from here)
    start_process,
)
from ..models.res_config_settings import PARAM_PREFIX

_started = {}

# The emulator's one control client (pure Python, see emulator/client.py),
# under the names these tests use.
Emulator = EbayEmulatorClient


def start_emulator_process(options=None):
    """``(url, process)`` of an emulator started for these tests.

    ``options``: its contract options, by default ``--contracts`` with
    ``EBAY_CONTRACTS_DIR`` or ``../shared/ebay-contracts``; without contracts
    the emulator refuses to start (it never runs unchecked for these tests).
    """
    process, url = start_process(contracts_options() if options is None else options)
    atexit.register(process.terminate)
    return url, process


def checked(url):
    """``url`` once its emulator says it checks against eBay's contracts.

    Every test asserts "no contract violation"; against an emulator started
    with --no-contracts that proves nothing, so the tests refuse to run,
    whoever started the emulator.
    """
    EbayEmulatorClient(url).checked()
    return url


def emulator_url():
    if "url" not in _started:
        url = os.environ.get(EMULATOR_URL_ENV)
        url = url.rstrip("/") if url else start_emulator_process()[0]
        _started["url"] = checked(url)
        # What scripts/test.sh does for a whole run: the server's own switch
        # that enables the emulator environment at this (loopback) URL.
        os.environ[EMULATOR_URL_ENV] = _started["url"]
    return _started["url"]


ACCOUNT_LOGGER = (
    "odoo.addons.marketplace_connector.models.marketplace.marketplace_account"
)
USER_GROUPS = "base.group_user,marketplace_connector.group_marketplace_user"
MANAGER_GROUPS = "base.group_user,marketplace_connector.group_marketplace_manager"


def ago(**delta):
    return fields.Datetime.now() - timedelta(**delta)


def set_setting(env, name, value):
    """Set the connector's setting ``name`` (an ``ir.config_parameter``)."""
    env["ir.config_parameter"].sudo().set_param(PARAM_PREFIX + name, value)


class EmulatorMixin:
    """Reset the emulator before each test; fail on any contract violation.

    A channel's common registers what its personality needs (an application,
    a seller) in its own ``setUp``, after this one.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emulator = Emulator(emulator_url())

    def setUp(self):
        super().setUp()
        self.emulator.reset()
        self.addCleanup(self._assert_no_contract_violation)

    def _assert_no_contract_violation(self):
        violations = self.emulator.violations()
        self.assertEqual(
            violations,
            [],
            "requests or the emulator's answers broke the marketplace's contracts:\n"
            + "\n".join(
                f"{v['side']} {v['method']} {v['path']} ({v['operation']}): "
                f"{v['reason']}"
                for v in violations
            ),
        )


class MarketplaceCase(EmulatorMixin, TransactionCase):
    """A transaction test against the emulator; a channel's case adds its account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Token refreshes commit in a cursor of their own; in test mode that
        # cursor shares the test transaction, as HttpCase does for requests.
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        assert os.environ.get(VAULT_KEYS_ENV), "the test command sets vault keys"


class MarketplaceHttpCase(EmulatorMixin, HttpCase):
    """Real HTTP to this Odoo (controllers, Chromium tours) and the emulator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Parse every manifest once, here, before Chromium's parallel requests
        # do it in several server threads at once: CPython 3.11's ast is not
        # thread-safe ("AST constructor recursion depth mismatch").
        assert http.root.statics

    def setUp(self):
        # Links Odoo builds (OAuth callback, notification endpoint) must point
        # at this test server.
        self.env["ir.config_parameter"].sudo().set_param(
            "web.base.url", self.base_url()
        )
        super().setUp()


class StockMixin:
    """Storable products with stock in the main warehouse."""

    def _product(self, sku, name, qty, **values):
        product = self.env["product.product"].create(
            dict(
                {
                    "name": name,
                    "default_code": sku,
                    "is_storable": True,
                    "list_price": 19.9,
                },
                **values,
            )
        )
        self.env["stock.quant"]._update_available_quantity(
            product, self.env.ref("stock.stock_location_stock"), qty
        )
        return product

    def _set_stock(self, product, quantity):
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id", "=", self.env.ref("stock.stock_location_stock").id),
            ],
            limit=1,
        )
        quant.inventory_quantity = quantity
        quant.action_apply_inventory()


class OrderMixin:
    """The marketplace orders of ``self.account``."""

    def _orders(self):
        return self.env["marketplace.order"].search(
            [("account_id", "=", self.account.id)]
        )


class InboxMixin:
    """The notification inbox of an account and its processing jobs."""

    def _run_jobs(self):
        jobs = self.env["queue.job"].search(
            [
                ("state", "=", "pending"),
                ("method_name", "in", ("_job_process", "_job_process_notifications")),
            ]
        )
        for record in jobs:
            Job.load(self.env, record.uuid).perform()
        return jobs

    def _inbox(self, account=None):
        return self.env["marketplace.notification"].search(
            [("account_id", "=", (account or self.account).id)]
        )


class RunnerMixin:
    """Stored jobs run as queue_job's runner runs them."""

    def _jobs(self, method, states=("pending",)):
        return self.env["queue.job"].search(
            [("method_name", "=", method), ("state", "in", list(states))],
            order="id",
        )

    def _run_job(self, record):
        """What queue_job's runner does with a stored job (its eta ignored)."""
        RunJobController._runjob(self.env, Job.load(self.env, record.uuid))
        self.env.invalidate_all()
        return record

    def _run_chain(self, method, limit=30):
        """Run the pending jobs of ``method``, and the tries they queue, until
        none is left; how many ran.  ``limit`` stops a job that never ends."""
        runs = 0
        while runs < limit:
            pending = self._jobs(method)
            if not pending:
                return runs
            self._run_job(pending[0])
            runs += 1
        return runs

    def _eta_seconds(self, job):
        return (job.eta - fields.Datetime.now()).total_seconds()

    def _wait_for_call(self, path, status, count=1, seconds=15):
        """Wait until the emulator applied ``count`` calls of ``path``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            done = [c for c in self.emulator.calls(path=path) if c["status"] == status]
            if len(done) >= count:
                return done
            time.sleep(0.2)
        self.fail(f"the emulator did not apply {count} call(s) of {path}")


class ShippingMixin:
    """Deliveries of marketplace orders validated with a carrier and a
    tracking number, by whoever ships them."""

    def _ship(self, picking, quantities, tracking, carrier=None):
        """Validate ``picking`` with ``quantities`` by SKU (what is left goes
        to a backorder), carrier ``carrier`` (default ``self.carrier``); the
        jobs it queued are trapped."""
        picking.carrier_id = carrier or self.carrier
        picking.carrier_tracking_ref = tracking
        for move in picking.move_ids:
            move.quantity = quantities.get(move.product_id.default_code, 0)
            move.picked = True
        with trap_jobs() as trap:
            picking.with_context(
                cancel_backorder=False, skip_backorder=True
            )._action_done()
        return trap

    def _stock_clerk(self, login):
        """A warehouse user without any marketplace right."""
        return self.env["res.users"].create(
            {
                "name": "Warehouse clerk",
                "login": login,
                "email": f"{login}@example.com",
                "groups_id": [(6, 0, [self.env.ref("stock.group_stock_user").id])],
            }
        )


class TwoCompaniesMixin:
    """Company B beside the test's company A, with a Marketplace User and a
    Marketplace Manager who belong to B only.  A channel's common adds B's
    account and records (``_setup_company_b`` after ``super()``)."""

    def _setup_company_b(self):
        self.company_a = self.env.company
        self.company_b = self.env["res.company"].create({"name": "Shop B"})
        self.warehouse_b = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_b.id)], limit=1
        )
        people = {"company_id": self.company_b.id, "company_ids": self.company_b.ids}
        self.user_b = new_test_user(
            self.env, login="shop_b_user", groups=USER_GROUPS, **people
        )
        self.manager_b = new_test_user(
            self.env, login="shop_b_manager", groups=MANAGER_GROUPS, **people
        )
