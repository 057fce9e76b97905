from odoo import fields
from odoo.tests import tagged

from ..models.ebay.ebay_listing import REVISIONS_PER_DAY
from .ebay_common import PUSH, StockPushCase


class TestStockPush(StockPushCase):
    def _push_after_settings_change(self, listing, **values):
        """Change the account's stock rules; the safety cron pushes the result."""
        self.account.write(values)
        self.env["marketplace.account"]._cron_push_stock_safety()
        self.assertTrue(listing.push_pending, values)
        self._perform_pushes()
        self.assertFalse(listing.push_pending, listing.push_error)
        return self._offer(listing)["availableQuantity"]

    def test_buffer_percentage_and_maximum(self):
        self.account.write({"stock_buffer": 2, "stock_percent": 50, "stock_max": 3})
        listing = self._published()
        # (12 - 2) * 50% = 5, capped at 3: what eBay shows.
        self.assertEqual(self._offer(listing)["availableQuantity"], 3)
        self.assertEqual(self._push_after_settings_change(listing, stock_max=0), 5)
        self.assertEqual(
            self._push_after_settings_change(listing, stock_buffer=20),
            0,
            "never negative",
        )
        self.assertEqual(listing.pushed_quantity, 0)

    def test_reservation_and_delivery_push_the_new_quantity(self):
        listing = self._published()
        self.assertEqual(listing.pushed_quantity, 12)
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref("stock.picking_type_out").id,
                "location_id": self.env.ref("stock.stock_location_stock").id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "out",
                            "product_id": self.product.id,
                            "product_uom_qty": 5,
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.env.ref(
                                "stock.stock_location_stock"
                            ).id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()  # reserved: promised elsewhere, not for eBay
        self.assertTrue(listing.push_pending)
        self.assertEqual(len(self._push_jobs()), 1)
        self._perform_pushes()
        self.assertEqual(self._offer(listing)["availableQuantity"], 7)
        self.assertFalse(listing.push_pending)
        picking.move_ids.quantity = 5
        picking.move_ids.picked = True
        picking._action_done()
        self.assertFalse(listing.push_pending, "on hand 7, reserved 0: nothing changed")

    def test_many_changes_coalesce_into_few_calls(self):
        products = self.env["product.product"]
        for i in range(30):
            products |= self._product(f"CO-{i:02d}", f"Coalesce {i}", 4)
        listings = products._ebay_listings_for(self.account)
        listings.write(
            {"image_urls": "https://i.example.com/c.jpg", "category_id": "88433"}
        )
        from odoo.addons.queue_job.tests.common import trap_jobs

        with trap_jobs() as trap:
            listings.action_publish()
            for job in trap.enqueued_jobs:
                job.perform()
        self.assertEqual(set(listings.mapped("state")), {"published"})
        for product in products:
            self._set_stock(product, 9)
        self.assertEqual(len(self._push_jobs()), 1, "30 changes, one pending push job")
        self._perform_pushes()
        calls = self.emulator.calls(path=PUSH)
        self.assertEqual(len(calls), 2, "25 + 5 listings per bulk call")
        for listing in listings:
            self.assertEqual(self._offer(listing)["availableQuantity"], 9)
        self.assertFalse(any(listings.mapped("push_pending")))

    def test_drop_to_zero_goes_even_on_a_spent_budget_price_waits(self):
        listing = self._published()
        listing.write(
            {
                "revision_day": fields.Date.context_today(listing),
                "revisions_today": REVISIONS_PER_DAY - 5,  # below the reserve of 10
            }
        )
        self.product.lst_price = 25
        self._perform_pushes()
        self.assertTrue(listing.push_pending, "a price change waits")
        self.assertIn("waits for tomorrow", listing.push_error)
        self.assertFalse(self.emulator.calls(path=PUSH))
        self._set_stock(self.product, 0)
        self.assertTrue(listing.push_urgent)
        self._perform_pushes()
        offer = self._offer(listing)
        self.assertEqual(offer["availableQuantity"], 0, "no overselling")
        self.assertEqual(offer["pricingSummary"]["price"]["value"], "25.00")
        self.assertFalse(listing.push_pending)

    def test_429_storm_and_5xx_lose_nothing(self):
        listing = self._published()
        self.emulator.fault(PUSH, "429", times=-1, retry_after=3)
        self._set_stock(self.product, 4)
        self._perform_pushes()
        self.assertTrue(listing.push_pending)
        self.assertEqual(len(self._push_jobs()), 1, "a retry is queued")
        self.emulator.clear_faults()
        self.emulator.fault(PUSH, "500")
        self._perform_pushes()
        self.assertTrue(listing.push_pending)
        self._perform_pushes()
        self.assertFalse(listing.push_pending)
        self.assertEqual(self._offer(listing)["availableQuantity"], 4)


@tagged("post_install", "-at_install")
class TestReconciliation(StockPushCase):
    def test_drift_is_found_and_repaired(self):
        # Staff repair it: the automatic repair is off (see test_job_edge).
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_connector.drift_auto_repair", "0"
        )
        listing = self._published()
        # Someone changed the quantity and price on eBay's site.
        self._api().bulk_update_price_quantity(
            [
                {
                    "sku": listing.sku,
                    "shipToLocationAvailability": {"quantity": 3},
                    "offers": [
                        {
                            "offerId": listing.offer_id,
                            "availableQuantity": 3,
                            "price": {"value": "5.00", "currency": "USD"},
                        }
                    ],
                }
            ]
        )
        self.account._job_reconcile()
        drifts = self.account.drift_ids.filtered(lambda d: d.state == "open")
        self.assertEqual(
            sorted((d.field, d.odoo_value, d.marketplace_value) for d in drifts),
            [("price", 19.9, 5.0), ("quantity", 12.0, 3.0)],
        )
        # Each line names its listing by model and id, whatever the channel.
        self.assertEqual(
            [(d.listing_ref, d.sku) for d in drifts], [(listing, listing.sku)] * 2
        )
        since = drifts.mapped("since")
        self.account._job_reconcile()  # still drifting: same lines, same since
        self.assertEqual(
            self.account.drift_ids.filtered(lambda d: d.state == "open").mapped(
                "since"
            ),
            since,
        )
        drifts[0].action_repair()
        self._perform_pushes()
        self.assertEqual(self._offer(listing)["availableQuantity"], 12)
        self.account._job_reconcile()
        self.assertEqual(set(self.account.drift_ids.mapped("state")), {"resolved"})

    def test_drift_lines_go_with_their_listing(self):
        listing = self._listing()
        drift = self.env["marketplace.drift"].create(
            {
                "account_id": self.account.id,
                "res_model": listing._name,
                "res_id": listing.id,
                "field": "quantity",
                "odoo_value": 12,
                "marketplace_value": 3,
            }
        )
        listing.unlink()
        self.assertFalse(drift.exists())


class TestPricelist(StockPushCase):
    def test_pricelist_change_is_pushed(self):

        pricelist = self.env["product.pricelist"].create({"name": "eBay +10%"})
        self.account.pricelist_id = pricelist
        listing = self._published()
        self.env["product.pricelist.item"].create(
            {
                "pricelist_id": pricelist.id,
                "applied_on": "3_global",
                "compute_price": "percentage",
                "percent_price": -10,  # a 10% surcharge for eBay's fees
            }
        )
        self.assertTrue(listing.push_pending)
        self._perform_pushes()
        self.assertEqual(
            self._offer(listing)["pricingSummary"]["price"]["value"], "21.89"
        )
