"""Categories are chosen, not typed: the product's eBay tab asks eBay's
category suggestions and tree (through the emulator), the listings made from
the product take what it says, and the publish wizard sets a category and a
condition for all its products at once."""

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .amazon_listing_common import PNG
from .common import USER_GROUPS, TwoCompaniesMixin
from .ebay_common import IMAGE, ListingCase

TAXONOMY = "^/commerce/taxonomy/v1/"
SUGGESTIONS = "get_category_suggestions"
SUBTREE = "get_category_subtree"
LEAF = [("leaf", "=", True)]


@tagged("post_install", "-at_install")
class TestCategoryPicker(TwoCompaniesMixin, ListingCase):
    def setUp(self):
        super().setUp()
        self.Category = self.env["ebay.category"]
        self.template = self.product.product_tmpl_id

    def _pick(self, text, env=None):
        """What the category field offers for ``text``, as the picker asks."""
        Category = (env or self.env)["ebay.category"]
        return Category.name_search(text, args=LEAF, operator="ilike", limit=8)

    def _category(self, category_id):
        return self.Category.search(
            [("marketplace_id", "=", "EBAY_US"), ("category_id", "=", category_id)]
        )

    def _taxonomy_calls(self, operation=""):
        return [c for c in self.emulator.calls(path=TAXONOMY) if operation in c["path"]]

    # -- the picker --------------------------------------------------------------
    def test_words_ask_ebays_suggestions_and_cache_the_category_with_its_path(self):
        offered = self._pick("organic cotton t-shirts")
        shirts = self._category("15687")
        self.assertEqual(
            offered, [(shirts.id, "Clothing, Shoes & Accessories > T-Shirts (15687)")]
        )
        self.assertEqual(
            (shirts.name, shirts.leaf, shirts.parent_category_id),
            ("T-Shirts", True, "11450"),
        )
        self.assertEqual(len(self._taxonomy_calls(SUGGESTIONS)), 1)
        # Found in the cache next time, by any word of its path: no call.
        self.assertEqual(self._pick("t-shirts"), offered)
        self.assertEqual(self._pick("clothing"), offered)
        self.assertEqual(len(self._taxonomy_calls(SUGGESTIONS)), 1)

    def test_a_category_with_subcategories_offers_them_and_is_refused(self):
        offered = self._pick("15032")  # Cell Phones & Accessories
        phones = self._category("9355")
        self.assertEqual(
            offered,
            [
                (
                    phones.id,
                    "Cell Phones & Accessories > Cell Phones & Smartphones (9355)",
                )
            ],
        )
        self.assertEqual(len(self._taxonomy_calls(SUBTREE)), 1)
        group = self._category("15032")
        self.assertFalse(group.leaf)
        with self.assertRaisesRegex(ValidationError, "holds other categories"):
            self.template.ebay_category_id = group
        self.template.ebay_category_id = phones
        self.assertEqual(self.template.ebay_category_id, phones)

    def test_an_unknown_number_or_nothing_suggested_offers_nothing(self):
        self.assertEqual(self._pick("123456789"), [])
        self.assertEqual(self._pick("zzqx"), [])
        self.assertFalse(self.Category.search([]))

    def test_without_a_connected_account_the_picker_says_so(self):
        company_c = self.env["res.company"].create({"name": "Shop C"})
        env = self.Category.with_company(company_c).env
        self.assertEqual(self._pick("headphones", env=env), [])
        self.assertEqual(
            self.template.with_env(env).ebay_picker_problem,
            "Connect an eBay account first: the categories come from eBay.",
        )
        self.assertFalse(self.template.ebay_picker_problem, "company A has one")
        self.assertFalse(self._taxonomy_calls())

    def test_the_required_item_specifics_are_offered_as_names_to_fill(self):
        self._pick("t-shirts")
        shirts = self._category("15687")
        view = "marketplace_connector.product_template_view_form_ebay_details"
        with Form(self.template, view=view) as form:
            form.ebay_category_id = shirts
            names = []
            for index in range(len(form.ebay_aspect_ids)):
                with form.ebay_aspect_ids.edit(index) as line:
                    names.append(line.name)
            self.assertEqual(names, ["Brand", "Size", "Color"])
            with form.ebay_aspect_ids.edit(0) as line:
                line.value = "Harbor"
        self.assertEqual(
            [(a.name, a.value) for a in self.template.ebay_aspect_ids],
            [("Brand", "Harbor"), ("Size", False), ("Color", False)],
        )

    def test_the_missing_item_specifics_note_follows_each_pick_before_saving(self):
        # Cached from eBay's suggestions: the category's aspects are not
        # known yet when it is picked.
        self._pick("t-shirts")
        self._pick("headphones")
        shirts, headphones = self._category("15687"), self._category("112529")
        self.assertFalse((shirts | headphones).filtered("fetched_at"))
        with Form(self.template) as form:
            form.ebay_category_id = shirts
            self.assertEqual(form.ebay_missing_aspects, "Brand, Size, Color")
            with form.ebay_aspect_ids.edit(0) as line:
                line.value = "Harbor"
            self.assertEqual(form.ebay_missing_aspects, "Size, Color")
            form.ebay_category_id = headphones
            self.assertEqual(form.ebay_missing_aspects, "Type")
        self.assertEqual(self.template.ebay_missing_aspects, "Type")

    # -- rights ----------------------------------------------------------------
    def test_another_companys_account_cannot_be_used_through_the_picker(self):
        self._setup_company_b()
        salesman = new_test_user(
            self.env, login="salesman", groups="sales_team.group_sale_salesman"
        )
        for user in (self.user_b, salesman):
            env = self.env(user=user, context={"ebay_account_id": self.account.id})
            with self.assertRaises(AccessError):
                self._pick("headphones", env=env)
        # Without the connector's rights, the cache only: eBay is not asked.
        self.assertEqual(self._pick("headphones", env=self.env(user=salesman)), [])
        self.assertFalse(self._taxonomy_calls())
        # B's user, with no eBay account of B's own, is told to connect one.
        self.assertEqual(self._pick("headphones", env=self.env(user=self.user_b)), [])
        self.assertIn(
            "Connect an eBay account first",
            self.template.with_user(self.user_b).ebay_picker_problem,
        )
        self.assertFalse(self._taxonomy_calls())
        # A marketplace user of the account's company picks through it.
        user_a = new_test_user(self.env, login="shop_a_user", groups=USER_GROUPS)
        offered = self._pick("t-shirts", env=self.env(user=user_a))
        self.assertEqual(
            [name for _id, name in offered],
            ["Clothing, Shoes & Accessories > T-Shirts (15687)"],
        )
        self.assertEqual(len(self._taxonomy_calls(SUGGESTIONS)), 1)

    # -- listings made from the product --------------------------------------------
    def test_the_products_category_condition_and_aspects_are_published(self):
        self._pick("t-shirts")
        self.template.write(
            {
                "ebay_category_id": self._category("15687").id,
                "ebay_condition": "USED_EXCELLENT",
                "ebay_aspect_ids": [
                    (0, 0, {"name": name, "value": value})
                    for name, value in (
                        ("Brand", "Harbor"),
                        ("Size", "M"),
                        ("Color", "Navy"),
                    )
                ],
            }
        )
        listing = self.product._ebay_listings_for(self.account)
        self.assertEqual(listing.condition, "USED_EXCELLENT")
        self.assertFalse(listing.category_id, "read from the product while empty")
        self.assertFalse(listing.category_missing)
        listing.image_urls = IMAGE
        self.assertEqual(listing._problems(), [])
        listing.action_publish()
        self._run(listing)
        self.assertEqual(listing.state, "published", listing.last_error)
        offer = self._api().get_offer(listing.offer_id)
        self.assertEqual(offer["categoryId"], "15687")
        item = self._api().get_inventory_item(listing.sku)
        self.assertEqual(item["condition"], "USED_EXCELLENT")
        self.assertEqual(
            item["product"]["aspects"],
            {"Brand": ["Harbor"], "Size": ["M"], "Color": ["Navy"]},
        )

    def test_a_listings_own_category_and_aspects_win_over_the_products(self):
        self._pick("t-shirts")
        self.template.write(
            {
                "ebay_category_id": self._category("15687").id,
                "ebay_aspect_ids": [(0, 0, {"name": "Brand", "value": "Harbor"})],
            }
        )
        listing = self._listing(
            aspect_ids=[(0, 0, {"name": "brand", "value": "Other"})]
        )
        data = listing._listing_data()
        self.assertEqual(data.category_id, "88433")
        self.assertEqual(data.aspects, {"brand": ["Other"]})

    def test_choose_an_ebay_category_points_to_the_products_ebay_tab(self):
        listing = self._listing(category_id=False)
        self.assertIn(
            "Choose an eBay category (on the product's eBay tab).",
            [message for _field, message in listing._problems()],
        )
        self.assertTrue(listing.category_missing)
        action = listing.action_choose_category_on_product()
        self.assertEqual(
            (action["res_model"], action["res_id"], action["target"]),
            ("product.template", self.template.id, "new"),
        )
        view = self.env.ref(
            "marketplace_connector.product_template_view_form_ebay_details"
        )
        self.assertEqual(action["views"], [(view.id, "form")])

    # -- the publish wizard --------------------------------------------------------
    def _wizard_form(self, products):
        return Form(
            self.env["ebay.listing.action.wizard"].with_context(
                active_model="product.product", active_ids=products.ids
            )
        )

    def test_the_preview_sees_the_existing_listing(self):
        # The listing has what the product lacks (a category): a new listing
        # made from the product would not be ready, the existing one is.
        self._listing()
        form = self._wizard_form(self.product)
        self.assertEqual(form.ready_count, 1)
        self.assertEqual(form.preview, "All products are ready.")

    def test_the_wizard_sets_category_and_condition_for_all_its_products(self):
        mug = self._product("MUG-1", "Mug", 4)
        products = self.product | mug
        for product in products:
            product.image_1920 = PNG
        self._pick("88433")  # Everything Else > Other, a leaf
        other = self._category("88433")
        form = self._wizard_form(products)
        self.assertEqual(form.ready_count, 0)
        self.assertIn("Choose an eBay category", form.preview)
        form.category_id = other
        form.condition = "USED_GOOD"
        self.assertEqual(form.ready_count, 2)
        wizard = form.save()
        with trap_jobs() as trap:
            wizard.action_apply()
        listings = products._ebay_listings_for(self.account)
        self.assertEqual(set(listings.mapped("category_id")), {"88433"})
        self.assertEqual(set(listings.mapped("condition")), {"USED_GOOD"})
        self.assertEqual(set(listings.mapped("state")), {"queued"})
        self.assertEqual(
            {r.id for job in trap.enqueued_jobs for r in job.recordset},
            set(listings.ids),
        )
