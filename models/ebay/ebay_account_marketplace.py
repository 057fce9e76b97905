"""A marketplace an eBay account sells on, beside its home marketplace.

A seller on EBAY_US, EBAY_GB and EBAY_DE has one eBay account: one
inventory item per SKU, and one offer per marketplace with that
marketplace's price, currency, business policies and category.  Each row
here says how Odoo makes the offers of one marketplace: the policies eBay
accepts there (a policy belongs to one marketplace), the currency buyers pay
in, the pricelist prices come from (converted with Odoo's currency rates
where its currency is another), the default category tree, and the share of
the stock offered there (eBay's offer ``availableQuantity``: what the seller
allocates to a marketplace out of the stock all offers share).

An account without rows sells on its home marketplace
(``ebay_marketplace_id``) as it always did; a row of the home marketplace
overrides what it sets and leaves the rest to the account's own settings.
"""

import math

from odoo import api, fields, models

from ... import const

# The currency buyers pay in on each marketplace (eBay's sites).
MARKETPLACE_CURRENCIES = {
    "EBAY_US": "USD",
    "EBAY_GB": "GBP",
    "EBAY_DE": "EUR",
    "EBAY_FR": "EUR",
    "EBAY_IT": "EUR",
    "EBAY_ES": "EUR",
    "EBAY_AU": "AUD",
    "EBAY_CA": "CAD",
}
# eBay's default category tree of a marketplace, where known (EBAY_FACTS:
# getDefaultCategoryTreeId gives EBAY_US 0, EBAY_GB 3, EBAY_DE 77).
DEFAULT_CATEGORY_TREES = {"EBAY_US": "0", "EBAY_GB": "3", "EBAY_DE": "77"}


class EbayAccountMarketplace(models.Model):
    _name = "ebay.account.marketplace"
    _description = "eBay Marketplace of an Account"
    _order = "account_id, sequence, id"
    # Account and company, set once: marketplace.account.owned.mixin.
    _inherit = ["marketplace.account.owned.mixin"]

    # The rows say how the account sells: they go with it.
    account_id = fields.Many2one(ondelete="cascade")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    marketplace_id = fields.Selection(
        const.MARKETPLACES, string="Marketplace", required=True
    )
    currency_id = fields.Many2one(
        "res.currency",
        string="Currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="The currency buyers pay in on this marketplace.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Pricelist",
        check_company=True,
        help="Prices on this marketplace come from this pricelist, converted "
        "with Odoo's currency rates when its currency is another. Empty: the "
        "product's sales price, converted.",
    )
    fulfillment_policy_id = fields.Many2one(
        "ebay.policy",
        string="Shipping policy",
        check_company=True,
        domain="[('account_id', '=', account_id), ('kind', '=', 'fulfillment'), "
        "('marketplace_id', '=', marketplace_id), ('policy_id', '!=', False)]",
    )
    payment_policy_id = fields.Many2one(
        "ebay.policy",
        string="Payment policy",
        check_company=True,
        domain="[('account_id', '=', account_id), ('kind', '=', 'payment'), "
        "('marketplace_id', '=', marketplace_id), ('policy_id', '!=', False)]",
    )
    return_policy_id = fields.Many2one(
        "ebay.policy",
        string="Return policy",
        check_company=True,
        domain="[('account_id', '=', account_id), ('kind', '=', 'return'), "
        "('marketplace_id', '=', marketplace_id), ('policy_id', '!=', False)]",
    )
    category_tree_id = fields.Char(
        string="Category tree",
        compute="_compute_category_tree_id",
        store=True,
        readonly=False,
        precompute=True,
        help="eBay's category tree of this marketplace (its default tree).",
    )
    stock_percent = fields.Float(
        string="Share of the stock (%)",
        default=100.0,
        help="The share of the stock offered on this marketplace. The stock "
        "itself is shared: what sells here is gone from the others too.",
    )
    stock_max = fields.Integer(
        string="At most",
        help="Never offer more than this here (0: no maximum).",
    )
    listing_count = fields.Integer(string="Listings", compute="_compute_listing_count")

    _sql_constraints = [
        (
            "account_marketplace_uniq",
            "unique(account_id, marketplace_id)",
            "This eBay account lists this marketplace already.",
        ),
    ]

    @api.depends("marketplace_id")
    def _compute_currency_id(self):
        for row in self:
            code = MARKETPLACE_CURRENCIES.get(row.marketplace_id)
            currency = (
                self.env["res.currency"]
                .with_context(active_test=False)
                .search([("name", "=", code)], limit=1)
                if code
                else self.env["res.currency"]
            )
            row.currency_id = (
                currency or row.currency_id or self.env.company.currency_id
            )

    @api.depends("marketplace_id")
    def _compute_category_tree_id(self):
        for row in self:
            row.category_tree_id = DEFAULT_CATEGORY_TREES.get(
                row.marketplace_id, row.category_tree_id or False
            )

    def _compute_listing_count(self):
        counts = {
            (account.id, marketplace): count
            for account, marketplace, count in self.env["ebay.listing"]._read_group(
                [("account_id", "in", self.account_id.ids)],
                ["account_id", "marketplace_id"],
                ["__count"],
            )
        }
        for row in self:
            row.listing_count = counts.get((row.account_id.id, row.marketplace_id), 0)

    # -- what the marketplace's offers get ------------------------------------------
    def _is_home(self):
        return self.marketplace_id == self.account_id.ebay_marketplace_id

    def _offered_quantity(self, shared):
        """The offer's ``availableQuantity``: this marketplace's share of
        ``shared``, the quantity all offers of the SKU share (and at most it)."""
        self.ensure_one()
        quantity = math.floor(shared * (self.stock_percent or 0.0) / 100.0)
        if self.stock_max:
            quantity = min(quantity, self.stock_max)
        return max(0, min(quantity, shared))

    def _price(self, product, override=0.0):
        """The offer's price in this marketplace's currency.

        ``override``: the listing's own price, in that currency already.
        Otherwise the pricelist's price (the account's for the home
        marketplace when the row names none), else the product's sales
        price; converted at today's rate when it is in another currency.
        """
        self.ensure_one()
        account = self.account_id
        company = account.company_id
        pricelist = self.pricelist_id or (self._is_home() and account.pricelist_id)
        if override:
            price, source = override, self.currency_id
        elif pricelist:
            price = pricelist._get_product_price(product, 1.0)
            source = pricelist.currency_id
        else:
            price, source = product.lst_price, company.currency_id
        if source and source != self.currency_id:
            price = source._convert(
                price, self.currency_id, company, fields.Date.context_today(self)
            )
        step = account.price_rounding or 0.01
        return round(round(price / step) * step, 2)

    def _policy_ids(self):
        """eBay's ids of the offer's policies: the row's, else (home
        marketplace only) the account's defaults."""
        self.ensure_one()
        account = self.account_id
        home = self._is_home()
        return tuple(
            (
                self[own] or (home and account[default]) or self.env["ebay.policy"]
            ).policy_id
            or ""
            for own, default in (
                ("fulfillment_policy_id", "ebay_fulfillment_policy_id"),
                ("payment_policy_id", "ebay_payment_policy_id"),
                ("return_policy_id", "ebay_return_policy_id"),
            )
        )
