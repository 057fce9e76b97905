"""What the Amazon order tests share, on the Amazon common
(tests/amazon_common.py): products with the SKUs the orders name, orders
bought in the emulator, and the poll run as the job runner runs it."""

from odoo.addons.queue_job.tests.common import trap_jobs

from .amazon_common import EMULATOR_SELLER, US, AmazonCase
from .common import OrderMixin, RunnerMixin, StockMixin

SEARCH_ORDERS = "^/orders/2026-01-01/orders$"
GET_ORDER = "^/orders/2026-01-01/orders/[^/]+$"
RDT = "^/tokens/2021-03-01/restrictedDataToken$"
POLL = "_job_amazon_poll_orders"


class AmazonOrderMixin(StockMixin, OrderMixin, RunnerMixin):
    """A tee and a mug in stock, bought on Amazon US."""

    def setUp(self):
        super().setUp()
        self.product = self._product("TEE-1", "Organic cotton tee", 10)
        self.mug = self._product("MUG-1", "Mug", 10)

    def _buy(self, lines, seller_id=EMULATOR_SELLER, marketplace_id=US, **kw):
        """An order in the emulator: ``lines`` ``[{"sku", "quantity",
        "price"}]`` (price per unit, default the product's 19.9); ``kw`` the
        order control's keywords (status, fulfilled_by, shipping, gift_wrap,
        tax, buyer, ship_to)."""
        items = [dict({"quantity": 1, "price": 19.9}, **line) for line in lines]
        return self.emulator.create_order(
            marketplace_id, items, seller_id=seller_id, **kw
        )

    def _poll(self, account=None):
        """One run of the account's poll job; the jobs it enqueued (trap)."""
        with trap_jobs() as trap:
            self.result = (account or self.account)._job_amazon_poll_orders()
        return trap

    def _usps_carrier(self):
        """A delivery method mapped to Amazon's carrier USPS."""
        return self.env["delivery.carrier"].create(
            {
                "name": "USPS Priority",
                "delivery_type": "fixed",
                "product_id": self.env["product.product"]
                .create({"name": "USPS shipping", "type": "service"})
                .id,
                "amazon_carrier_code": "USPS",
            }
        )

    def _order(self, remote_order_id, account=None):
        return self.env["marketplace.order"].search(
            [
                ("account_id", "=", (account or self.account).id),
                ("remote_order_id", "=", remote_order_id),
            ]
        )

    def _calls(self, path, status=None):
        return [
            c
            for c in self.emulator.calls(path=path)
            if status is None or c["status"] == status
        ]


class AmazonOrderCase(AmazonOrderMixin, AmazonCase):
    """A transaction test with a connected Amazon account and its products."""
