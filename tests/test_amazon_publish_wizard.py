"""Publishing many products on Amazon from the product list: a product type
and a condition set for all of them at once, and a preview that says what is
missing before anything is queued."""

from odoo.tests import Form, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .amazon_common import AmazonCase
from .amazon_listing_common import AmazonListingMixin


@tagged("post_install", "-at_install")
class TestAmazonPublishWizard(AmazonListingMixin, AmazonCase):
    def _form(self, products):
        return Form(
            self.env["amazon.listing.action.wizard"].with_context(
                active_model="product.product", active_ids=products.ids
            )
        )

    def test_product_type_and_condition_set_for_all_products(self):
        tees = self._tee("TEE-1") | self._tee("TEE-2", barcode="5901234123457")
        tees.product_tmpl_id.write({"amazon_product_type_id": False})
        shirt = self._shirt_type()
        form = self._form(tees)
        self.assertEqual(form.participation_id, self._us())
        self.assertEqual(form.ready_count, 0)
        self.assertIn("choose an Amazon product type", form.preview)
        form.product_type_id = shirt
        form.condition = "used_like_new"
        self.assertEqual(form.ready_count, 2)
        wizard = form.save()
        with trap_jobs() as trap:
            wizard.action_apply()
        listings = self.env["amazon.listing"].search(
            [("product_id", "in", tees.ids), ("account_id", "=", self.account.id)]
        )
        self.assertEqual(len(listings), 2)
        self.assertEqual(listings.product_type_id, shirt)
        self.assertEqual(set(listings.mapped("condition")), {"used_like_new"})
        self.assertEqual(set(listings.mapped("state")), {"queued"})
        self.assertEqual(len(trap.enqueued_jobs), 2)
        # The products keep their own (empty) product type: the wizard set
        # the listings'.
        self.assertFalse(tees.product_tmpl_id.amazon_product_type_id)

    def test_the_preview_counts_products_with_their_own_product_type(self):
        tee = self._tee("TEE-3", barcode="9780201379624")
        form = self._form(tee)
        self.assertEqual(form.ready_count, 1)
        self.assertIn("All products have a product type", form.preview)
