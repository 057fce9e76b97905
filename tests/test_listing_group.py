from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .ebay_common import ListingCase


@tagged("post_install", "-at_install")
class TestVariationListing(ListingCase):
    def setUp(self):
        super().setUp()
        Attribute = self.env["product.attribute"]
        self.size = Attribute.create(
            {
                "name": "Size",
                "value_ids": [(0, 0, {"name": n}) for n in ("S", "M", "L", "XL")],
            }
        )
        self.color = Attribute.create(
            {"name": "Color", "value_ids": [(0, 0, {"name": "Blue"})]}
        )
        self.template = self.env["product.template"].create(
            {
                "name": "Odoo tee",
                "is_storable": True,
                "list_price": 15,
                "attribute_line_ids": [
                    (
                        0,
                        0,
                        {
                            "attribute_id": self.size.id,
                            "value_ids": [(6, 0, self.size.value_ids[:3].ids)],
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "attribute_id": self.color.id,
                            "value_ids": [(6, 0, self.color.value_ids.ids)],
                        },
                    ),
                ],
            }
        )
        for i, variant in enumerate(self.template.product_variant_ids):
            variant.default_code = f"TEE-{i}"
        self.group = self.env["ebay.listing.group"].create(
            {
                "account_id": self.account.id,
                "product_tmpl_id": self.template.id,
                "category_id": "15687",
                "image_urls": "https://i.example.com/tee.jpg",
                "aspect_ids": [(0, 0, {"name": "Brand", "value": "Odoo"})],
            }
        )

    def _publish(self):
        with trap_jobs() as trap:
            self.group.action_publish()
            trap.assert_jobs_count(1)
        self.group._job_group_run("publish")

    def test_publish_extend_shrink_end(self):
        self._publish()
        self.assertEqual(self.group.state, "published", self.group.last_error)
        listing_id = self.group.ebay_listing_id
        self.assertTrue(listing_id)
        self.assertEqual(len(self.group.listing_ids), 3)
        self.assertEqual(self.template.ebay_listing_count, 3)
        self.assertEqual(
            set(self.group.listing_ids.mapped("ebay_listing_id")), {listing_id}
        )
        api = self._api()
        remote = api.get_inventory_item_group(self.group.group_key)
        self.assertEqual(sorted(remote["variantSKUs"]), ["TEE-0", "TEE-1", "TEE-2"])
        self.assertEqual(
            {s["name"]: s["values"] for s in remote["variesBy"]["specifications"]},
            {"Size": ["S", "M", "L"], "Color": ["Blue"]},
        )
        self.assertEqual(remote["aspects"], {"Brand": ["Odoo"]})
        # Extend: a new size becomes a new variant of the same listing.
        self.template.attribute_line_ids.filtered(
            lambda l: l.attribute_id == self.size
        ).value_ids = [(4, self.size.value_ids[3].id)]
        new = self.template.product_variant_ids.filtered(lambda p: not p.default_code)
        new.default_code = "TEE-XL"
        self._publish()
        self.assertEqual(self.group.state, "published", self.group.last_error)
        self.assertEqual(self.group.ebay_listing_id, listing_id)
        remote = api.get_inventory_item_group(self.group.group_key)
        self.assertIn("TEE-XL", remote["variantSKUs"])
        # Shrink: size S is no longer sold.
        small = self.template.product_variant_ids.filtered(
            lambda p: p.default_code == "TEE-0"
        )
        small.action_archive()
        self._publish()
        remote = api.get_inventory_item_group(self.group.group_key)
        self.assertNotIn("TEE-0", remote["variantSKUs"])
        self.assertEqual(len(remote["variantSKUs"]), 3)
        # End the whole group.
        with trap_jobs():
            self.group.action_end()
        self.group._job_group_run("end")
        self.assertEqual(self.group.state, "ended")
        for listing in self.group.listing_ids:
            self.assertEqual(api.get_offer(listing.offer_id)["status"], "UNPUBLISHED")

    def test_missing_data_is_refused_before_any_call(self):
        self.group.image_urls = False
        with trap_jobs() as trap:
            self.group.action_publish()
            trap.assert_jobs_count(0)
        self.assertEqual(self.group.state, "error")
        self.assertIn("image", self.group.last_error)
        self.assertFalse(self.emulator.calls(path="^/sell/inventory/v1/"))

    def test_ebay_refusal_of_a_missing_shared_aspect(self):
        self.group.aspect_ids.unlink()  # the category requires Brand
        self._publish()
        self.assertEqual(self.group.state, "error")
        self.assertIn("Brand is required", self.group.last_error)
        self.assertIn("25029", self.group.last_error)
