"""Rights on what a seller clicks while setting up and publishing: the
category picker and browser, the bulk progress window and the account's
set-up checklist buttons, with two companies, a Marketplace User and a
Marketplace Manager.  Someone of company B neither sees nor acts on company
A's records; a user does not do what only a manager may; and nothing of it
reaches eBay."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import MANAGER_GROUPS, USER_GROUPS
from .ebay_common import TwoCompaniesCase

LEAF = [("leaf", "=", True)]
# The checklist's buttons: a manager's of the account's company only.
CHECKLIST_BUTTONS = (
    "action_ebay_open_connect_wizard",
    "action_opt_in_business_policies",
    "action_sync_policies",
    "action_create_location",
    "action_ebay_setup_notifications",
    "action_ebay_test_connection",
)


@tagged("post_install", "-at_install")
class TestPickerProgressAccess(TwoCompaniesCase):
    def setUp(self):
        super().setUp()
        people = {"company_id": self.company_a.id, "company_ids": self.company_a.ids}
        self.user_a = new_test_user(
            self.env, login="access_user_a", groups=USER_GROUPS, **people
        )
        self.manager_a = new_test_user(
            self.env,
            login="access_manager_a",
            groups=MANAGER_GROUPS + ",product.group_product_manager",
            **people,
        )
        self.emulator.clear_calls()

    def _ebay_calls(self):
        return [
            c
            for c in self.emulator.calls()
            if not c["path"].startswith(("/identity/", "/oauth2/"))
        ]

    # -- the picker and the browser --------------------------------------------
    def test_company_b_picks_through_its_own_account_never_through_as(self):
        for person in (self.user_b, self.manager_b):
            env = self.env(user=person, context={"ebay_account_id": self.account.id})
            with self.assertRaises(AccessError):
                env["ebay.category"].name_search("headphones", args=LEAF)
            with self.assertRaises(AccessError):
                env["ebay.category.browser"]._open_for(
                    self.product.product_tmpl_id.with_env(env),
                    self.account.with_env(env),
                )
        self.assertFalse(self._ebay_calls())
        # Without a chosen account, B's people search through B's account.
        env_b = self.env(user=self.user_b)
        self.assertTrue(env_b["ebay.category"].name_search("headphones", args=LEAF))
        [call] = self._ebay_calls()[-1:]
        self.assertIn("get_category_suggestions", call["path"])

    def test_a_user_browses_but_changes_the_product_only_with_product_rights(self):
        template = self.product.product_tmpl_id
        with self.assertRaises(AccessError):
            template.with_user(self.user_a).action_browse_ebay_categories()
        self.assertFalse(self._ebay_calls(), "rights come before eBay is asked")
        action = template.with_user(self.manager_a).action_browse_ebay_categories()
        browser = self.env["ebay.category.browser"].browse(action["res_id"])
        [books] = browser.line_ids.filtered(lambda line: line.name == "Books")
        books.with_user(self.manager_a).action_choose()
        self.assertEqual(template.ebay_category_id.category_id, "267")
        # A dialog of A's is nobody else's, even with the same rights.
        with self.assertRaises(AccessError):
            books.with_user(self.manager_b).action_choose()

    def test_the_publish_dialog_of_another_person_is_not_browsed_into(self):
        wizard = (
            self.env["ebay.listing.action.wizard"]
            .with_user(self.manager_a)
            .create({"account_id": self.account.id, "product_ids": self.product.ids})
        )
        other = new_test_user(
            self.env,
            login="access_other_manager_a",
            groups=MANAGER_GROUPS,
            company_id=self.company_a.id,
            company_ids=self.company_a.ids,
        )
        with self.assertRaises(AccessError):
            wizard.with_user(other).action_browse_categories()
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_a).action_browse_categories()

    # -- the bulk progress ----------------------------------------------------------
    def test_the_bulk_progress_is_its_companys_and_counts_what_one_may_see(self):
        listing = self._listing()
        with trap_jobs():
            listing.with_user(self.manager_a).action_publish()
        Progress = self.env["marketplace.bulk.progress"]
        progress = Progress.with_user(self.manager_a).browse(
            Progress.with_user(self.manager_a)._open_for(listing, "publish")["res_id"]
        )
        # A's user follows it; B's people neither read it nor open its lists.
        self.assertEqual(progress.with_user(self.user_a).queued_count, 1)
        for person in (self.user_b, self.manager_b):
            theirs = progress.with_user(person)
            with self.assertRaises(AccessError):
                theirs.read(["queued_count"])
            with self.assertRaises(AccessError):
                theirs.action_open_queued()
            with self.assertRaises(AccessError):
                theirs.write({"res_ids": [self.listing_b.id]})
            with self.assertRaises(AccessError):
                Progress.with_user(person).create(
                    {
                        "operation": "publish",
                        "res_model": "ebay.listing",
                        "res_ids": [listing.id],
                        "company_id": self.company_a.id,
                    }
                )
        salesman = new_test_user(
            self.env, login="access_salesman", groups="sales_team.group_sale_salesman"
        )
        with self.assertRaises(AccessError):
            Progress.with_user(salesman).create(
                {"operation": "publish", "res_model": "ebay.listing", "res_ids": []}
            )

    # -- the set-up checklist ---------------------------------------------------------
    def test_checklist_buttons_are_a_managers_of_the_accounts_company(self):
        for person in (self.user_a, self.user_b, self.manager_b):
            account = self.account.with_user(person)
            for button in CHECKLIST_BUTTONS:
                with self.subTest(person=person.login, button=button):
                    with self.assertRaises(AccessError):
                        getattr(account, button)()
        self.assertFalse(self._ebay_calls(), "nothing reached eBay")
        # A's user reads the checklist; B's people do not.
        self.assertTrue(self.account.with_user(self.user_a).setup_next_step)
        for person in (self.user_b, self.manager_b):
            with self.assertRaises(AccessError):
                self.account.with_user(person).read(["setup_next_step"])
        # A's manager does the step.
        result = self.account.with_user(self.manager_a).action_ebay_test_connection()
        self.assertEqual(result["tag"], "display_notification")
        self.assertTrue(self._ebay_calls())
