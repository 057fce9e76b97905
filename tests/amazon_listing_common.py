"""What the Amazon listing tests share, on the Amazon common
(tests/amazon_common.py): a product ready for Amazon's SHIRT product type,
its listing in the US marketplace, and the listing's jobs run as the job
runner would run them."""

import base64

from odoo.addons.queue_job.tests.common import trap_jobs

from .amazon_common import EMULATOR_SELLER, US
from .common import StockMixin

# A 1x1 PNG: the product's image, which Amazon gets by its public URL.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc000000301010018dd8db0"
        "0000000049454e44ae426082"
    )
)
# EAN-13 with a right check digit.
EAN = "4006381333931"
# SHIRT wants a department: not an Odoo field, so a template override.
DEPARTMENT = '{"department": [{"value": "mens", "language_tag": "en_US"}]}'
LISTINGS = "^/listings/2021-08-01/items/"


class AmazonListingMixin(StockMixin):
    """A SHIRT product type chosen for a tee, and its listing on Amazon US."""

    SELLER = EMULATOR_SELLER

    def _shirt_type(self, account=None):
        """SHIRT's definition for the US, fetched and cached as the product
        type wizard does."""
        account = account or self.account
        return self.env["amazon.product.type"]._fetch(
            account._amazon_client(),
            "SHIRT",
            US,
            seller_id=account.amazon_selling_partner_id,
        )

    def _tee(self, sku="TEE-1", barcode=EAN, **template_values):
        product = self._product(
            sku, "Organic cotton tee", 12, barcode=barcode, image_1920=PNG
        )
        product.product_tmpl_id.write(
            dict(
                {
                    "amazon_product_type_id": self._shirt_type().id,
                    "amazon_brand": "Odoo Wear",
                    "amazon_bullet_points": "Organic cotton\nMade to last",
                    "description_sale": "A soft tee in organic cotton.",
                    "amazon_attribute_overrides": DEPARTMENT,
                },
                **template_values,
            )
        )
        return product

    def _us(self, account=None):
        return (account or self.account).amazon_participation_ids.filtered(
            lambda p: p.marketplace_id == US
        )

    def _listing(self, product=None, account=None):
        product = product or self._tee()
        return product._amazon_listings_for(account or self.account, self._us(account))

    def _run(self, listing, method="_job_run", *args):
        """Run one job of the listing (as the system, as jobs enqueued by the
        actions run); the jobs it enqueued are returned (trap)."""
        with trap_jobs() as trap:
            getattr(listing.sudo(), method)(*args)
        return trap

    def _queue_publish(self, listing):
        """The publish action; its job is trapped, not run."""
        with trap_jobs():
            listing.action_publish()
        self.assertEqual(listing.state, "queued", listing.last_error)

    def _publish(self, listing):
        """Publish through the action and its job: the jobs queued after it."""
        with trap_jobs() as trap:
            listing.action_publish()
        self.assertEqual(listing.state, "queued", listing.last_error)
        trap.assert_enqueued_job(
            listing._job_run,
            args=("publish",),
            properties={"identity_key": f"amazon.listing.publish:{listing.id}"},
        )
        return self._run(listing, "_job_run", "publish")

    def _applied(self, listing):
        """Amazon applies the accepted submissions; the read-back job runs."""
        self.emulator.apply_pending()
        return self._run(listing, "_job_readback")

    def _on_amazon(self, sku):
        return self.emulator.listings(self.SELLER).get(sku)

    def _submissions(self, method=None):
        return [
            c
            for c in self.emulator.calls(path=LISTINGS, method=method)
            if c.get("method") in ("PUT", "PATCH", "DELETE")
        ]
