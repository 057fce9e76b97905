"""The dead-letter inbox: every eBay job and record that gave up, in one list.

A source record (a listing, a variation group, an eBay order, a delivery
whose tracking eBay refused, a notification, a failed queue job) owns at most
one letter, keyed by (model, id).  The source reports its own failures and
recoveries through :class:`MarketplaceDeadLetterSource`; staff requeue or ignore
letters in bulk from the inbox.
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
    ("listing_group", "Variation listing"),
    ("order", "eBay order"),
    ("tracking", "Tracking"),
    ("notification", "Notification"),
    ("job", "Job"),
]


class MarketplaceDeadLetter(models.Model):
    _name = "marketplace.dead.letter"
    _description = "eBay Dead Letter"
    _order = "last_failed_at desc, id desc"
    _inherit = ["marketplace.protected.fields.mixin"]
    _check_company_auto = True

    # Written by the sources and the inbox actions (as the system), never by
    # hand: a letter edited over RPC could point at any record.
    name = fields.Char(required=True, readonly=True, system_field=True)
    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        check_company=True,
        system_field=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, system_field=True
    )
    kind = fields.Selection(
        LETTER_KINDS, required=True, readonly=True, system_field=True
    )
    res_model = fields.Char(
        string="Model", required=True, readonly=True, system_field=True
    )
    res_id = fields.Many2oneReference(
        string="Record",
        model_field="res_model",
        required=True,
        readonly=True,
        system_field=True,
    )
    state = fields.Selection(
        LETTER_STATES,
        required=True,
        default="open",
        index=True,
        readonly=True,
        system_field=True,
    )
    error = fields.Text(
        readonly=True, system_field=True, help="eBay's error, normalised."
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
        """Hook: alerts follow letters (see marketplace_alert.py)."""

    def _after_recovery(self):
        """Hook: alerts follow letters (see marketplace_alert.py)."""

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
        """Hook: alerts follow letters (see marketplace_alert.py)."""

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "target": "current",
        }

    def action_open_calls(self):
        """The eBay calls logged for the record (listings) or its account."""
        self.ensure_one()
        domain = [("account_id", "=", self.account_id.id)]
        if self.res_model == "ebay.listing":
            domain = [("listing_id", "=", self.res_id)]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("eBay calls"),
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


class MarketplaceDeadLetterSource(models.AbstractModel):
    """A model whose records can give up: reports to the inbox on write.

    A model mixes this in and says which field holds its state, which states
    mean "gave up", where its error and try count are, and how to requeue.
    """

    _name = "marketplace.dead.letter.source"
    _description = "Record that can give up (eBay dead letters)"

    _dead_letter_kind = None
    # Set while the record has a letter that is not resolved: the hot paths
    # (a bulk publish writes a thousand listings) check recovery for free.
    dead_letter_open = fields.Boolean(readonly=True, copy=False, system_field=True)
    _dead_letter_state_field = "state"
    _dead_letter_failed_states = ("failed", "error")
    # States that prove the record works again (queued or draft prove nothing).
    _dead_letter_ok_states = ()
    _dead_letter_error_field = "last_error"
    _dead_letter_attempts_field = None

    def _dead_letter_account(self):
        return self.account_id

    def _dead_letter_requeue(self):
        raise NotImplementedError

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if any(self._dead_letter_state_field in vals for vals in vals_list):
            records._dead_letter_sync()
        return records

    def write(self, vals):
        result = super().write(vals)
        if self._dead_letter_state_field in vals:
            self._dead_letter_sync()
        return result

    def unlink(self):
        # A deleted record cannot fail any more: its letter (and the alert
        # about it) must not stay open for ever.
        self.env["marketplace.dead.letter"].with_context(
            ebay_source_deleted=True
        )._report_recoveries(self.filtered("dead_letter_open"))
        return super().unlink()

    def _dead_letter_sync(self):
        state_field = self._dead_letter_state_field
        failed = self.filtered(
            lambda r: r[state_field] in self._dead_letter_failed_states
        )
        failures = []
        for record in failed:
            account = record._dead_letter_account()
            if not account:
                continue
            # A refusal is one failure; a give-up counts the tries it made.
            attempts_field = (
                record._dead_letter_attempts_field
                if record[state_field] == "failed"
                else None
            )
            failures.append(
                {
                    "record": record,
                    "account": account,
                    "kind": record._dead_letter_kind,
                    "error": record[record._dead_letter_error_field] or False,
                    "attempts": record[attempts_field] if attempts_field else 1,
                }
            )
        Letter = self.env["marketplace.dead.letter"]
        Letter._report_failures(failures)
        recovered = self.filtered(
            lambda r: (
                r.dead_letter_open and r[state_field] in self._dead_letter_ok_states
            )
        )
        if recovered:
            Letter._report_recoveries(recovered)


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    dead_letter_count = fields.Integer(compute="_compute_dead_letter_count")

    def _compute_dead_letter_count(self):
        counts = self._open_counts("marketplace.dead.letter")
        for account in self:
            account.dead_letter_count = counts.get(account, 0)

    def action_open_dead_letters(self):
        return self._action_for_account(
            "marketplace_connector.marketplace_dead_letter_action"
        )
