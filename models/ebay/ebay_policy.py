"""Business policies (fulfillment, payment, return) of an eBay account."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ... import const
from ...ebay import EbayError
from ...ebay.account import AccountApi
from ...ebay.errors import actionable
from .ebay_account_marketplace import MARKETPLACE_CURRENCIES

POLICY_KINDS = [
    ("fulfillment", "Fulfillment (shipping)"),
    ("payment", "Payment"),
    ("return", "Return"),
]
# The account's default policy of each kind.
DEFAULT_FIELDS = {
    "fulfillment": "ebay_fulfillment_policy_id",
    "payment": "ebay_payment_policy_id",
    "return": "ebay_return_policy_id",
}
CATEGORY_TYPES = [{"name": "ALL_EXCLUDING_MOTORS_VEHICLES"}]


class EbayPolicy(models.Model):
    _name = "ebay.policy"
    _description = "eBay Business Policy"
    _order = "account_id, kind, name"
    # Account and company, set once: marketplace.account.owned.mixin.
    _inherit = ["marketplace.account.owned.mixin"]

    # A policy is a copy of the account's own on eBay: it goes with the account.
    account_id = fields.Many2one(ondelete="cascade")
    kind = fields.Selection(POLICY_KINDS, required=True)
    name = fields.Char(required=True)
    policy_id = fields.Char(
        string="eBay Policy ID", readonly=True, copy=False, system_field=True
    )
    # A policy is of one marketplace: the account's home marketplace unless
    # made or read for another it sells on (ebay.account.marketplace).
    marketplace_id = fields.Selection(
        const.MARKETPLACES,
        string="Marketplace",
        compute="_compute_marketplace_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    # What a new policy needs (used when it is created from Odoo).
    handling_time_days = fields.Integer(default=1)
    shipping_service_code = fields.Char(default="USPSPriority")
    shipping_cost = fields.Float(default=0.0)
    returns_accepted = fields.Boolean(default=True)
    return_period_days = fields.Integer(default=30)
    immediate_pay = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "account_policy_uniq",
            "unique(account_id, kind, policy_id)",
            "This eBay policy is already known for this account.",
        )
    ]

    @api.depends("account_id")
    def _compute_marketplace_id(self):
        for policy in self:
            policy.marketplace_id = (
                policy.marketplace_id or policy.account_id.ebay_marketplace_id
            )

    def _payload(self):
        self.ensure_one()
        body = {
            "name": self.name,
            "marketplaceId": self.marketplace_id,
            "categoryTypes": CATEGORY_TYPES,
        }
        if self.kind == "fulfillment":
            body["handlingTime"] = {"value": self.handling_time_days, "unit": "DAY"}
            body["shippingOptions"] = [
                {
                    "optionType": "DOMESTIC",
                    "costType": "FLAT_RATE",
                    "shippingServices": [
                        {
                            "shippingServiceCode": self.shipping_service_code,
                            "shippingCost": {
                                "value": f"{self.shipping_cost:.2f}",
                                "currency": MARKETPLACE_CURRENCIES.get(
                                    self.marketplace_id, "USD"
                                ),
                            },
                            "freeShipping": not self.shipping_cost,
                        }
                    ],
                }
            ]
        elif self.kind == "return":
            body["returnsAccepted"] = self.returns_accepted
            if self.returns_accepted:
                body["returnPeriod"] = {"value": self.return_period_days, "unit": "DAY"}
                body["returnShippingCostPayer"] = "BUYER"
                body["refundMethod"] = "MONEY_BACK"
        else:
            body["immediatePay"] = self.immediate_pay
        return body

    def action_create_on_ebay(self):
        """Create this policy on eBay and remember its id."""
        self.check_access("write")  # managers only, before any call
        created = self.filtered(lambda p: not p.policy_id)
        if not created:
            raise UserError(self.env._("These policies are on eBay already."))
        for policy in created:
            api = AccountApi(policy.account_id._ebay_client())
            try:
                data = api.create_policy(policy.kind, policy._payload())
            except EbayError as err:
                raise UserError(
                    self.env._(
                        "eBay refused the %(kind)s policy %(name)s: %(reason)s",
                        kind=policy.kind,
                        name=policy.name,
                        reason=actionable(err),
                    )
                ) from err
            id_key = f"{policy.kind}PolicyId"
            policy._write_system({"policy_id": data.get(id_key)})
            # The account's first policy of a kind is the one its listings use
            # (on the home marketplace; another's goes to its row).
            policy.account_id._ebay_default_policy(policy)
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        return created[:1].account_id._marketplace_notify(
            self.env._("Business policies"),
            self.env._(
                "Created on eBay: %(policies)s.",
                policies=", ".join(
                    f"{policy.name} ({kinds[policy.kind].lower()})"
                    for policy in created
                ),
            ),
        )
