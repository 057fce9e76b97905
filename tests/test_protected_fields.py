"""Fields the connector owns are not writable by people, over RPC or not.

Every write goes through ``with_user(person)``, which is what an RPC call
(``web_save``, ``write``, ``create``) of that person runs as.
"""

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import USER_GROUPS
from .ebay_common import TwoCompaniesCase

# Listing fields the connector owns, with a value someone might forge.
LISTING_FORGERIES = {
    "is_live": True,
    "offer_id": "9999999",
    "ebay_listing_id": "110999999999",
    "state": "published",
    "pending_operation": "publish",
    "push_pending": True,
    "push_urgent": True,
    "pushed_price": 0.01,
    "pushed_quantity": 999,
    "push_error": False,
    "push_deferred": True,
    "retry_count": 0,
    "revisions_today": 0,
    "last_error": "nothing to see",
    "media_image_url": "https://evil.example.com/x.png",
    "dead_letter_open": True,
}


@tagged("post_install", "-at_install")
class TestProtectedFields(TwoCompaniesCase):
    def setUp(self):
        super().setUp()
        self.user_a = new_test_user(
            self.env,
            login="shop_a_user",
            groups=USER_GROUPS,
            company_id=self.company_a.id,
            company_ids=self.company_a.ids,
        )

    def _assert_each_refused(self, record, people, forgeries):
        before = record.read(list(forgeries))[0]
        for person in people:
            for name, value in forgeries.items():
                with self.assertRaises(AccessError, msg=f"{person.login}: {name}"):
                    record.with_user(person).write({name: value})
        self.assertEqual(record.read(list(forgeries))[0], before)

    def test_listing_fields_the_connector_owns(self):
        self._assert_each_refused(
            self.listing_b, self.user_b | self.manager_b, LISTING_FORGERIES
        )
        # What the seller edits stays editable.
        self.listing_b.with_user(self.user_b).write(
            {
                "title": "Blue mug",
                "price": 12.5,
                "image_urls": "https://i.example.com/b",
            }
        )
        self.assertEqual(
            (self.listing_b.title, self.listing_b.price), ("Blue mug", 12.5)
        )

    def test_a_new_listing_cannot_be_born_live(self):
        Listing = self.env["ebay.listing"].with_user(self.user_b)
        values = {"account_id": self.account_b.id, "product_id": self.product_b.id}
        for name in ("is_live", "offer_id", "push_pending", "state"):
            with self.assertRaises(AccessError, msg=name):
                Listing.create(dict(values, sku=f"NEW-{name}", **{name: True}))
        # Defaults from the context are values the caller gave too.
        listing = Listing.with_context(
            default_is_live=True, default_offer_id="9999999", default_state="published"
        ).create(dict(values, sku="NEW-CTX"))
        self.assertEqual(
            (listing.is_live, listing.offer_id, listing.state), (False, False, "draft")
        )

    def test_account_fields_the_connector_owns(self):
        self._assert_each_refused(
            self.account_b,
            self.manager_b,
            {
                "state": "connected",
                "ebay_user_id": "someone-else",
                "ebay_notification_destination_id": "forged",
                "ebay_merchant_location_key": "forged",
                "ebay_business_policies_opted_in": True,
                "order_watermark": fields.Datetime.now(),
                "last_order_poll": fields.Datetime.now(),
                "order_poll_error": False,
                "company_id": self.company_a.id,
            },
        )
        self.account_b.with_user(self.manager_b).write(
            {"name": "Shop B on eBay", "stock_buffer": 2}
        )
        self.assertEqual(self.account_b.stock_buffer, 2)

    def test_order_and_buyer_data_the_connector_owns(self):
        self._published()
        self.emulator._call(
            "POST",
            "purchase",
            json={
                "lines": [{"sku": self.product.default_code, "quantity": 1}],
                "buyer": {"username": "jo_buyer"},
            },
        )
        self.account._job_poll_orders()
        order = self.env["marketplace.order"].search(
            [("account_id", "=", self.account.id)]
        )
        sale = order.sale_order_id
        self.assertTrue(sale)
        self._assert_each_refused(
            order,
            self.user_a,
            {
                "buyer_username": "someone_else",
                "state": "cancelled",
                "payment_status": "FULLY_REFUNDED",
                "total": 0.0,
                "sale_order_id": False,
                "account_id": self.account_b.id,
                "remote_order_id": "forged",
            },
        )
        with self.assertRaises(AccessError):
            sale.with_user(self.user_a).write({"marketplace_order_id": False})
        with self.assertRaises(AccessError):
            sale.order_line[:1].with_user(self.user_a).write(
                {"marketplace_line_id": "forged"}
            )
        self.assertEqual(sale.marketplace_order_id, order)

    def test_delivery_tracking_state_is_the_connector_s(self):
        clerk = new_test_user(
            self.env,
            login="shop_a_clerk",
            groups="base.group_user,stock.group_stock_user",
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref("stock.picking_type_out").id,
                "location_id": self.env.ref("stock.stock_location_stock").id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            }
        )
        self._assert_each_refused(
            picking,
            clerk,
            {"marketplace_tracking_state": "sent", "ebay_fulfillment_id": "forged"},
        )

    def test_drift_and_alert_rows_are_the_connector_s(self):
        drift = self.env["marketplace.drift"].create(
            {
                "account_id": self.account_b.id,
                "res_model": "ebay.listing",
                "res_id": self.listing_b.id,
                "field": "quantity",
                "odoo_value": 5,
                "marketplace_value": 7,
            }
        )
        self._assert_each_refused(
            drift,
            self.user_b | self.manager_b,
            {"state": "resolved", "marketplace_value": 5, "res_id": self.listing_b.id},
        )
        alert = self.env["marketplace.alert"]._raise(
            self.account_b, "drift_found", "Drift", "Quantities differ"
        )
        self._assert_each_refused(
            alert,
            self.manager_b,
            {"state": "cleared", "res_id": self.listing_b.id, "note": "forged"},
        )

    def test_actions_check_access_then_write_as_the_system(self):
        """A Marketplace User publishes: the action and the job it queued
        write what the connector owns, although the person may not."""
        listing = self._listing().with_user(self.user_a)
        with trap_jobs() as trap:
            listing.action_publish()
            trap.assert_jobs_count(1)
            trap.perform_enqueued_jobs()
        self.assertEqual(listing.state, "published", listing.last_error)
        self.assertTrue(listing.is_live and listing.offer_id)
        self.assertEqual(listing.write_uid, self.user_a, "still the person's work")
        # The drift repair: the user may ask for it, the system marks the push.
        drift = self.env["marketplace.drift"].create(
            {
                "account_id": self.account.id,
                "res_model": "ebay.listing",
                "res_id": listing.id,
                "field": "quantity",
                "odoo_value": 12,
                "marketplace_value": 3,
            }
        )
        with trap_jobs() as trap:
            drift.with_user(self.user_a).action_repair()
            trap.assert_jobs_count(1)
        self.assertEqual(drift.state, "repairing")
        self.assertTrue(listing.push_pending)
