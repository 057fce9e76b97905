"""eBay's category tree, browsed from the top: the product's eBay tab and
the publish dialog open the top levels (getCategoryTree, cached per site),
go down a level at a time (getCategorySubtree when a branch is not fresh in
the cache) and choose a category that holds listings."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import USER_GROUPS, TwoCompaniesMixin
from .ebay_common import ListingCase

TAXONOMY = "^/commerce/taxonomy/v1/"
TOP_LEVELS = [
    "Books",
    "Cell Phones & Accessories",
    "Clothing, Shoes & Accessories",
    "Consumer Electronics",
    "Everything Else",
    "Toys & Hobbies",
]


@tagged("post_install", "-at_install")
class TestCategoryBrowse(TwoCompaniesMixin, ListingCase):
    def setUp(self):
        super().setUp()
        self.template = self.product.product_tmpl_id

    def _browser(self, action):
        self.assertEqual(
            (action["res_model"], action["target"]), ("ebay.category.browser", "new")
        )
        return self.env["ebay.category.browser"].browse(action["res_id"])

    def _line(self, browser, name):
        [line] = browser.line_ids.filtered(lambda line: line.name == name)
        return line

    def _tree_calls(self):
        return [
            c
            for c in self.emulator.calls(path=TAXONOMY)
            if c["path"].rstrip("/").endswith("/category_tree/0")
        ]

    def _subtree_calls(self):
        return [
            c
            for c in self.emulator.calls(path=TAXONOMY)
            if "get_category_subtree" in c["path"]
        ]

    def test_the_product_goes_down_the_tree_to_a_leaf_and_takes_it(self):
        browser = self._browser(self.template.action_browse_ebay_categories())
        self.assertEqual(browser.path, "All categories")
        self.assertEqual(browser.line_ids.mapped("name"), TOP_LEVELS)
        self.assertEqual(len(self._tree_calls()), 1)
        self.assertFalse(self._line(browser, "Consumer Electronics").leaf)
        self.assertTrue(self._line(browser, "Books").leaf, "a top level leaf")

        browser = self._browser(
            self._line(browser, "Consumer Electronics").action_open()
        )
        self.assertEqual(browser.path, "Consumer Electronics")
        self.assertEqual(
            browser.line_ids.mapped("name"), ["Portable Audio & Headphones"]
        )
        browser = self._browser(
            self._line(browser, "Portable Audio & Headphones").action_open()
        )
        self.assertEqual(
            browser.path, "Consumer Electronics > Portable Audio & Headphones"
        )
        headphones = self._line(browser, "Headphones")
        self.assertTrue(headphones.leaf)
        # The whole tree came in one call: going down asks eBay nothing more.
        self.assertEqual(len(self._tree_calls()), 1)
        self.assertFalse(self._subtree_calls())

        action = headphones.action_choose()
        self.assertEqual(action, {"type": "ir.actions.act_window_close"})
        category = self.template.ebay_category_id
        self.assertEqual(
            (category.category_id, category.path),
            (
                "112529",
                "Consumer Electronics > Portable Audio & Headphones > Headphones",
            ),
        )
        # The names eBay requires in the category wait for their values.
        self.assertEqual(
            self.template.ebay_aspect_ids.mapped("name"), ["Brand", "Type"]
        )
        self.assertEqual(self.template.ebay_missing_aspects, "Brand, Type")

        # Up one level, then to the top; a second browse reads the cache.
        browser = self._browser(browser.action_up())
        self.assertEqual(browser.path, "Consumer Electronics")
        browser = self._browser(browser.action_up())
        self.assertEqual(browser.line_ids.mapped("name"), TOP_LEVELS)
        self._browser(self.template.action_browse_ebay_categories())
        self.assertEqual(len(self._tree_calls()), 1)
        self._assert_no_contract_violation()

    def test_a_branch_older_than_a_week_is_read_again_with_its_subtree(self):
        browser = self._browser(self.template.action_browse_ebay_categories())
        phones = self._line(browser, "Cell Phones & Accessories").category_id
        phones.children_fetched_at = fields.Datetime.now() - timedelta(days=8)
        browser = self._browser(
            self._line(browser, "Cell Phones & Accessories").action_open()
        )
        self.assertEqual(browser.line_ids.mapped("name"), ["Cell Phones & Smartphones"])
        [call] = self._subtree_calls()
        self.assertEqual(call["query"]["category_id"], "15032")
        self.assertTrue(phones._children_fresh())
        self._assert_no_contract_violation()

    def test_only_a_category_that_holds_listings_can_be_chosen(self):
        browser = self._browser(self.template.action_browse_ebay_categories())
        with self.assertRaisesRegex(ValidationError, "holds other categories"):
            self._line(browser, "Toys & Hobbies").action_choose()
        self.assertFalse(self.template.ebay_category_id)

    def test_the_publish_dialog_browses_and_comes_back_with_the_category(self):
        wizard = self.env["ebay.listing.action.wizard"].create(
            {"account_id": self.account.id, "product_ids": self.product.ids}
        )
        browser = self._browser(wizard.action_browse_categories())
        action = self._line(browser, "Books").action_choose()
        self.assertEqual(
            (action["res_model"], action["res_id"], action["target"]),
            ("ebay.listing.action.wizard", wizard.id, "new"),
        )
        self.assertEqual(wizard.category_id.category_id, "267")
        self.assertEqual(wizard._bulk_values()["category_id"], "267")

    def test_from_the_products_dialog_the_dialog_comes_back(self):
        details = self.template.action_edit_ebay_details()
        template = self.template.with_context(**details["context"])
        browser = self._browser(template.action_browse_ebay_categories())
        action = self._line(browser, "Books").action_choose()
        self.assertEqual(
            (action["res_model"], action["res_id"], action["target"]),
            ("product.template", self.template.id, "new"),
        )

    # -- rights ----------------------------------------------------------------
    def test_company_b_and_people_without_rights_cannot_browse_through_a(self):
        self._setup_company_b()
        salesman = new_test_user(
            self.env, login="browse_salesman", groups="sales_team.group_sale_salesman"
        )
        Browser = self.env["ebay.category.browser"]
        for person in (self.user_b, self.manager_b, salesman):
            with self.assertRaises(AccessError):
                Browser.with_user(person)._open_for(
                    self.template.with_user(person), self.account.with_user(person)
                )
        # B's people have no eBay account of their own: they are told so.
        with self.assertRaisesRegex(Exception, "Connect an eBay account first"):
            self.template.with_user(self.manager_b).action_browse_ebay_categories()
        self.assertFalse(self.emulator.calls(path=TAXONOMY))

    def test_a_browsing_dialog_is_its_openers_only(self):
        self._setup_company_b()
        user_a = new_test_user(
            self.env,
            login="browse_user_a",
            groups=USER_GROUPS + ",product.group_product_manager",
        )
        other_a = new_test_user(
            self.env,
            login="browse_other_a",
            groups=USER_GROUPS + ",product.group_product_manager",
        )
        browser = self._browser(
            self.template.with_user(user_a).action_browse_ebay_categories()
        )
        line = self._line(browser, "Books").with_user(other_a)
        with self.assertRaises(AccessError):
            line.action_choose()
        with self.assertRaises(AccessError):
            self._line(browser, "Consumer Electronics").with_user(other_a).action_open()
        self.assertFalse(self.template.ebay_category_id)
        self._line(browser, "Books").with_user(user_a).action_choose()
        self.assertEqual(self.template.ebay_category_id.category_id, "267")
