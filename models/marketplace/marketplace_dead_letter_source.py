"""A model whose records can give up mixes this in: its failures and
recoveries reach the dead-letter inbox (marketplace_dead_letter.py) by
themselves, on create, write and unlink."""

from odoo import api, fields, models


class MarketplaceDeadLetterSource(models.AbstractModel):
    """A model whose records can give up: reports to the inbox on write.

    A model mixes this in and says which field holds its state, which states
    mean "gave up", where its error and try count are, and how to requeue.
    """

    _name = "marketplace.dead.letter.source"
    _description = "Record that can give up (marketplace dead letters)"

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
            marketplace_source_deleted=True
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
