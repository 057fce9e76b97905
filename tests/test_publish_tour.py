"""A seller publishes a product and a product with variants, in Chromium."""

from odoo.tests import tagged

from odoo.addons.queue_job.job import Job

from ..ebay.inventory import InventoryApi
from .ebay_common import IMAGE, EbayHttpCase, SellerMixin


@tagged("post_install", "-at_install")
class TestPublishTour(SellerMixin, EbayHttpCase):
    def setUp(self):
        super().setUp()
        account = self._seller_account()
        product = self.env["product.product"].create(
            {"name": "Tour mug", "default_code": "TOUR-1", "list_price": 9}
        )
        product._ebay_listings_for(account).write(
            {"image_urls": IMAGE, "category_id": "88433"}
        )
        size = self.env["product.attribute"].create(
            {"name": "Size", "value_ids": [(0, 0, {"name": n}) for n in ("S", "M")]}
        )
        color = self.env["product.attribute"].create(
            {"name": "Color", "value_ids": [(0, 0, {"name": "Red"})]}
        )
        template = self.env["product.template"].create(
            {
                "name": "Tour tee",
                "default_code": "TOUR-TEE",
                "attribute_line_ids": [
                    (
                        0,
                        0,
                        {
                            "attribute_id": size.id,
                            "value_ids": [(6, 0, size.value_ids.ids)],
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "attribute_id": color.id,
                            "value_ids": [(6, 0, color.value_ids.ids)],
                        },
                    ),
                ],
            }
        )
        for i, variant in enumerate(template.product_variant_ids):
            variant.default_code = f"TOUR-TEE-{i}"
        self.env["ebay.listing.group"].create(
            {
                "account_id": account.id,
                "product_tmpl_id": template.id,
                "group_key": "TOUR-TEE",
                "category_id": "15687",
                "image_urls": IMAGE,
                "aspect_ids": [(0, 0, {"name": "Brand", "value": "Odoo"})],
            }
        )

    def test_publish_simple_and_variation_listing(self):
        self.start_tour(
            "/odoo/action-marketplace_connector.ebay_listing_action",
            "marketplace_connector_publish_tour",
            login="admin",
        )
        jobs = self.env["queue.job"].search([("state", "=", "pending")])
        self.assertEqual(len(jobs), 2, "one job for the listing, one for the group")
        for record in jobs:
            Job.load(self.env, record.uuid).perform()
        listing = self.env["ebay.listing"].search([("sku", "=", "TOUR-1")])
        offer = InventoryApi(listing.account_id._ebay_client()).get_offer(
            listing.offer_id
        )
        listing_id = offer["listing"]["listingId"]
        self.assertTrue(listing_id.isdigit(), listing_id)
        self.start_tour(
            "/odoo/action-marketplace_connector.ebay_listing_action",
            "marketplace_connector_published_tour",
            login="admin",
            # The tour checks the form shows this id, the one eBay gave.
            cookies={"ebay_tour_listing_id": listing_id},
        )
        group = self.env["ebay.listing.group"].search([("group_key", "=", "TOUR-TEE")])
        self.assertEqual(group.state, "published")
        self.assertEqual(len(group.listing_ids), 2)
