import logging

from odoo.exceptions import AccessError
from odoo.tools import mute_logger

from ..amazon.tokens import TokensApi, order_resource
from .amazon_common import AmazonTwoCompaniesMixin
from .amazon_order_common import GET_ORDER, RDT, AmazonOrderCase

ORDERS_LOGGER = (
    "odoo.addons.marketplace_connector.models.amazon.marketplace_account_orders"
)
# Where a token could land: the connector's tables, the job queue, the
# chatter and the logs kept in the database, the records the import writes.
SCANNED_TABLES = (
    "marketplace_%",
    "queue_job%",
    "mail_message",
    "mail_tracking_value",
    "ir_logging",
    "sale_order%",
    "res_partner",
)


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.texts = []

    def emit(self, record):
        self.texts.append(record.getMessage())


class TestAmazonRestrictedDataToken(AmazonOrderCase):
    def _token_prefix(self, order_id):
        """What every RDT of the emulator starts with, learnt from one asked
        for here (after the counts are checked)."""
        token = TokensApi(self.account._amazon_client()).restricted_data_token(
            [order_resource(order_id)]
        )
        self.assertIn("|", token)
        return token[: token.index("|") + 1]

    def _rows_holding(self, text):
        cr = self.env.cr
        cr.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
             WHERE table_schema = 'public'
               AND data_type IN ('text', 'character varying', 'jsonb')
               AND table_name LIKE ANY(%s)
            """,
            (list(SCANNED_TABLES),),
        )
        found = []
        for table, column in cr.fetchall():
            cr.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}"::text LIKE %s',
                (f"%{text}%",),
            )
            if cr.fetchone()[0]:
                found.append(f"{table}.{column}")
        return found

    def test_token_is_asked_for_the_imported_orders_only(self):
        known = self._buy([{"sku": "TEE-1"}])
        self._poll()
        self.assertEqual(self.emulator.restricted_tokens()["count"], 1)
        # The known order changes; two new orders to ship; one pending.
        self.emulator.cancel_order(known["orderId"])
        new = [self._buy([{"sku": "TEE-1"}]) for _ in range(2)]
        pending = self._buy([{"sku": "MUG-1"}], status="PENDING")
        self._poll()
        issued = self.emulator.restricted_tokens()
        self.assertEqual(issued["count"], 2, "one token for the batch")
        resources = issued["tokens"][1]["resources"]
        self.assertEqual(
            sorted(r["path"] for r in resources),
            sorted(f"/orders/2026-01-01/orders/{o['orderId']}" for o in new),
        )
        self.assertEqual(
            {tuple(r["dataElements"]) for r in resources},
            {("buyerInfo", "shippingAddress")},
        )
        self.assertEqual(self._order(known["orderId"]).state, "cancelled")
        self.assertEqual(self._order(pending["orderId"]).state, "waiting")
        # getOrder for the new ones only: the others came with the page.
        read = {c["path"].rsplit("/", 1)[1] for c in self._calls(GET_ORDER)}
        self.assertEqual(read, {known["orderId"]} | {o["orderId"] for o in new})

    def test_token_is_stored_logged_and_queued_nowhere(self):
        data = self._buy([{"sku": "TEE-1"}])
        other = self._buy([{"sku": "MUG-1"}])
        records = _Records()
        root = logging.getLogger()
        root.addHandler(records)
        try:
            self._poll()
            # The same through a stored job, as the runner runs it.
            job = self.account.with_delay()._job_amazon_import_orders(
                [other["orderId"], data["orderId"]]
            )
            self._run_job(job.db_record())
        finally:
            root.removeHandler(records)
        self.assertEqual(job.db_record().state, "done")
        self.assertEqual(self._order(data["orderId"]).state, "imported")
        self.assertTrue(self.emulator.restricted_tokens()["count"] >= 1)
        prefix = self._token_prefix(data["orderId"])
        self.assertEqual(self._rows_holding(prefix), [])
        self.assertFalse([t for t in records.texts if prefix in t])
        # Nor in what the emulator logged of Odoo's calls.
        self.assertNotIn(prefix, repr(self.emulator.calls()))

    def test_a_refused_token_still_imports_the_order(self):
        """Amazon's guide to Orders 2026-01-01 gives PII by the app's roles,
        no RDT: when the Tokens API refuses, the order is read with the
        seller's token and imported all the same."""
        self.emulator.config(orders_pii_needs_rdt=0)  # Amazon's documented way
        self.emulator.fault(RDT, "400", times=-1)
        data = self._buy([{"sku": "TEE-1"}])
        with mute_logger(ORDERS_LOGGER):
            self._poll()
        self.assertEqual(len(self._calls(RDT, status=400)), 1)
        self.assertEqual(self.emulator.restricted_tokens()["count"], 0)
        order = self._order(data["orderId"])
        self.assertEqual(order.state, "imported")
        shipping = order.sale_order_id.partner_shipping_id
        self.assertTrue(shipping.street, "the address came with the seller's token")
        self.assertFalse(self.account.order_poll_error)


class TestAmazonOrderRights(AmazonTwoCompaniesMixin, AmazonOrderCase):
    def setUp(self):
        super().setUp()
        self._setup_company_b()

    def test_company_b_cannot_retry_or_refresh_company_a_orders(self):
        data = self._buy([{"sku": "LAMP-1"}])
        self._poll()
        order = self._order(data["orderId"])
        self.assertEqual(order.state, "flagged")
        reads = len(self._calls(GET_ORDER))
        for person in (self.user_b, self.manager_b):
            with self.assertRaises(AccessError):
                order.with_user(person).action_retry()
            with self.assertRaises(AccessError):
                order.with_user(person).action_refresh_from_marketplace()
        self.assertEqual(len(self._calls(GET_ORDER)), reads, "Amazon saw nothing")
        self.assertEqual(order.state, "flagged")

    def test_each_company_imports_its_own_seller_orders(self):
        mine = self._buy([{"sku": "TEE-1"}])
        theirs = self._buy([{"sku": "TEE-1"}], seller_id=self.SELLER_B)
        self._poll()
        self._poll(self.account_b)
        self.assertEqual(self._orders().mapped("remote_order_id"), [mine["orderId"]])
        order_b = self._order(theirs["orderId"], self.account_b)
        self.assertEqual(order_b.company_id, self.company_b)
        self.assertEqual(order_b.sale_order_id.company_id, self.company_b)
        self.assertEqual(order_b.sale_order_id.warehouse_id.company_id, self.company_b)
        # B's people work on B's orders.
        order_b.with_user(self.user_b).action_refresh_from_marketplace()
        with self.assertRaises(AccessError):
            self._order(mine["orderId"]).with_user(self.user_b).read(["state"])
