"""The demo data: products a newcomer can publish at once on eBay and Amazon.

Loaded as the demo loads it (tests/demo_common.py), every demo product has
its picture, barcode, stock and description, its eBay category, condition
and item specifics and its Amazon product type and attributes; published
with nothing typed, each goes live on both emulators with no validation
error and no contract violation: the headphones and the figure as single
listings, the T-shirt as one eBay listing with variations and as an
Amazon parent with its six children.
"""

import base64
import hashlib
import io

from PIL import Image

from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..amazon.attributes import gs1_check_digit
from ..ebay.inventory import InventoryApi
from ..ebay.media import MediaApi
from .amazon_common import AmazonEmulatorMixin
from .amazon_listing_common import AmazonListingMixin
from .common import MarketplaceCase
from .demo_common import MODULE, DemoDataMixin

STOCK = {
    "NIMBUS-HP1": 25,
    "ROCKET-RANGER": 40,
    "HARBOR-TEE-S-NAVY": 8,
    "HARBOR-TEE-M-NAVY": 12,
    "HARBOR-TEE-L-NAVY": 6,
    "HARBOR-TEE-S-SAND": 5,
    "HARBOR-TEE-M-SAND": 9,
    "HARBOR-TEE-L-SAND": 4,
}
TEE_SKUS = sorted(sku for sku in STOCK if sku.startswith("HARBOR-TEE-"))
# eBay's category of each demo product (eBay's own ids, the emulator's too).
EBAY_CATEGORIES = {
    "product_demo_headphones": "112529",
    "product_demo_tshirt": "15687",
    "product_demo_figure": "261068",
}
AMAZON_TYPES = {
    "product_demo_headphones": "HEADPHONES",
    "product_demo_tshirt": "SHIRT",
    "product_demo_figure": "TOY_FIGURE",
}
# eBay wants pictures of at least 500 pixels on their longest side.
EBAY_MIN_PICTURE_SIDE = 500


class DemoProductsMixin(DemoDataMixin):
    def setUp(self):
        super().setUp()
        self._load_demo_data()

    def _template(self, name):
        return self.env.ref(f"{MODULE}.{name}")

    def _templates(self):
        return self.env["product.template"].union(
            *(self._template(name) for name in EBAY_CATEGORIES)
        )


@tagged("post_install", "-at_install")
class TestDemoData(DemoProductsMixin, MarketplaceCase):
    def test_products_have_stock_barcodes_pictures_and_channels(self):
        variants = self._templates().product_variant_ids
        self.assertEqual({v.default_code: v.qty_available for v in variants}, STOCK)
        barcodes = variants.mapped("barcode")
        self.assertEqual(len(set(barcodes)), len(variants))
        for variant in variants:
            code = variant.barcode
            self.assertEqual(len(code), 13, variant.default_code)
            self.assertEqual(code[-1], gs1_check_digit(code[:-1]), code)
            picture = Image.open(io.BytesIO(base64.b64decode(variant.image_1920)))
            self.assertGreaterEqual(max(picture.size), EBAY_MIN_PICTURE_SIDE)
            self.assertTrue(variant.description_sale, variant.default_code)
            self.assertGreater(variant.lst_price, 0)
            self.assertGreater(variant.weight, 0)
        tee = self._template("product_demo_tshirt")
        self.assertEqual(len(tee.product_variant_ids), 6)
        self.assertEqual(
            tee.attribute_line_ids.attribute_id.mapped("name"), ["Size", "Color"]
        )
        for name, category_id in EBAY_CATEGORIES.items():
            template = self._template(name)
            self.assertEqual(template.ebay_category_id.category_id, category_id)
            self.assertTrue(template.ebay_category_id.leaf)
            self.assertEqual(template.ebay_condition, "NEW")
            self.assertIn("Brand", template.ebay_aspect_ids.mapped("name"))
            self.assertEqual(template.amazon_product_type_id.code, AMAZON_TYPES[name])
        self.assertEqual(
            self._template("product_demo_headphones").ebay_category_id.display_name,
            "Consumer Electronics > Portable Audio & Headphones > Headphones (112529)",
        )

    def test_loading_again_duplicates_nothing(self):
        def counts():
            return [
                self.env[model].search_count([])
                for model in (
                    "product.template",
                    "product.product",
                    "product.attribute",
                    "stock.quant",
                    "ebay.category",
                    "ebay.product.aspect",
                    "amazon.product.type",
                    "marketplace.account",
                )
            ]

        before = counts()
        self._load_demo_data()
        self.assertEqual(counts(), before)
        variants = self._templates().product_variant_ids
        self.assertEqual({v.default_code: v.qty_available for v in variants}, STOCK)

    def test_demo_accounts_connect_to_the_emulators(self):
        self.assertEqual(self.demo_ebay_account.environment, "emulator")
        self.assertEqual(self.demo_amazon_account.environment, "emulator")
        self._connect_demo_ebay()
        self._connect_demo_amazon()
        self.assertTrue(self.demo_amazon_account.amazon_participation_ids)


