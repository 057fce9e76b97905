"""Fields only the connector writes, and fields fixed once a record exists.

A field says which it is, where it is defined::

    remote_order_id = fields.Char(readonly=True, copy=False, system_field=True)
    account_id = fields.Many2one("marketplace.account", required=True, set_once=True)

- ``system_field``: written by the connector only (marketplace ids, states, pushed
  values, flags, counters, buyer data).
- ``set_once``: given when the record is created, never changed by a person
  afterwards (a record never moves to another account or company).

``readonly=True`` only keeps the web client from sending a value; any RPC
caller can still write it.  This mixin makes the rule hold for every caller:
a create or write in an environment that is not the superuser's that names
such a field raises AccessError, whatever the person's access rights.

The connector's own code writes them through the system path, after the
action checked the caller's rights (STYLE rule 18)::

    self.check_access("write")            # first: nothing happens for a refusal
    ...
    order._write_system({"state": "imported", "sale_order_id": sale.id})

Queue jobs run in the environment they were enqueued from, so the connector
enqueues them on ``sudo()`` records once the rights were checked: a job body
then writes these fields as the system.
"""

from odoo import api, models
from odoo.exceptions import AccessError

PARAMETERS = ("system_field", "set_once")


class Base(models.AbstractModel):
    """Every model accepts the two parameters, so a mixin that several
    models share (``marketplace.dead.letter.source``) can declare its fields with
    them; they are enforced on the models that inherit the mixin below."""

    _inherit = "base"

    def _valid_field_parameter(self, field, name):
        return name in PARAMETERS or super()._valid_field_parameter(field, name)


class MarketplaceProtectedFieldsMixin(models.AbstractModel):
    _name = "marketplace.protected.fields.mixin"
    _description = "Fields the connector owns (not writable by users)"

    # A record whose company is its account's names the account field here:
    # created without a company, it takes the account's.  Its company field
    # is a plain one (``set_once``), not a related one, so that
    # ``check_company`` on the account field compares two independent values.
    _company_from_field = None

    @api.model
    def _protected_field_names(self):
        """(names refused at create, names refused at write) of this model.

        Kept on the model class and rebuilt whenever the registry sets the
        model's fields up again (a module installed or updated).
        """
        cls = type(self)
        cached = cls.__dict__.get("_marketplace_protected_cache")
        if cached and cached[0] is self._fields:
            return cached[1]
        system = frozenset(
            name
            for name, field in self._fields.items()
            if getattr(field, "system_field", False)
        )
        fixed = frozenset(
            name
            for name, field in self._fields.items()
            if getattr(field, "set_once", False)
        )
        names = (system, system | fixed)
        cls._marketplace_protected_cache = (self._fields, names)
        return names

    def _check_protected_fields(self, fnames, creating):
        if self.env.su:
            return
        on_create, on_write = self._protected_field_names()
        refused = sorted(set(fnames) & (on_create if creating else on_write))
        if refused:
            raise AccessError(
                self.env._(
                    "%(fields)s of %(model)s are managed by the marketplace "
                    "connector: use its actions instead of writing them.",
                    fields=", ".join(self._fields[name].string for name in refused),
                    model=self._description,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        records = self
        if not self.env.su:
            for vals in vals_list:
                self._check_protected_fields(vals, creating=True)
            # A default given in the context is a value the caller gave:
            # ``default_is_live`` must not set what ``is_live`` may not.
            system = self._protected_field_names()[0]
            context = self.env.context
            if any(k.startswith("default_") and k[8:] in system for k in context):
                records = self.with_context(
                    {
                        key: value
                        for key, value in context.items()
                        if not (key.startswith("default_") and key[8:] in system)
                    }
                )
        if self._company_from_field:
            vals_list = [self._with_source_company(vals) for vals in vals_list]
        return super(MarketplaceProtectedFieldsMixin, records).create(vals_list)

    def _with_source_company(self, vals):
        source = self._company_from_field
        if vals.get("company_id") or not vals.get(source):
            return vals
        comodel = self.env[self._fields[source].comodel_name]
        return dict(vals, company_id=comodel.browse(vals[source]).company_id.id)

    def write(self, vals):
        self._check_protected_fields(vals, creating=False)
        return super().write(vals)

    # -- the system path --------------------------------------------------------
    def _write_system(self, vals):
        """Write fields the connector owns.  The caller checked rights first."""
        return self.sudo().write(vals)

    @api.model
    def _create_system(self, vals_list):
        """Create records with fields the connector owns; returned in the
        caller's environment.  The caller checked rights first."""
        return self.sudo().create(vals_list).with_env(self.env)
