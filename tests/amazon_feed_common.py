"""Amazon listings in bulk, stock and feeds against the emulator: products
that pass the product type's schema, listings published (by feed or by
put), the emulator's feed queue run on demand, and the seller's side of
the listings as the emulator holds them."""

import base64

from .amazon_common import EMULATOR_SELLER, US, AmazonCase
from .common import RunnerMixin, StockMixin

PRODUCT_TYPE = "PRODUCT"
# A 1x1 PNG: the product's image, which Amazon gets by its public URL.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc000000301010018dd8db0"
        "0000000049454e44ae426082"
    )
)
# Emulator paths (regular expressions).
PATCH_PATH = r"^/listings/2021-08-01/items/[^/]+/[^/?]+$"
PUT_PATH = PATCH_PATH
FEED_DOCUMENTS = r"^/feeds/2021-06-30/documents$"
CREATE_FEED = r"^/feeds/2021-06-30/feeds$"
GET_FEED = r"^/feeds/2021-06-30/feeds/[^/]+$"
UPLOADS = r"^/_documents/"
REPORTS = r"^/reports/2021-06-30/"
# The jobs of this channel's bulk and stock side.
PUSH = "_job_amazon_push_stock"
SUBMIT = "_job_submit"
CHECK = "_job_check"


def ean13(number):
    """A valid EAN-13 for ``number`` (12 digits and their check digit)."""
    digits = f"{number:012d}"[-12:]
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


class AmazonFeedCase(RunnerMixin, StockMixin, AmazonCase):
    """A connected account selling in the US marketplace, products that pass
    the PRODUCT schema, and the jobs of the stock push and the feeds."""

    def setUp(self):
        super().setUp()
        self.us = self.account.amazon_participation_ids.filtered(
            lambda p: p.marketplace_id == US
        )
        (self.account.amazon_participation_ids - self.us).write({"selected": False})
        self.product_type = self.env["amazon.product.type"]._fetch(
            self.account._amazon_client(),
            PRODUCT_TYPE,
            US,
            seller_id=self.account.amazon_selling_partner_id,
        )
        self.emulator.clear_calls()

    # -- products and listings ---------------------------------------------------------
    def _amazon_product(self, sku, qty=12, number=0, **values):
        product = self._product(
            sku,
            f"Figure {sku}",
            qty,
            barcode=ean13(400000000000 + number),
            image_1920=PNG,
            **values,
        )
        product.product_tmpl_id.write(
            {
                "amazon_brand": "Odoo Figures",
                "amazon_bullet_points": "Hand painted\nSix inches tall",
                "description_sale": f"A collectible figure ({sku}).",
                "amazon_product_type_id": self.product_type.id,
            }
        )
        return product

    def _amazon_listings(self, count, prefix="FG", qty=12, long_skus=()):
        """``count`` draft listings in the US marketplace; the indexes in
        ``long_skus`` get a SKU longer than Amazon's 40 characters."""
        listings = self.env["amazon.listing"]
        for index in range(count):
            sku = f"{prefix}-{index:04d}"
            if index in long_skus:
                sku = sku + "-" + "X" * 40
            product = self._amazon_product(sku, qty=qty, number=index)
            listings |= product._amazon_listings_for(self.account, self.us)
        return listings

    def _publish_by_feed(self, listings):
        """Publish ``listings`` (more than the threshold) through one feed,
        processed by the emulator; returns the feed."""
        listings.action_publish()
        feed = self._feeds()
        self.assertEqual(len(feed), 1, "one feed per marketplace")
        self._run_chain(SUBMIT)
        self._finish_feeds()
        self.emulator.apply_pending()
        return feed

    def _live(self, count, prefix="FG", qty=12):
        listings = self._amazon_listings(count, prefix=prefix, qty=qty)
        if count > self._threshold():
            self._publish_by_feed(listings)
        else:
            listings.action_publish()
            self._run_chain("_job_run")
            self.emulator.apply_pending()
        self.assertEqual(
            set(listings.mapped("state")),
            {"published"},
            set(listings.mapped("last_error")),
        )
        self.env["queue.job"].search([("method_name", "=", "_job_readback")]).unlink()
        self.emulator.clear_calls()
        return listings

    def _threshold(self):
        from ..models.amazon.res_config_settings import feed_threshold

        return feed_threshold(self.env)

    # -- feeds -----------------------------------------------------------------------
    def _feeds(self, **domain):
        return self.env["amazon.feed"].search(
            [("account_id", "=", self.account.id)]
            + [(k, "=", v) for k, v in domain.items()],
            order="id",
        )

    def _finish_feeds(self):
        """Amazon processes every feed, then Odoo follows them to the end."""
        self.emulator.amazon("POST", "feeds/process")
        return self._run_chain(CHECK)

    def _emulator_feed(self, feed):
        return self.emulator.amazon("GET", f"feeds/{feed.amazon_feed_id}")

    # -- the seller's side -----------------------------------------------------------------
    def _on_amazon(self, listing):
        """(quantity, price) the emulator's listing shows, once applied."""
        self.emulator.apply_pending()
        attributes = self.emulator.listing(EMULATOR_SELLER, listing.sku)["attributes"]
        quantity = attributes["fulfillment_availability"][0]["quantity"]
        offer = attributes["purchasable_offer"][0]
        price = offer["our_price"][0]["schedule"][0]["value_with_tax"]
        return quantity, float(price)

    def _perform_pushes(self):
        return self._run_chain(PUSH)
