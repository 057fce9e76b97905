"""Done deliveries of Amazon orders confirm their package to Amazon, once.

Real Odoo, real HTTP to the Amazon emulator: its confirmShipment records
packages on the order (getOrder PACKAGES shows them), its call log counts
the tries, and its fault injection loses an answer after the package
landed.
"""

from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .amazon_order_common import AmazonOrderCase
from .common import ShippingMixin

CONFIRM = r"/shipmentConfirmation$"
JOB = "_job_send_tracking"


@tagged("post_install", "-at_install")
class TestAmazonTracking(ShippingMixin, AmazonOrderCase):
    def setUp(self):
        super().setUp()
        self.carrier = self._carrier("USPS Priority", "USPS")

    # -- helpers -------------------------------------------------------------------
    def _carrier(self, name, code=False, carrier_name=False):
        return self.env["delivery.carrier"].create(
            {
                "name": name,
                "delivery_type": "fixed",
                "product_id": self.env["product.product"]
                .create({"name": f"{name} shipping", "type": "service"})
                .id,
                "amazon_carrier_code": code,
                "amazon_carrier_name": carrier_name,
            }
        )

    def _sale(self, lines, **kw):
        """An Amazon order bought and imported: (its emulator order, its
        sale order)."""
        order = self._buy(lines, **kw)
        self._poll()
        imported = self._order(order["orderId"])
        self.assertEqual(len(imported), 1)
        self.assertTrue(imported.sale_order_id)
        return order, imported.sale_order_id

    def _confirm_calls(self):
        return self.emulator.calls(path=CONFIRM, method="POST")

    def _packages(self, order_id):
        return self.emulator.order(order_id)["packages"]

    @staticmethod
    def _contents(package):
        return sorted(
            (i["orderItemId"], i["quantity"]) for i in package["packageItems"]
        )

    def _item_ids(self, order):
        return {
            item["product"]["sellerSku"]: item["orderItemId"]
            for item in order["orderItems"]
        }

    # -- tests ---------------------------------------------------------------------
    def test_tracking_reaches_amazon_once_and_partially(self):
        order, sale = self._sale(
            [{"sku": "MUG-1", "quantity": 2}, {"sku": "TEE-1", "quantity": 1}]
        )
        items = self._item_ids(order)
        picking = sale.picking_ids
        trap = self._ship(picking, {"MUG-1": 1, "TEE-1": 1}, "9400100000000000000001")
        self.assertEqual(picking.marketplace_tracking_state, "queued")
        self.assertEqual(trap.jobs_count(only=picking._job_send_tracking), 1)
        picking._job_send_tracking()
        picking._job_send_tracking()  # a second run sends nothing
        self.assertEqual(picking.marketplace_tracking_state, "sent")
        self.assertEqual(len(self._confirm_calls()), 1)
        [package] = self._packages(order["orderId"])
        self.assertEqual(package["packageReferenceId"], str(picking.id))
        self.assertEqual(picking.amazon_package_reference, str(picking.id))
        self.assertEqual(package["trackingNumber"], "9400100000000000000001")
        self.assertEqual(package["carrier"], "USPS")
        self.assertEqual(
            self._contents(package),
            sorted([(items["MUG-1"], 1), (items["TEE-1"], 1)]),
        )
        sent = self._confirm_calls()[0]["body"]
        self.assertEqual(sent["marketplaceId"], order["salesChannel"]["marketplaceId"])
        self.assertEqual(
            self.emulator.order(order["orderId"])["fulfillment"]["fulfillmentStatus"],
            "PARTIALLY_SHIPPED",
        )
        # The other mug ships later: its own package, that line, that quantity.
        backorder = sale.picking_ids - picking
        self.assertEqual(len(backorder), 1)
        self._ship(backorder, {"MUG-1": 1}, "9400100000000000000002")
        backorder._job_send_tracking()
        self.assertEqual(backorder.marketplace_tracking_state, "sent")
        packages = self._packages(order["orderId"])
        self.assertEqual(len(packages), 2)
        self.assertEqual(packages[1]["packageReferenceId"], str(backorder.id))
        self.assertEqual(self._contents(packages[1]), [(items["MUG-1"], 1)])
        self.assertEqual(len(self._confirm_calls()), 2)
        self.assertEqual(
            self.emulator.order(order["orderId"])["fulfillment"]["fulfillmentStatus"],
            "SHIPPED",
        )

    def test_a_lost_answer_is_retried_without_a_second_package(self):
        order, sale = self._sale([{"sku": "MUG-1", "quantity": 1}])
        picking = sale.picking_ids
        self._ship(picking, {"MUG-1": 1}, "TRACK-LOST-1")
        # The package lands on Amazon, its answer is lost.
        self.emulator.fault(CONFIRM, "drop", method="POST", applied=True)
        picking._job_send_tracking()
        self.assertEqual(picking.marketplace_tracking_state, "queued")
        self.assertTrue(picking.marketplace_tracking_error)
        self.assertEqual(len(self._packages(order["orderId"])), 1)
        retry = self._jobs(JOB)
        self.assertEqual(len(retry), 1, "the next try is queued")
        self._run_job(retry)
        self.assertEqual(picking.marketplace_tracking_state, "sent")
        self.assertEqual(len(self._packages(order["orderId"])), 1)
        self.assertEqual(len(self._confirm_calls()), 1, "the retry sent nothing")

    def test_unmapped_carrier_is_a_clear_error_on_the_picking(self):
        order, sale = self._sale([{"sku": "MUG-1", "quantity": 1}])
        picking = sale.picking_ids
        local = self._carrier("Local courier")
        trap = self._ship(picking, {"MUG-1": 1}, "LOCAL-1", carrier=local)
        self.assertFalse(trap.jobs_count(only=picking._job_send_tracking))
        self.assertEqual(picking.marketplace_tracking_state, "error")
        self.assertIn("has no Amazon carrier", picking.marketplace_tracking_error)
        self.assertIn("Local courier", picking.marketplace_tracking_error)
        self.assertFalse(self._confirm_calls())
        # Fixed on the delivery method (a carrier Amazon does not list), then
        # sent again.
        local.write({"amazon_carrier_code": "Other", "amazon_carrier_name": "Bike Co"})
        with trap_jobs() as trap:
            picking.action_resend_tracking()
            self.assertEqual(trap.jobs_count(only=picking._job_send_tracking), 1)
        picking._job_send_tracking()
        self.assertEqual(picking.marketplace_tracking_state, "sent")
        [package] = self._packages(order["orderId"])
        self.assertEqual(package["carrier"], "Bike Co")
        body = self._confirm_calls()[0]["body"]["packageDetail"]
        self.assertEqual(
            (body["carrierCode"], body["carrierName"]), ("Other", "Bike Co")
        )

    def test_an_amazon_refusal_is_the_pickings_error(self):
        order, sale = self._sale([{"sku": "MUG-1", "quantity": 1}])
        picking = sale.picking_ids
        self._ship(picking, {"MUG-1": 1}, "TRACK-LATE")
        self.emulator.cancel_order(order["orderId"])
        picking._job_send_tracking()
        self.assertEqual(picking.marketplace_tracking_state, "error")
        self.assertIn("canceled", picking.marketplace_tracking_error)
        self.assertEqual(self._packages(order["orderId"]), [])

    def test_an_order_amazon_fulfils_sends_nothing(self):
        order, sale = self._sale(
            [{"sku": "MUG-1", "quantity": 1}], fulfilled_by="AMAZON"
        )
        self.assertTrue(sale.marketplace_order_id.fulfilled_by_marketplace)
        self.assertFalse(
            sale.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        )
        # A delivery made by hand for it (a replacement sent from the
        # seller's warehouse) is not Amazon's to hear of.
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", sale.company_id.id)], limit=1
        )
        line = sale.order_line.filtered("marketplace_line_id")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": sale.partner_shipping_id.id,
                "sale_id": sale.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": line.name,
                            "product_id": line.product_id.id,
                            "product_uom_qty": 1,
                            "product_uom": line.product_uom.id,
                            "sale_line_id": line.id,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        self.assertEqual(picking._marketplace_order(), sale.marketplace_order_id)
        trap = self._ship(picking, {"MUG-1": 1}, "TRACK-FBA")
        for _i in range(trap.jobs_count(only=picking._job_send_tracking)):
            picking._job_send_tracking()
        self.assertFalse(picking.marketplace_tracking_state)
        self.assertFalse(self._confirm_calls())
        self.assertEqual(self._packages(order["orderId"]), [])

    def test_a_stock_user_without_marketplace_rights_ships_an_amazon_order(self):
        order, sale = self._sale([{"sku": "MUG-1", "quantity": 1}])
        picking = sale.picking_ids
        clerk = self._stock_clerk("clerk_amazon_tracking")
        trap = self._ship(picking.with_user(clerk), {"MUG-1": 1}, "CLERK-1")
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.marketplace_tracking_state, "queued")
        self.assertEqual(trap.jobs_count(only=picking._job_send_tracking), 1)
        # The job runs as it was queued: the clerk, as the system.
        trap.perform_enqueued_jobs()
        self.assertEqual(picking.marketplace_tracking_state, "sent")
        self.assertEqual(len(self._packages(order["orderId"])), 1)

    def test_a_stock_user_validating_an_unmapped_delivery_gets_the_error(self):
        _order, sale = self._sale([{"sku": "MUG-1", "quantity": 1}])
        picking = sale.picking_ids
        local = self._carrier("Courier")
        self._ship(
            picking.with_user(self._stock_clerk("clerk_amazon_tracking")),
            {"MUG-1": 1},
            "L-2",
            carrier=local,
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.marketplace_tracking_state, "error")
        letter = self.env["marketplace.dead.letter"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)]
        )
        self.assertEqual(letter.kind, "tracking")
        self.assertEqual(letter.account_id, self.account)
        self.assertIn("has no Amazon carrier", letter.error)
        self.assertFalse(self._confirm_calls())
