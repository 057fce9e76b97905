"""What a listing shows a seller, on both channels: its page on the
marketplace, what was last sent and when, its images, a warning for an empty
description, a price override only when set, a listing made by hand filled
from its product, an error that clears once its cause is fixed and saved,
and the fee preview's words."""

from odoo.tests import Form, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .amazon_common import AmazonCase
from .amazon_listing_common import AmazonListingMixin
from .ebay_common import ListingCase


@tagged("post_install", "-at_install")
class TestEbayListingDisplay(ListingCase):
    def _published(self):
        listing = self._listing()
        listing.action_publish()
        self._run(listing)
        self.assertEqual(listing.state, "published", listing.last_error)
        return listing

    def test_the_item_page_on_the_accounts_site(self):
        listing = self._published()
        self.assertFalse(listing.marketplace_url, "the emulator has no item pages")
        self.account.sudo().environment = "production"
        listing.invalidate_recordset(["marketplace_url"])
        self.assertEqual(
            listing.marketplace_url,
            f"https://www.ebay.com/itm/{listing.ebay_listing_id}",
        )
        # A listing is on its offer's marketplace: on eBay Germany, eBay's
        # German site, whatever the account's home marketplace.
        listing.sudo()._write_system({"marketplace_id": "EBAY_DE"})
        listing.invalidate_recordset(["marketplace_url"])
        self.assertEqual(
            listing.marketplace_url,
            f"https://www.ebay.de/itm/{listing.ebay_listing_id}",
        )
        self.account.sudo().environment = "sandbox"
        listing.invalidate_recordset(["marketplace_url"])
        self.assertTrue(
            listing.marketplace_url.startswith("https://sandbox.ebay.com/itm/")
        )

    def test_what_was_last_sent_and_when(self):
        listing = self._listing()
        self.assertEqual(listing.last_push_summary, "Nothing sent yet")
        listing.action_publish()
        self._run(listing)
        self.assertTrue(listing.pushed_at, "publishing sends quantity and price")
        self.assertIn("12 available at $\xa019.90, on ", listing.last_push_summary)

    def test_images_and_an_empty_description(self):
        listing = self._listing(description=False)
        self.assertTrue(listing.description_missing)
        self.assertIn("https://", listing.image_gallery)
        self.assertIn("<img", listing.image_gallery)
        listing.description = "<p>Soft organic cotton.</p>"
        self.assertFalse(listing.description_missing)
        listing.description = "<p><br></p>"
        self.assertTrue(listing.description_missing)

    def test_the_price_override_shows_only_when_set(self):
        listing = self._listing()
        self.assertFalse(listing.has_price_override)
        listing.price = 24.5
        self.assertTrue(listing.has_price_override)
        listing.has_price_override = False
        self.assertEqual(listing.price, 0.0, "back to the product's price")

    def test_a_listing_made_by_hand_is_filled_from_its_product(self):
        form = Form(self.env["ebay.listing"])
        form.account_id = self.account
        form.product_id = self.product
        self.assertEqual(form.sku, "TSHIRT-1")
        self.assertEqual(form.title, "Organic cotton T-shirt")
        mug = self._product("MUG-9", "Blue mug", 3)
        form.product_id = mug
        self.assertEqual((form.sku, form.title), ("MUG-9", "Blue mug"))
        listing = form.save()
        self.assertEqual(listing.sku, "MUG-9")

    def test_the_error_clears_once_its_cause_is_fixed_and_saved(self):
        listing = self._listing(category_id=False, image_urls=False)
        listing.product_id.image_1920 = False
        listing.action_publish()
        self.assertEqual(listing.state, "error")
        self.assertIn("category", listing.last_error.lower())
        listing.category_id = "88433"
        self.assertEqual(listing.state, "error", "a picture is still missing")
        self.assertNotIn("category", listing.last_error.lower())
        listing.image_urls = "https://i.ebayimg.com/images/g/own/s-l1600.jpg"
        self.assertEqual(listing.state, "draft")
        self.assertFalse(listing.last_error)

    def test_an_ebay_refusal_stays_until_ebay_says_otherwise(self):
        listing = self._listing()
        listing.action_publish()
        listing.sudo()._refused("publish", "eBay refused the listing.")
        listing.title = "Organic cotton T-shirt, navy"
        self.assertEqual(
            (listing.state, listing.last_error), ("error", "eBay refused the listing.")
        )

    def test_the_fee_preview_ends_in_words(self):
        listing = self._listing()
        action = listing.action_preview_fees()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("Insertion fee: $\xa00.35", action["params"]["message"])
        self.assertIn("unpublished", action["params"]["message"])
        view = self.env.ref("marketplace_connector.ebay_listing_view_form")
        self.assertIn("creates the offer on eBay", view.arch)

    def test_a_failed_fee_preview_says_why(self):
        listing = self._listing()
        self.emulator.fault("get_listing_fees$", "400", message="Not priced.")
        action = listing.action_preview_fees()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("could not price", action["params"]["message"])

    def test_a_variation_listing_links_to_its_item(self):
        group = self.env["ebay.listing.group"].create(
            {
                "account_id": self.account.id,
                "product_tmpl_id": self.product.product_tmpl_id.id,
                "group_key": "TEE-GROUP",
                "title": "Organic cotton T-shirt",
                "category_id": "15687",
            }
        )
        self.assertTrue(group.description_missing)
        group.sudo().ebay_listing_id = "110554321"
        self.assertFalse(group.marketplace_url, "the emulator has no item pages")
        self.account.sudo().environment = "production"
        self.assertEqual(group.marketplace_url, "https://www.ebay.com/itm/110554321")


@tagged("post_install", "-at_install")
class TestAmazonListingDisplay(AmazonListingMixin, AmazonCase):
    def test_the_product_page_on_the_marketplaces_domain(self):
        listing = self._listing()
        listing.sudo().asin = "B0EXAMPLE1"
        self.assertFalse(listing.marketplace_url, "no page for an emulator ASIN")
        self.account.sudo().environment = "production"
        listing.invalidate_recordset(["marketplace_url"])
        domain = self._us().domain_name
        self.assertTrue(domain)
        self.assertEqual(listing.marketplace_url, f"https://{domain}/dp/B0EXAMPLE1")

    def test_an_empty_description_and_the_price_override(self):
        listing = self._listing(self._tee(description_sale=False))
        self.assertTrue(listing.description_missing)
        listing.product_id.product_tmpl_id.description_sale = "A soft tee."
        self.assertFalse(listing.description_missing)
        self.assertFalse(listing.has_price_override)
        listing.price = 30.0
        self.assertTrue(listing.has_price_override)

    def test_a_listing_made_by_hand_takes_the_products_sku(self):
        product = self._tee(sku="TEE-HAND")
        form = Form(self.env["amazon.listing"])
        form.account_id = self.account
        form.product_id = product
        self.assertEqual(form.sku, "TEE-HAND")

    def test_the_error_clears_once_its_cause_is_fixed_and_saved(self):
        product = self._tee(amazon_brand=False)
        listing = self._listing(product)
        with trap_jobs():
            listing.action_publish()
        self.assertEqual(listing.state, "error")
        self.assertIn("rand", listing.last_error)
        product.product_tmpl_id.amazon_brand = "Odoo Wear"
        self.assertEqual(listing.state, "draft", listing.last_error)
        self.assertFalse(listing.last_error)
