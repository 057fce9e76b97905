"""A listing and a variation listing show their category in words, their
own or their product's; a variation listing made by hand takes its product's
title, condition, category and item specifics."""

from odoo.tests import Form, tagged

from .ebay_common import ListingCase

LEAF = [("leaf", "=", True)]


@tagged("post_install", "-at_install")
class TestListingCategoryDisplay(ListingCase):
    def setUp(self):
        super().setUp()
        Category = self.env["ebay.category"]
        Category.name_search("t-shirts", args=LEAF)  # cached from eBay
        self.shirts = Category.search([("category_id", "=", "15687")])

    def test_a_listing_shows_the_products_category_not_an_empty_number(self):
        template = self.product.product_tmpl_id
        template.ebay_category_id = self.shirts
        listing = self.product._ebay_listings_for(self.account)
        self.assertFalse(listing.category_id)
        self.assertEqual(
            listing.category_label,
            "Clothing, Shoes & Accessories > T-Shirts (15687), from the product",
        )
        # Its own category wins, in words once eBay's tree named it.
        listing.category_id = "88433"
        self.assertEqual(listing.category_label, "88433")
        self.env["ebay.category"]._cache_tree(self.account)
        listing.invalidate_recordset(["category_label"])
        self.assertEqual(listing.category_label, "Everything Else > Other (88433)")
        # Neither: nothing shown, and the warning says where to choose one.
        listing.category_id = False
        template.ebay_category_id = False
        self.assertFalse(listing.category_label)
        self.assertTrue(listing.category_missing)
        arch = self.env["ebay.listing"].get_view(view_type="form")["arch"]
        self.assertIn('name="category_label"', arch)

    def test_a_variation_listing_made_by_hand_takes_the_products_values(self):
        size = self.env["product.attribute"].create(
            {"name": "Size", "value_ids": [(0, 0, {"name": n}) for n in ("S", "M")]}
        )
        template = self.env["product.template"].create(
            {
                "name": "Harbor tee",
                "is_storable": True,
                "list_price": 15,
                "ebay_category_id": self.shirts.id,
                "ebay_condition": "USED_EXCELLENT",
                "ebay_aspect_ids": [
                    (0, 0, {"name": "Brand", "value": "Harbor"}),
                    (0, 0, {"name": "Color", "value": "Navy"}),
                ],
                "attribute_line_ids": [
                    (
                        0,
                        0,
                        {
                            "attribute_id": size.id,
                            "value_ids": [(6, 0, size.value_ids.ids)],
                        },
                    )
                ],
            }
        )
        for i, variant in enumerate(template.product_variant_ids):
            variant.default_code = f"HTEE-{i}"
        with Form(self.env["ebay.listing.group"]) as form:
            form.account_id = self.account
            form.product_tmpl_id = template
            self.assertEqual(form.condition, "USED_EXCELLENT")
            self.assertEqual(form.title, "Harbor tee")
            self.assertEqual(
                form.category_label,
                "Clothing, Shoes & Accessories > T-Shirts (15687), from the product",
            )
            self.assertEqual(form.product_aspects_summary, "Brand: Harbor; Color: Navy")
            form.group_key = "HTEE"
        group = form.record
        self.assertEqual(group.condition, "USED_EXCELLENT")
        listings = group._sync_variants()
        data = group._variant_data(listings[0])
        self.assertEqual(data.category_id, "15687")
        self.assertEqual(data.condition, "USED_EXCELLENT")
        self.assertEqual(data.aspects["Brand"], ["Harbor"])
        self.assertEqual(data.aspects["Color"], ["Navy"])
        self.assertEqual(data.aspects["Size"], ["S"])
