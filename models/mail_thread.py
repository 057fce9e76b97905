"""Followers and chatter notes of a batch of orders, written together.

Confirming a sale order makes Odoo subscribe its customer (sale's
``action_confirm``), create its delivery (which subscribes the delivery
address: stock's picking ``create``) and post the delivery's "created from"
note (sale_stock's ``_assign_picking_post_process``): each one record at a
time, about fifteen queries per order.  The marketplace import confirms its
orders inside ``_marketplace_mail_together()``: there, the subscriptions
and such notes are kept aside and written at the end of the block for all
records at once, the same followers with the same default subtypes and the
same notes (logged as notes are: an internal note notifies no customer).
Outside the block nothing changes.
"""

import contextlib

from odoo import api, models

# The transaction's store for the pending work (``cr.precommit.data``: where
# Odoo's own mail tracking collects values before it writes them).  Present
# only inside ``_marketplace_mail_together()``.
PENDING = "marketplace_connector.mail_together"


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @contextlib.contextmanager
    def _marketplace_mail_together(self):
        """Keep the subscriptions and view-rendered notes of the block
        aside, and write them together when it ends without error (an
        error drops them with the work they belonged to)."""
        data = self.env.cr.precommit.data
        if PENDING in data:  # inside another block: that one writes them
            yield
            return
        data[PENDING] = {"followers": [], "notes": []}
        try:
            yield
            pending = data.pop(PENDING)
            self._marketplace_write_followers(pending["followers"])
            self._marketplace_write_notes(pending["notes"])
        finally:
            data.pop(PENDING, None)

    def _marketplace_pending(self):
        return self.env.cr.precommit.data.get(PENDING)

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        pending = self._marketplace_pending()
        if pending is None or subtype_ids or not self or not partner_ids:
            return super().message_subscribe(partner_ids, subtype_ids)
        # The rights message_subscribe checks, now; the partners' own
        # filter (active ones only) is applied when they are written.
        self.check_access("write")
        pending["followers"].append((self._name, self.ids, list(partner_ids)))
        return True

    def message_post_with_source(
        self,
        source_ref,
        render_values=None,
        message_type="notification",
        subtype_xmlid=False,
        subtype_id=False,
        **kwargs,
    ):
        pending = self._marketplace_pending()
        note = (subtype_xmlid or "mail.mt_note") == "mail.mt_note" and not subtype_id
        template = view = None
        if pending is not None and note and not kwargs:
            template, view = self._get_source_from_ref(source_ref)
        if pending is None or template or not view or kwargs or not note:
            return super().message_post_with_source(
                source_ref,
                render_values=render_values,
                message_type=message_type,
                subtype_xmlid=subtype_xmlid,
                subtype_id=subtype_id,
                **kwargs,
            )
        # An internal note rendered from a view: rendered now, as
        # message_post_with_source does, and logged with the others.
        bodies = self.env["mail.render.mixin"]._render_template_qweb_view(
            view, self._name, self.ids, add_context=render_values
        )
        pending["notes"].append((self._name, message_type, bodies))
        return self.env["mail.message"]

    @api.model
    def _marketplace_write_followers(self, subscriptions):
        """``(model, record ids, partner ids)`` as message_subscribe writes
        them (active partners, default subtypes, customers the external
        ones, existing followers kept), in a few queries for all."""
        if not subscriptions:
            return
        partner_ids = {pid for _m, _r, pids in subscriptions for pid in pids}
        Partner = self.env["res.partner"].sudo()
        active = set(Partner.search([("id", "in", list(partner_ids))]).ids)
        customers = set(
            Partner.search(
                [("id", "in", list(active)), ("partner_share", "=", True)]
            ).ids
        )
        wanted = {}
        for model, res_ids, pids in subscriptions:
            for res_id in res_ids:
                for pid in pids:
                    if pid in active:
                        wanted.setdefault((model, res_id, pid), None)
        Followers = self.env["mail.followers"].sudo()
        existing = {
            (f.res_model, f.res_id, f.partner_id.id)
            for f in Followers.search(
                [
                    ("res_model", "in", list({m for m, _r, _p in wanted})),
                    ("res_id", "in", list({r for _m, r, _p in wanted})),
                    ("partner_id", "in", list(active)),
                ]
            )
        }
        values = []
        for model, res_id, pid in wanted:
            if (model, res_id, pid) in existing:
                continue
            default, _internal, external = self.env[
                "mail.message.subtype"
            ].default_subtypes(model)
            subtypes = external if pid in customers else default
            values.append(
                {
                    "res_model": model,
                    "res_id": res_id,
                    "partner_id": pid,
                    "subtype_ids": [(6, 0, subtypes.ids)],
                }
            )
        if values:
            Followers.with_context(default_partner_id=False).create(values)

    @api.model
    def _marketplace_write_notes(self, notes):
        """The notes kept aside, one batch log per model and kind."""
        grouped = {}
        for model, message_type, bodies in notes:
            grouped.setdefault((model, message_type), {}).update(bodies)
        for (model, message_type), bodies in grouped.items():
            self.env[model].browse(list(bodies))._message_log_batch(
                bodies, message_type=message_type
            )
