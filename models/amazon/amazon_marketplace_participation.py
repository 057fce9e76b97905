"""The Amazon marketplaces a seller participates in, read from the Sellers API
(getMarketplaceParticipations) when the account connects and on "Refresh
marketplaces"; staff choose which of them Odoo sells in."""

from odoo import api, fields, models

from ...amazon import MARKETPLACES


class AmazonMarketplaceParticipation(models.Model):
    _name = "amazon.marketplace.participation"
    _description = "Amazon Marketplace Participation"
    _inherit = ["marketplace.protected.fields.mixin"]
    _order = "account_id, name"
    _check_company_auto = True
    _company_from_field = "account_id"

    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
        set_once=True,
        domain=[("channel", "=", "amazon")],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, set_once=True
    )
    # What Amazon says: written by the connector only.
    marketplace_id = fields.Char(
        string="Marketplace ID", required=True, readonly=True, system_field=True
    )
    name = fields.Char(readonly=True, system_field=True)
    country_code = fields.Char(readonly=True, system_field=True)
    currency_id = fields.Many2one("res.currency", readonly=True, system_field=True)
    language = fields.Char(
        readonly=True, system_field=True, help="Amazon's default language tag."
    )
    domain_name = fields.Char(readonly=True, system_field=True)
    participating = fields.Boolean(
        readonly=True,
        system_field=True,
        help="Amazon says the seller participates in this marketplace.",
    )
    has_suspended_listings = fields.Boolean(readonly=True, system_field=True)
    # Staff's choice: Odoo lists and pushes stock here.
    selected = fields.Boolean(
        string="Sell here",
        default=True,
        help="Odoo lists products and pushes stock and prices to this marketplace.",
    )

    _sql_constraints = [
        (
            "account_marketplace_uniq",
            "unique(account_id, marketplace_id)",
            "An account lists each Amazon marketplace once.",
        )
    ]

    @api.depends("name", "marketplace_id")
    def _compute_display_name(self):
        for participation in self:
            participation.display_name = (
                participation.name or participation.marketplace_id or ""
            )

    @api.model
    def _values_from_amazon(self, entry):
        """Field values of one getMarketplaceParticipations entry."""
        marketplace = entry.get("marketplace") or {}
        participation = entry.get("participation") or {}
        code = marketplace.get("id") or ""
        known = MARKETPLACES.get(code)
        currency_code = marketplace.get("defaultCurrencyCode") or (
            known and known.currency
        )
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", currency_code)], limit=1)
            if currency_code
            else self.env["res.currency"]
        )
        return {
            "marketplace_id": code,
            "name": marketplace.get("name") or (known and known.name) or code,
            "country_code": marketplace.get("countryCode")
            or (known and known.country_code),
            "currency_id": currency.id,
            "language": marketplace.get("defaultLanguageCode")
            or (known and known.language),
            "domain_name": marketplace.get("domainName"),
            "participating": bool(participation.get("isParticipating", True)),
            "has_suspended_listings": bool(participation.get("hasSuspendedListings")),
        }