@tagged("post_install", "-at_install")
class TestDemoPublishEbay(DemoProductsMixin, MarketplaceCase):
    """eBay: each demo product published as the publish button does it."""

    def setUp(self):
        super().setUp()
        self._connect_demo_ebay()
        self._set_up_demo_ebay_seller()
        self.account = self.demo_ebay_account
        self.api = InventoryApi(self.account._ebay_client())

    def _assert_picture_on_ebay(self, url):
        """``url`` is a picture eBay holds (uploaded through its Media API)."""
        image_id = url.split("/images/g/")[1].split("/")[0]
        self.assertTrue(MediaApi(self.account._ebay_client()).get_image(image_id))

    def test_single_products_go_live_with_their_pictures_and_stock(self):
        for name in ("product_demo_headphones", "product_demo_figure"):
            variant = self._template(name).product_variant_id
            listing = variant._ebay_listings_for(self.account)
            self.assertEqual(listing._problems(), [], name)
            with trap_jobs() as trap:
                listing.action_publish()
            trap.assert_jobs_count(1)
            self.assertEqual(listing.state, "queued", listing.last_error)
            listing._job_run("publish")
            self.assertEqual(listing.state, "published", listing.last_error)
            self.assertTrue(listing.ebay_listing_id)

            offer = self.api.get_offer(listing.offer_id)
            self.assertEqual(offer["categoryId"], EBAY_CATEGORIES[name])
            self.assertEqual(offer["status"], "PUBLISHED")
            item = self.api.get_inventory_item(variant.default_code)
            quantity = item["availability"]["shipToLocationAvailability"]["quantity"]
            self.assertEqual(quantity, STOCK[variant.default_code])
            self.assertEqual(item["condition"], "NEW")
            aspects = item["product"]["aspects"]
            for line in self._template(name).ebay_aspect_ids:
                self.assertEqual(aspects[line.name], [line.value])
            self.assertTrue(item["product"]["description"])
            (url,) = item["product"]["imageUrls"]
            self._assert_picture_on_ebay(url)
            self.assertEqual(
                listing.media_image_checksum,
                hashlib.sha256(base64.b64decode(variant.image_1920)).hexdigest(),
            )

    def test_tshirt_goes_live_as_one_listing_with_variations(self):
        tee = self._template("product_demo_tshirt")
        group = self.env["ebay.listing.group"].create(
            {"account_id": self.account.id, "product_tmpl_id": tee.id}
        )
        with trap_jobs() as trap:
            group.action_publish()
        trap.assert_jobs_count(1)
        self.assertEqual(group.state, "queued", group.last_error)
        group._job_group_run("publish")
        self.assertEqual(group.state, "published", group.last_error)
        self.assertEqual(sorted(group.listing_ids.mapped("sku")), TEE_SKUS)

        remote = self.api.get_inventory_item_group(group.group_key)
        self.assertEqual(sorted(remote["variantSKUs"]), TEE_SKUS)
        self.assertEqual(
            {s["name"]: s["values"] for s in remote["variesBy"]["specifications"]},
            {"Size": ["S", "M", "L"], "Color": ["Navy", "Sand"]},
        )
        self.assertEqual(remote["aspects"]["Brand"], ["Harbor Supply"])
        # The two colours' pictures, each uploaded once per variant.
        self.assertEqual(len(remote["imageUrls"]), 2)
        for url in remote["imageUrls"]:
            self._assert_picture_on_ebay(url)
        for listing in group.listing_ids:
            offer = self.api.get_offer(listing.offer_id)
            self.assertEqual(offer["categoryId"], "15687")
            self.assertEqual(offer["status"], "PUBLISHED")
            item = self.api.get_inventory_item(listing.sku)
            quantity = item["availability"]["shipToLocationAvailability"]["quantity"]
            self.assertEqual(quantity, STOCK[listing.sku])
            self.assertIn(listing.media_image_url, item["product"]["imageUrls"])


