"""Browse eBay's category tree from the top: open a level, see what it
holds, go down, choose a category that holds listings (a leaf).

The levels come from the cache (ebay.category), filled from eBay's whole
tree (getCategoryTree) the first time and refreshed a branch at a time
(getCategorySubtree) when its cached children are older than a week.  The
chosen category goes where the browsing started: the product's eBay tab or
the publish dialog.
"""

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError

# Where a chosen category goes: the model and its category field.
TARGET_FIELDS = {
    "product.template": "ebay_category_id",
    "ebay.listing.action.wizard": "category_id",
}


class EbayCategoryBrowser(models.TransientModel):
    _name = "ebay.category.browser"
    _description = "Browse eBay categories"

    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        readonly=True,
        domain="[('channel', '=', 'ebay'), ('state', '=', 'connected')]",
    )
    parent_id = fields.Many2one(
        "ebay.category", string="Category", readonly=True, ondelete="cascade"
    )
    path = fields.Char(string="You are in", compute="_compute_path")
    line_ids = fields.One2many(
        "ebay.category.browser.line", "browser_id", string="Categories"
    )
    res_model = fields.Selection(
        [
            ("product.template", "Product"),
            ("ebay.listing.action.wizard", "Publish dialog"),
        ],
        required=True,
        readonly=True,
    )
    res_id = fields.Integer(required=True, readonly=True)
    back_to_dialog = fields.Boolean(
        readonly=True, help="The product was edited in a dialog: go back to it."
    )

    @api.depends("parent_id")
    def _compute_path(self):
        for browser in self:
            browser.path = (
                browser.parent_id.path
                or browser.parent_id.name
                or self.env._("All categories")
            )

    @api.model
    def _open_for(self, target, account, back_to_dialog=False):
        """Open the tree's top level for ``target`` (a product template or a
        publish dialog), as eBay's tree of ``account``'s site."""
        target.ensure_one()
        # Rights first: on what the choice changes, and on the account that
        # asks eBay (another company's account is not readable).
        self._check_target(target)
        account.check_access("read")
        browser = self.create(
            {
                "account_id": account.id,
                "res_model": target._name,
                "res_id": target.id,
                "back_to_dialog": back_to_dialog,
            }
        )
        browser._show(self.env["ebay.category"]._ebay_root(account))
        return browser._reopen()

    def _reopen(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("eBay categories"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _show(self, category):
        """Show what ``category`` holds (the root: the top levels)."""
        self.ensure_one()
        self._check_own()
        children = category._ebay_children(self.account_id)
        self.write(
            {
                "parent_id": False if category.is_root else category.id,
                "line_ids": [Command.clear()]
                + [Command.create({"category_id": child.id}) for child in children],
            }
        )
        return self._reopen()

    def _check_own(self):
        # A dialog is its opener's: nobody else browses or chooses through it.
        if self.create_uid != self.env.user and not self.env.su:
            raise AccessError(self.env._("This dialog belongs to another user."))

    def action_up(self):
        """One level up."""
        self.ensure_one()
        parent = self.parent_id._ebay_parent()
        if not parent:
            parent = self.env["ebay.category"]._ebay_root(self.account_id)
        return self._show(parent)

    def action_top(self):
        self.ensure_one()
        return self._show(self.env["ebay.category"]._ebay_root(self.account_id))

    @api.model
    def _check_target(self, target):
        target.check_access("write")
        # Odoo lets anyone with the rights on a dialog's model write any
        # dialog of it: a publish dialog is browsed into by its opener only.
        if target._transient and target.create_uid != self.env.user:
            raise AccessError(self.env._("This dialog belongs to another user."))

    def _target(self):
        target = self.env[self.res_model].browse(self.res_id).exists()
        self._check_target(target)
        return target

    def _choose(self, category):
        """Set ``category`` where the browsing started and go back there."""
        self.ensure_one()
        self._check_own()
        category._check_leaf()
        target = self._target()
        target[TARGET_FIELDS[self.res_model]] = category
        return target._ebay_category_chosen(back_to_dialog=self.back_to_dialog)
