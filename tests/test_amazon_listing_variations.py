"""A template's variants on Amazon: a parent SKU with the variation theme
(not for sale) and one child per variant naming its parent."""

from odoo.tests import tagged

from .amazon_common import US, AmazonCase
from .amazon_listing_common import DEPARTMENT, PNG, AmazonListingMixin

# EAN-13 codes with right check digits, one per variant.
EANS = ("4006381333948", "4006381333955", "4006381333962", "4006381333979")


@tagged("post_install", "-at_install")
class TestAmazonVariations(AmazonListingMixin, AmazonCase):
    def _template(self):
        size = self.env["product.attribute"].create(
            {"name": "Size", "value_ids": [(0, 0, {"name": n}) for n in ("S", "M")]}
        )
        color = self.env["product.attribute"].create(
            {
                "name": "Color",
                "value_ids": [(0, 0, {"name": n}) for n in ("Red", "Blue")],
            }
        )
        template = self.env["product.template"].create(
            {
                "name": "Family tee",
                "amazon_parent_sku": "FAM-TEE",
                "is_storable": True,
                "list_price": 15,
                "image_1920": PNG,
                "amazon_product_type_id": self._shirt_type().id,
                "amazon_brand": "Odoo Wear",
                "amazon_bullet_points": "Organic cotton",
                "description_sale": "A tee in two sizes and two colours.",
                "amazon_attribute_overrides": DEPARTMENT,
                "attribute_line_ids": [
                    (
                        0,
                        0,
                        {"attribute_id": a.id, "value_ids": [(6, 0, a.value_ids.ids)]},
                    )
                    for a in (size, color)
                ],
            }
        )
        for variant, code in zip(template.product_variant_ids, EANS, strict=True):
            variant.write({"default_code": f"FAM-TEE-{code[-3:]}", "barcode": code})
            self.env["stock.quant"]._update_available_quantity(
                variant, self.env.ref("stock.stock_location_stock"), 3
            )
        return template

    def test_parent_then_children(self):
        template = self._template()
        listings = template._amazon_listings_for(self.account, self._us())
        parent = listings.filtered(lambda l: l.parentage == "parent")
        children = listings - parent
        self.assertEqual(parent.sku, "FAM-TEE")
        self.assertEqual(parent.variation_theme, "SIZE/COLOR")
        self.assertEqual(len(children), 4)
        self.assertEqual(children.parent_id, parent)
        # Asked again, nothing new is created.
        self.assertEqual(
            template._amazon_listings_for(self.account, self._us()), listings
        )

        trap = self._publish(parent)
        self.assertEqual(parent.state, "published")
        self.assertFalse(parent.is_live, "a parent is not for sale")
        queued = [j for j in trap.enqueued_jobs if j.method_name == "_job_run"]
        self.assertEqual({j.recordset for j in queued}, set(children))
        self.assertEqual(set(children.mapped("state")), {"queued"})
        for child in children:
            self._run(child, "_job_run", "publish")
        self.assertEqual(set(children.mapped("state")), {"published"})
        self.emulator.apply_pending()

        on_amazon = self.emulator.listings(self.SELLER)
        parent_attributes = on_amazon["FAM-TEE"]["attributes"]
        self.assertEqual(parent_attributes["parentage_level"][0]["value"], "parent")
        self.assertEqual(parent_attributes["variation_theme"][0]["name"], "SIZE/COLOR")
        self.assertNotIn("purchasable_offer", parent_attributes)
        for child in children:
            attributes = on_amazon[child.sku]["attributes"]
            relation = attributes["child_parent_sku_relationship"][0]
            self.assertEqual(relation["parent_sku"], "FAM-TEE")
            self.assertEqual(attributes["parentage_level"][0]["value"], "child")
            values = child.product_id.product_template_attribute_value_ids
            self.assertEqual(
                {attributes["size"][0]["value"], attributes["color"][0]["value"]},
                set(values.mapped("name")),
            )
            self._run(child, "_job_readback")
            self.assertIn(
                "BUYABLE", child.amazon_status, child.issue_ids.mapped("message")
            )
        self.assertEqual(US, parent.marketplace_code)
