"""The dead-letter inbox: every marketplace job and record that gave up, in
one list.

A source record (a listing, a variation listing, a marketplace order, a
delivery whose tracking the marketplace refused, a notification, a failed
queue job) owns at most one letter, keyed by (model, id).  The source reports
its own failures and recoveries through ``marketplace.dead.letter.source``
(marketplace_dead_letter_source.py); staff requeue or ignore letters in bulk
from the inbox.
"""

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import UserError

LETTER_STATES = [
    ("open", "Open"),
    ("requeued", "Requeued"),
    ("ignored", "Ignored"),
    ("resolved", "Resolved"),
]

LETTER_KINDS = [
    ("listing", "Listing"),
    ("order", "Marketplace order"),
    ("tracking", "Tracking"),
    ("notification", "Notification"),
    ("job", "Job"),
]


class MarketplaceDeadLetter(models.Model):
    _name = "marketplace.dead.letter"
    _description = "Marketplace Dead Letter"
    _order = "last_failed_at desc, id desc"
    _inherit = ["marketplace.issue.mixin"]

    # Written by the sources and the inbox actions (as the system), never by
    # hand: a letter edited over RPC could point at any record.
    kind = fields.Selection(
        LETTER_KINDS, required=True, readonly=True, system_field=True
    )
    error = fields.Text(
        readonly=True, system_field=True, help="The marketplace's error, normalised."
    )
    attempts = fields.Integer(
        readonly=True,
        system_field=True,
        help="Tries of the last run before it gave up.",
    )
    failure_count = fields.Integer(
        string="Failures",
        readonly=True,
        system_field=True,
        help="Tries that failed since the record last succeeded.",
    )
    first_failed_at = fields.Datetime(readonly=True, system_field=True)
    last_failed_at = fields.Datetime(readonly=True, index=True, system_field=True)
    handled_by = fields.Many2one("res.users", readonly=True, system_field=True)
    handled_at = fields.Datetime(readonly=True, system_field=True)

    _sql_constraints = [
        (
            "record_unique",
            "unique(res_model, res_id)",
            "A record has one dead letter at most.",
        )
    ]

    def _issue_states(self):
        return LETTER_STATES

    # -- reporting (called by the sources) ---------------------------------------
    @api.model
    def _report_failures(self, failures):
        """Open (or reopen) the letters of records that gave up.

        :param failures: list of dicts with keys record, account, kind, error,
            attempts
        """
        # Bookkeeping of the system: whoever's write made the record fail
        # (a stock user validating a delivery) need not read letters.
        return self.sudo()._report_failures_as_system(failures)

    def _report_failures_as_system(self, failures):
        if not failures:
            return self.browse()
        now = fields.Datetime.now()
        letters = self._letters_of(
            [(f["record"]._name, f["record"].id) for f in failures]
        )
        by_key = {(letter.res_model, letter.res_id): letter for letter in letters}
        to_create = []
        touched = self.browse()
        for failure in failures:
            record = failure["record"]
            attempts = max(failure.get("attempts") or 1, 1)
            letter = by_key.get((record._name, record.id))
            if letter:
                streak = 0 if letter.state == "resolved" else letter.failure_count
                letter.write(
                    {
                        "state": "open",
                        "error": failure["error"],
                        "attempts": attempts,
                        "failure_count": streak + attempts,
                        "last_failed_at": now,
                        "handled_by": False,
                        "handled_at": False,
                    }
                )
                touched |= letter
            else:
                to_create.append(
                    {
                        "name": failure.get("name") or record.display_name,
                        "account_id": failure["account"].id,
                        "kind": failure["kind"],
                        "res_model": record._name,
                        "res_id": record.id,
                        "error": failure["error"],
                        "attempts": attempts,
                        "failure_count": attempts,
                        "first_failed_at": now,
                        "last_failed_at": now,
                    }
                )
        touched |= self._create_once(to_create)
        touched._flag_sources(True)
        touched._after_failure()
        return touched

    def _create_once(self, vals_list):
        """Create letters; one that another transaction created meanwhile is
        updated instead (the unique key), not a failure of the caller's work."""
        created = self.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    created |= self.create([vals])
            except UniqueViolation:
                letter = self._letters_of([(vals["res_model"], vals["res_id"])])
                letter.write(
                    {key: vals[key] for key in ("error", "attempts", "last_failed_at")}
                    | {"state": "open"}
                )
                created |= letter
        return created

    @api.model
    def _report_recoveries(self, records):
        """The records work again: their letters are resolved."""
        if not records:
            return
        letters = self.sudo()._letters_of([(r._name, r.id) for r in records])
        letters = letters.filtered(lambda letter: letter.state != "resolved")
        if letters:
            letters.write({"state": "resolved", "failure_count": 0})
            letters._flag_sources(False)
            letters._after_recovery()

    def _flag_sources(self, is_open):
        """Keep the sources' ``dead_letter_open`` in step with their letters."""
        for model in set(self.mapped("res_model")):
            Source = self.env[model].sudo()
            if "dead_letter_open" not in Source._fields:
                continue
            ids = self.filtered(lambda x, m=model: x.res_model == m).mapped("res_id")
            Source.browse(ids).exists().filtered(
                lambda r: r.dead_letter_open != is_open
            ).write({"dead_letter_open": is_open})

    def _letters_of(self, keys):
        if not keys:
            return self.browse()
        by_model = {}
        for model, res_id in keys:
            by_model.setdefault(model, []).append(res_id)
        domain = []
        for model, ids in by_model.items():
            clause = ["&", ("res_model", "=", model), ("res_id", "in", ids)]
            domain = ["|", *domain, *clause] if domain else clause
        return self.search(domain)

    def _after_failure(self):
        """Hook: alerts follow letters (marketplace_dead_letter_alerts.py)."""

    def _after_recovery(self):
        """Hook: alerts follow letters (marketplace_dead_letter_alerts.py)."""

    # -- actions (bulk) -----------------------------------------------------------
    def _source(self):
        """The record, or an empty recordset when it was deleted."""
        self.ensure_one()
        return self._source_ref().exists()

    def _source_ref(self):
        """The record's reference, even when deleted (alerts key on it)."""
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id)

    def action_requeue(self):
        """Run what gave up again, with its retries reset."""
        self.check_access("read")
        done = self.filtered(lambda x: x.state in ("open", "ignored") and x._source())
        # Letters are read-only for users: the inbox actions write them.
        done = done.sudo()
        # Marked first: a source that runs at once (an order retry) resolves
        # or reopens its letter itself.
        done.write(
            {
                "state": "requeued",
                "handled_by": self.env.user.id,
                "handled_at": fields.Datetime.now(),
            }
        )
        for letter in done:
            letter._source()._dead_letter_requeue()
        if not done and self:
            raise UserError(self.env._("Only open or ignored letters can be requeued."))
        return self._notify(
            self.env._("%(n)s requeued.", n=len(done)) if done else False
        )

    def action_ignore(self):
        """Acknowledge: the record stays as it is and leaves the inbox."""
        self.check_access("read")
        letters = self.filtered(lambda x: x.state == "open").sudo()
        letters.write(
            {
                "state": "ignored",
                "handled_by": self.env.user.id,
                "handled_at": fields.Datetime.now(),
            }
        )
        letters._after_ignore()
        return self._notify(self.env._("%(n)s ignored.", n=len(letters)))

    def _after_ignore(self):
        """Hook: alerts follow letters (marketplace_dead_letter_alerts.py)."""

    def action_open_calls(self):
        """The calls logged for the record, else those of its account."""
        self.ensure_one()
        domain = [("res_model", "=", self.res_model), ("res_id", "=", self.res_id)]
        if not self.env["marketplace.call"].search_count(domain, limit=1):
            domain = [("account_id", "=", self.account_id.id)]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Calls"),
            "res_model": "marketplace.call",
            "view_mode": "list,form",
            "domain": domain,
        }

    def _notify(self, message):
        if not message:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
