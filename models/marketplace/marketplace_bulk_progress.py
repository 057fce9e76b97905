"""How a bulk publish or end goes: how many of its listings are still
queued, done (live, or ended) and in error, with a progress bar.

Neutral: the listings are any channel's (``res_model`` names their model)
and are counted as the person who looks, so record rules decide what each
person sees: someone of another company sees neither the progress nor the
listings.  The form reloads itself until nothing is queued any more (the
``marketplace_bulk_progress_refresh`` widget).
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# The state a listing reaches when the operation is done with it.
DONE_STATES = {"publish": "published", "end": "ended"}
ERROR_STATES = ("error", "failed")


class MarketplaceBulkProgress(models.TransientModel):
    _name = "marketplace.bulk.progress"
    _description = "Progress of a bulk publish or end"
    # A feed of many listings may take hours: keep the record a day.
    _transient_max_hours = 24.0

    operation = fields.Selection(
        [("publish", "Publish"), ("end", "End")], required=True, readonly=True
    )
    res_model = fields.Char(string="Listing model", required=True, readonly=True)
    res_ids = fields.Json(string="Listing IDs", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    name = fields.Char(compute="_compute_name")
    total_count = fields.Integer(string="Listings", compute="_compute_counts")
    queued_count = fields.Integer(string="Queued", compute="_compute_counts")
    done_count = fields.Integer(string="Done", compute="_compute_counts")
    error_count = fields.Integer(string="In error", compute="_compute_counts")
    other_count = fields.Integer(
        string="Not sent",
        compute="_compute_counts",
        help="Listings this operation did not send (for instance a listing that "
        "was not live when asked to end).",
    )
    progress = fields.Float(compute="_compute_counts")
    is_done = fields.Boolean(compute="_compute_counts")

    @api.model
    def _open_for(self, listings, operation, notification=None):
        """Create the progress of ``operation`` on ``listings`` and return
        the window that shows it; after ``notification`` (the action's own
        display_notification, which says what was queued) when given."""
        if operation not in DONE_STATES:
            raise UserError(self.env._("Unknown bulk operation: %s", operation))
        progress = self.create(
            {
                "operation": operation,
                "res_model": listings._name,
                "res_ids": listings.ids,
                "company_id": (listings.company_id[:1] or self.env.company).id,
            }
        )
        window = {
            "type": "ir.actions.act_window",
            "name": progress.name,
            "res_model": self._name,
            "res_id": progress.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
        if isinstance(notification, dict) and notification.get("params"):
            return dict(notification, params=dict(notification["params"], next=window))
        return window

    @api.constrains("res_model")
    def _check_res_model(self):
        listing_models = self.env["marketplace.listing.mixin"]._listing_models()
        for progress in self:
            if progress.res_model not in listing_models:
                raise ValidationError(
                    self.env._("Progress is shown for marketplace listings only.")
                )

    @api.depends("operation", "res_ids")
    def _compute_name(self):
        for progress in self:
            count = len(progress.res_ids or [])
            if progress.operation == "end":
                progress.name = self.env._("Ending %(count)s listings", count=count)
            else:
                progress.name = self.env._("Publishing %(count)s listings", count=count)

    def _compute_counts(self):
        for progress in self:
            by_state = {}
            if progress.res_model in self.env and progress.res_ids:
                by_state = dict(
                    self.env[progress.res_model]._read_group(
                        [("id", "in", progress.res_ids)], ["state"], ["__count"]
                    )
                )
            total = sum(by_state.values())
            queued = by_state.get("queued", 0)
            done = by_state.get(DONE_STATES.get(progress.operation), 0)
            error = sum(by_state.get(state, 0) for state in ERROR_STATES)
            progress.total_count = total
            progress.queued_count = queued
            progress.done_count = done
            progress.error_count = error
            progress.other_count = total - queued - done - error
            progress.progress = 100.0 * (total - queued) / total if total else 100.0
            progress.is_done = not queued

    # -- links to the listings in each state ----
    def _open_listings(self, title, state_domain=()):
        self.ensure_one()
        domain = [("id", "in", self.res_ids or []), *state_domain]
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": self.res_model,
            "domain": domain,
            "views": [(False, "list"), (False, "form")],
            "context": {"create": False},
        }

    def action_open_all(self):
        return self._open_listings(self.name)

    def action_open_queued(self):
        return self._open_listings(
            self.env._("Queued listings"), [("state", "=", "queued")]
        )

    def action_open_done(self):
        self.ensure_one()
        title = (
            self.env._("Ended listings")
            if self.operation == "end"
            else self.env._("Live listings")
        )
        return self._open_listings(title, [("state", "=", DONE_STATES[self.operation])])

    def action_open_error(self):
        return self._open_listings(
            self.env._("Listings in error"), [("state", "in", ERROR_STATES)]
        )

    def action_open_other(self):
        self.ensure_one()
        sent = ["queued", DONE_STATES[self.operation], *ERROR_STATES]
        return self._open_listings(
            self.env._("Listings not sent"), [("state", "not in", sent)]
        )
