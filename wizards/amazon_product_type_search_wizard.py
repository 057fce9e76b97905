"""Choose a product's Amazon product type by searching Amazon's Product Type
Definitions API (searchDefinitionsProductTypes) with keywords.

The search and the definition of the chosen type are calls made while the
person waits; they are logged in the call log like every call, and a
refusal is shown in the wizard (not raised: the call log stays).
"""

from odoo import api, fields, models

from ..amazon.errors import AmazonError, actionable


class AmazonProductTypeSearchWizard(models.TransientModel):
    _name = "amazon.product.type.search.wizard"
    _description = "Search Amazon product types"

    product_tmpl_id = fields.Many2one("product.template", required=True)
    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        domain="[('channel', '=', 'amazon'), ('state', '=', 'connected')]",
        default=lambda self: self.env["marketplace.account"].search(
            [("channel", "=", "amazon"), ("state", "=", "connected")], limit=1
        ),
    )
    marketplace_code = fields.Char(
        string="Marketplace ID",
        required=True,
        compute="_compute_marketplace_code",
        store=True,
        readonly=False,
    )
    keywords = fields.Char(required=True)
    line_ids = fields.One2many(
        "amazon.product.type.search.line", "wizard_id", string="Product types"
    )
    message = fields.Text(readonly=True)

    @api.depends("account_id")
    def _compute_marketplace_code(self):
        for wizard in self:
            wizard.marketplace_code = (
                wizard.account_id.amazon_default_participation_id.marketplace_id
            )

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Amazon product type"),
        }

    def action_search(self):
        """Ask Amazon for the product types matching the keywords."""
        self.ensure_one()
        # Only someone who may change the product asks Amazon for it.
        self.product_tmpl_id.check_access("write")
        account = self.account_id
        client = account._amazon_client(on_call=account._call_recorder())
        try:
            found = client.definitions.search(
                [self.marketplace_code],
                keywords=[w for w in self.keywords.replace(",", " ").split() if w],
            )
        except AmazonError as err:
            self.write({"message": actionable(err), "line_ids": [(5, 0, 0)]})
            return self._reopen()
        types = found.get("productTypes") or []
        self.write(
            {
                "line_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "code": t.get("name"),
                            "name": t.get("displayName") or t.get("name"),
                        },
                    )
                    for t in types
                    if t.get("name")
                ],
                "message": False
                if types
                else self.env._("Amazon has no product type for these keywords."),
            }
        )
        return self._reopen()

    def _choose(self, line):
        self.ensure_one()
        template = self.product_tmpl_id
        template.check_access("write")  # before Amazon is asked
        account = self.account_id
        client = account._amazon_client(on_call=account._call_recorder())
        try:
            product_type = self.env["amazon.product.type"]._fetch(
                client,
                line.code,
                self.marketplace_code,
                seller_id=account.amazon_selling_partner_id,
                name=line.name,
            )
        except AmazonError as err:
            self.write({"message": actionable(err)})
            return self._reopen()
        template.amazon_product_type_id = product_type
        template.message_post(
            body=self.env._(
                "Amazon product type %(type)s chosen.", type=product_type.display_name
            )
        )
        return {"type": "ir.actions.act_window_close"}
