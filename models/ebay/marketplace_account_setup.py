"""Seller setup of an account: business policies opt-in, policies, location."""

import itertools
import re

from odoo import fields, models
from odoo.exceptions import UserError

from ...ebay import EbayError
from ...ebay.account import BUSINESS_POLICIES_PROGRAM, POLICY_KINDS, AccountApi
from ...ebay.errors import actionable
from ...ebay.inventory import InventoryApi


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    ebay_business_policies_opted_in = fields.Boolean(
        string="Business policies opted in",
        readonly=True,
        copy=False,
        system_field=True,
    )
    ebay_policy_ids = fields.One2many("ebay.policy", "account_id", string="Policies")
    ebay_fulfillment_policy_id = fields.Many2one(
        "ebay.policy",
        string="Default fulfillment policy",
        check_company=True,
        domain="[('account_id', '=', id), ('kind', '=', 'fulfillment'), "
        "('policy_id', '!=', False)]",
    )
    ebay_payment_policy_id = fields.Many2one(
        "ebay.policy",
        string="Default payment policy",
        check_company=True,
        domain="[('account_id', '=', id), ('kind', '=', 'payment'), "
        "('policy_id', '!=', False)]",
    )
    ebay_return_policy_id = fields.Many2one(
        "ebay.policy",
        string="Default return policy",
        check_company=True,
        domain="[('account_id', '=', id), ('kind', '=', 'return'), "
        "('policy_id', '!=', False)]",
    )
    ebay_merchant_location_key = fields.Char(
        string="Inventory location key", readonly=True, copy=False, system_field=True
    )

    def _raise_setup_error(self, what, err):
        raise UserError(
            self.env._(
                "eBay could not %(what)s for %(name)s: %(reason)s",
                what=what,
                name=self.name,
                reason=actionable(err),
            )
        ) from err

    def action_opt_in_business_policies(self):
        self.ensure_one()
        self.check_access("write")  # managers only, before any call
        api = AccountApi(self._ebay_client())
        try:
            programs = api.get_opted_in_programs()
            already = BUSINESS_POLICIES_PROGRAM in programs
            if not already:
                api.opt_in_to_program(BUSINESS_POLICIES_PROGRAM)
        except EbayError as err:
            self._raise_setup_error(self.env._("opt in to business policies"), err)
        self._write_system({"ebay_business_policies_opted_in": True})
        return self._marketplace_notify(
            self.env._("Business policies"),
            self.env._("This eBay account was already opted in to business policies.")
            if already
            else self.env._("This eBay account is now opted in to business policies."),
        )

    def action_sync_policies(self):
        """Read the account's policies from eBay; keep defaults if still there."""
        self.ensure_one()
        self.check_access("write")  # managers only, before any call
        api = AccountApi(self._ebay_client())
        Policy = self.env["ebay.policy"]
        read = 0
        # The policies of every marketplace the account sells on.
        for kind, marketplace in itertools.product(
            POLICY_KINDS, self._ebay_marketplaces()
        ):
            id_key = POLICY_KINDS[kind][2]
            try:
                remote = api.get_policies(kind, marketplace)
            except EbayError as err:
                self._raise_setup_error(self.env._("read the policies"), err)
            known = {p.policy_id: p for p in self.ebay_policy_ids if p.kind == kind}
            read += len(remote)
            for data in remote:
                values = {"name": data.get("name") or data[id_key]}
                if data[id_key] in known:
                    known[data[id_key]].write(values)
                else:
                    Policy._create_system(
                        dict(
                            values,
                            account_id=self.id,
                            kind=kind,
                            policy_id=data[id_key],
                            marketplace_id=marketplace,
                        )
                    )
        for policy in self.ebay_policy_ids.filtered("policy_id"):
            self._ebay_default_policy(policy)
        if not read:
            message = self.env._(
                "eBay has no business policies for this account yet: add a "
                "shipping, a payment and a return policy under Seller setup, "
                "then create them on eBay."
            )
        else:
            message = self.env._("%(count)s policies read from eBay.", count=read)
        return self._marketplace_notify(self.env._("Business policies"), message)

    def _location_key(self):
        self.ensure_one()
        code = re.sub(r"[^A-Za-z0-9_-]", "-", self.warehouse_id.code or "WH")
        return f"odoo-{self.id}-{code}"[:36]

    def action_create_location(self):
        """Create (or link) the merchant location from the warehouse address."""
        self.ensure_one()
        self.check_access("write")  # managers only, before any call
        partner = self.warehouse_id.partner_id
        if not self.warehouse_id or not partner:
            raise UserError(self.env._("Choose a warehouse with an address first."))
        if not partner.zip or not partner.country_id:
            raise UserError(
                self.env._(
                    "The address of warehouse %(wh)s needs a postal code and a "
                    "country: eBay requires them for the inventory location.",
                    wh=self.warehouse_id.name,
                )
            )
        key = self._location_key()
        address = {"postalCode": partner.zip, "country": partner.country_id.code}
        if partner.city:
            address["city"] = partner.city
        if partner.state_id:
            address["stateOrProvince"] = partner.state_id.code
        if partner.street:
            address["addressLine1"] = partner.street
        body = {
            "location": {"address": address},
            "locationTypes": ["WAREHOUSE"],
            "name": self.warehouse_id.name[:1000],
            "merchantLocationStatus": "ENABLED",
        }
        api = InventoryApi(self._ebay_client())
        message = self.env._(
            "eBay now knows warehouse %(wh)s as the place items ship from.",
            wh=self.warehouse_id.name,
        )
        try:
            api.create_inventory_location(key, body)
        except EbayError as err:
            if err.status != 409:
                self._raise_setup_error(
                    self.env._("create the inventory location"), err
                )
            # Already there (made by an earlier try): linked, not made again.
            message = self.env._(
                "eBay already knew warehouse %(wh)s: it is now the place items "
                "ship from.",
                wh=self.warehouse_id.name,
            )
        self._write_system({"ebay_merchant_location_key": key})
        return self._marketplace_notify(self.env._("Inventory location"), message)
