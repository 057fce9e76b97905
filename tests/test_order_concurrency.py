"""A notification and a poll delivering the same order at the same moment
give one sale order.

Runs outside Odoo's test transaction, with one real connection per thread
(as two job workers have), so the database decides; records are committed,
then removed.
"""

import threading
import unittest

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests.common import get_db_name

from odoo.addons.queue_job.exception import RetryableJobError

ORDER = {
    "orderId": "99-00001-00001",
    "creationDate": "2026-11-20T10:00:00.000Z",
    "lastModifiedDate": "2026-11-20T10:00:00.000Z",
    "orderPaymentStatus": "PENDING",
    "orderFulfillmentStatus": "NOT_STARTED",
    "buyer": {"username": "race_buyer"},
    "pricingSummary": {"total": {"value": "5.00", "currency": "USD"}},
    "cancelStatus": {"cancelState": "NONE_REQUESTED"},
    "fulfillmentStartInstructions": [
        {
            "shippingStep": {
                "shipTo": {
                    "fullName": "Race Buyer",
                    "contactAddress": {
                        "addressLine1": "1 Main St",
                        "city": "Austin",
                        "postalCode": "73301",
                        "countryCode": "US",
                        "stateOrProvince": "TX",
                    },
                }
            }
        }
    ],
    "lineItems": [
        {
            "lineItemId": "90000001",
            "sku": "RACE-1",
            "quantity": 1,
            "lineItemCost": {"value": "5.00", "currency": "USD"},
        }
    ],
}


class TestConcurrentImport(unittest.TestCase):
    def setUp(self):
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            self.account_id = (
                env["ebay.account"]
                .create({"name": "Race seller", "environment": "sandbox"})
                .id
            )
            self.product_id = (
                env["product.product"]
                .create({"name": "Race item", "default_code": "RACE-1"})
                .id
            )
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["ebay.order"].search([("account_id", "=", self.account_id)])
            sales = orders.sale_order_id
            partners = sales.partner_id | sales.partner_shipping_id
            orders.unlink()
            sales.unlink()
            partners.unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["ebay.account"].browse(self.account_id).unlink()

    def _import(self, barrier, errors):
        for _attempt in range(5):  # what queue_job does with RetryableJobError
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
                    account = env["ebay.account"].browse(self.account_id)
                    cr.execute("SELECT 1")  # start the transaction (snapshot)
                    if barrier is not None:
                        barrier.wait(timeout=10)
                        barrier = None
                    env["ebay.order"]._import_payload(account, dict(ORDER))
                return
            except (RetryableJobError, psycopg2.errors.SerializationFailure):
                # queue_job re-runs a job on both, in a new transaction.
                continue
            except Exception as exc:  # reported in the main thread
                errors.append(exc)
                return

    def test_two_workers_one_sale_order(self):
        barrier = threading.Barrier(2)
        errors = []
        threads = [
            threading.Thread(target=self._import, args=(barrier, errors))
            for _i in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["ebay.order"].search([("account_id", "=", self.account_id)])
            self.assertEqual(len(orders), 1)
            sales = env["sale.order"].search(
                [("client_order_ref", "=", ORDER["orderId"])]
            )
            self.assertEqual(len(sales), 1)
            self.assertEqual(len(sales.order_line), 1)
