"""A person who may not do an action is refused before anything happens.

A Marketplace User of company A (read-only on accounts) and the manager and
user of company B call the public actions over RPC (``with_user``).  Each
call must raise AccessError, and eBay (the emulator's call log), the vault
and the queue must see nothing of it.

No ``assertRaises`` here: its savepoint would roll back a vault row written
before the refusal and hide it.  The refusal is a Python exception raised
before any SQL fails, so the transaction stays usable for the checks.
"""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import USER_GROUPS
from .ebay_common import TwoCompaniesCase


@tagged("post_install", "-at_install")
class TestRightsBeforeEffects(TwoCompaniesCase):
    def setUp(self):
        super().setUp()
        self.user_a = new_test_user(
            self.env,
            login="shop_a_reader",
            groups=USER_GROUPS,
            company_id=self.company_a.id,
            company_ids=self.company_a.ids,
        )
        self.listing_a = self._published()
        self.account.ebay_listings_to_migrate = "110000000001"

    def _vault(self, account):
        return sorted(
            self.env["marketplace.secret"]
            .sudo()
            .search([("account_id", "=", account.id)])
            .mapped(lambda t: (t.id, t.kind, t.write_date))
        )

    def _assert_refused_before_effects(self, what, call, account):
        calls = len(self.emulator.calls())
        vault = self._vault(account)
        with trap_jobs() as trap:
            try:
                call()
            except AccessError:
                pass  # expected; what matters is checked below
            else:
                self.fail(f"{what}: no AccessError")
        self.assertEqual(self.emulator.calls()[calls:], [], f"{what}: eBay was called")
        self.assertEqual(self._vault(account), vault, f"{what}: the vault changed")
        self.assertEqual(trap.enqueued_jobs, [], f"{what}: a job was queued")

    def _account_actions(self, account):
        policy = self.env["ebay.policy"].create(
            {"account_id": account.id, "kind": "payment", "name": "Refused policy"}
        )
        return {
            "action_ebay_setup_notifications": lambda a: (
                a.action_ebay_setup_notifications()
            ),
            "action_opt_in_business_policies": (
                lambda a: a.action_opt_in_business_policies()
            ),
            "action_sync_policies": lambda a: a.action_sync_policies(),
            "action_create_location": lambda a: a.action_create_location(),
            "action_migrate_listings": (
                lambda a: a.action_migrate_listings(["110000000001"])
            ),
            "action_migrate_from_form": lambda a: a.action_migrate_from_form(),
            "action_ebay_test_connection": lambda a: a.action_ebay_test_connection(),
            "action_disconnect": lambda a: a.action_disconnect(),
            "policy.action_create_on_ebay": (
                lambda a: policy.with_env(a.env).action_create_on_ebay()
            ),
        }

    def test_marketplace_user_is_refused_account_actions_before_effects(self):
        for what, action in self._account_actions(self.account).items():
            account = self.account.with_user(self.user_a)
            self._assert_refused_before_effects(
                f"{self.user_a.login} {what}",
                lambda a=account, f=action: f(a),
                self.account,
            )
        self.assertEqual(self.account.state, "connected")
        self.assertFalse(self.account.ebay_notification_destination_id)

    def test_other_company_people_are_refused_before_effects(self):
        drift = self.env["marketplace.drift"].create(
            {
                "account_id": self.account.id,
                "res_model": "ebay.listing",
                "res_id": self.listing_a.id,
                "field": "quantity",
                "odoo_value": 12,
                "marketplace_value": 3,
            }
        )
        actions = dict(self._account_actions(self.account))
        actions.update(
            {
                "listing.action_publish": lambda a: self.listing_a.with_env(
                    a.env
                ).action_publish(),
                "listing.action_preview_fees": lambda a: self.listing_a.with_env(
                    a.env
                ).action_preview_fees(),
                "listing.action_suggest_category": lambda a: self.listing_a.with_env(
                    a.env
                ).action_suggest_category(),
                "listing.action_end": lambda a: self.listing_a.with_env(
                    a.env
                ).action_end(),
                "listing.action_retrieve": lambda a: self.listing_a.with_env(
                    a.env
                ).action_retrieve(),
                "drift.action_repair": lambda a: drift.with_env(a.env).action_repair(),
            }
        )
        for person in (self.user_b, self.manager_b):
            for what, action in actions.items():
                account = self.account.with_user(person)
                self._assert_refused_before_effects(
                    f"{person.login} {what}",
                    lambda a=account, f=action: f(a),
                    self.account,
                )
        self.assertEqual(drift.state, "open")
        self.assertEqual(self.listing_a.state, "published")
