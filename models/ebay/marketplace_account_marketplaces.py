"""The marketplaces an eBay account sells on (ebay_account_marketplace.py).

Its home marketplace (``ebay_marketplace_id``) always, and each marketplace
of its rows.  A listing is one offer on one of them.
"""

from odoo import fields, models

from .ebay_policy import DEFAULT_FIELDS


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    ebay_marketplace_ids = fields.One2many(
        "ebay.account.marketplace",
        "account_id",
        string="Marketplaces",
        help="The eBay marketplaces this account sells on besides its home "
        "marketplace, each with its own prices, currency and policies.",
    )

    def _ebay_marketplaces(self):
        """eBay's ids of the marketplaces the account sells on, home first."""
        self.ensure_one()
        ids = [self.ebay_marketplace_id] if self.ebay_marketplace_id else []
        for row in self.ebay_marketplace_ids:
            if row.marketplace_id not in ids:
                ids.append(row.marketplace_id)
        return ids

    def _ebay_marketplace_row(self, marketplace_id):
        """The account's row of ``marketplace_id`` (empty when it has none:
        the home marketplace then goes by the account's own settings)."""
        self.ensure_one()
        return self.ebay_marketplace_ids.filtered(
            lambda row: row.marketplace_id == marketplace_id
        )[:1]

    def _ebay_default_policy(self, policy):
        """``policy`` becomes the one the listings of its marketplace use
        where none of its kind is chosen yet: the account's own for the home
        marketplace, the row's for a marketplace the account has a row of."""
        self.ensure_one()
        if policy.marketplace_id == self.ebay_marketplace_id:
            default = DEFAULT_FIELDS[policy.kind]
            if not self[default]:
                self[default] = policy
        row = self._ebay_marketplace_row(policy.marketplace_id)
        own = f"{policy.kind}_policy_id"
        if row and not row[own]:
            row[own] = policy