@tagged("post_install", "-at_install")
class TestDemoPublishAmazon(
    DemoProductsMixin, AmazonListingMixin, AmazonEmulatorMixin, MarketplaceCase
):
    """Amazon: each demo product previewed, then published, then applied by
    Amazon and read back buyable, as the publish button does it."""

    def setUp(self):
        super().setUp()
        self.account = self._connect_demo_amazon()

    def _preview_accepted(self, listing):
        answer = listing.action_preview()
        self.assertEqual(
            (answer["params"]["type"], answer["params"]["message"]),
            ("success", "Amazon would accept this listing."),
            listing.sku,
        )

    def _published(self, listings):
        """Publish ``listings`` (a single one, or a parent and its children)
        and run the jobs the publish queues, parent first."""
        for listing in listings:
            self.assertEqual(listing._amazon_check(), [], listing.sku)
        parent = listings.filtered(lambda l: l.parentage == "parent")
        self._publish(parent or listings)
        for child in listings - parent if parent else listings.browse():
            self.assertEqual(child.state, "queued", child.last_error)
            self._run(child, "_job_run", "publish")
        for listing in listings:
            self.assertEqual(listing.state, "published", listing.last_error)
        self.emulator.apply_pending()
        for listing in listings:
            self._run(listing, "_job_readback")
            self.assertFalse(listing.issue_ids, listing.issue_ids.mapped("message"))
        return listings

    def test_single_products_are_buyable_with_their_stock(self):
        for name in ("product_demo_headphones", "product_demo_figure"):
            template = self._template(name)
            listing = template._amazon_listings_for(self.account, self._us())
            self.assertEqual(listing.product_type_id.code, AMAZON_TYPES[name])
            self._preview_accepted(listing)
            self._published(listing)
            self.assertIn("BUYABLE", listing.amazon_status)
            attributes = self._on_amazon(listing.sku)["attributes"]
            self.assertEqual(
                attributes["fulfillment_availability"][0]["quantity"],
                STOCK[listing.sku],
            )
            self.assertTrue(attributes["main_product_image_locator"])
            self.assertEqual(
                attributes["externally_assigned_product_identifier"][0]["value"],
                template.barcode,
            )

    def test_tshirt_is_a_parent_with_six_buyable_children(self):
        tee = self._template("product_demo_tshirt")
        listings = tee._amazon_listings_for(self.account, self._us())
        parent = listings.filtered(lambda l: l.parentage == "parent")
        children = listings - parent
        self.assertEqual(parent.sku, "HARBOR-TEE")
        self.assertEqual(parent.variation_theme, "SIZE/COLOR")
        self.assertEqual(sorted(children.mapped("sku")), TEE_SKUS)
        for listing in listings:
            self._preview_accepted(listing)
        self._published(listings)
        on_amazon = self.emulator.listings(self.SELLER)
        for child in children:
            self.assertIn("BUYABLE", child.amazon_status)
            attributes = on_amazon[child.sku]["attributes"]
            self.assertEqual(
                attributes["child_parent_sku_relationship"][0]["parent_sku"],
                "HARBOR-TEE",
            )
            self.assertEqual(
                attributes["fulfillment_availability"][0]["quantity"],
                STOCK[child.sku],
            )
