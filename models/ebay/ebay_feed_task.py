"""A task of eBay's Sell Feed API: one report or one file for many listings.

Above the account's threshold (``ebay_feed_threshold``) the connector stops
making one call per listing:

* reconciliation asks for the Active Inventory Report
  (LMS_ACTIVE_INVENTORY_REPORT) and compares it with Odoo
  (marketplace_account_reconcile.py);
* ending a large selection sends one LMS_END_FIXED_PRICE_ITEM file, and
  sending the prices and quantities of one sends an
  LMS_REVISE_INVENTORY_STATUS file (ebay_listing_bulk.py).

A task is sent by ``_job_send`` (createInventoryTask, or createTask then
uploadFile), followed by ``_job_check`` (getInventoryTask or getTask, again
later while eBay works: a new job with an eta, never a job that waits),
and its result file is read when eBay is done (getResultFile): the report's
listings go to the drift check, a file's per-request answers land on each
listing (ended, revised, or in error with eBay's reason).

A create whose answer is lost may have made a task on eBay: the next try
does not create another blindly, it first looks for the one it made
(getInventoryTasks / getTasks by feed type and creation date since the
first try) and carries on with it.
"""

import hashlib
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...ebay import feed as ebay_feed
from ...ebay.feed import FeedApi
from ..marketplace.job_edge import marketplace_job

FEED_TYPES = [
    (ebay_feed.ACTIVE_INVENTORY_REPORT, "Active inventory report"),
    (ebay_feed.END_FIXED_PRICE_ITEM, "End listings"),
    (ebay_feed.REVISE_INVENTORY_STATUS, "Revise prices and quantities"),
]
# eBay's FeedStatusEnum, in words, and the task's own first state.
STATES = [
    ("draft", "Not sent yet"),
    ("created", "Created, file not sent"),
    ("queued", "Waiting at eBay"),
    ("in_process", "eBay is working on it"),
    ("completed", "Completed"),
    ("completed_with_error", "Completed with errors"),
    ("partially_processed", "Partly processed"),
    ("failed", "Failed"),
]
EBAY_STATES = {
    "CREATED": "created",
    "QUEUED": "queued",
    "IN_PROCESS": "in_process",
    "COMPLETED": "completed",
    "COMPLETED_WITH_ERROR": "completed_with_error",
    "PARTIALLY_PROCESSED": "partially_processed",
    "FAILED": "failed",
}
OPEN_STATES = ("draft", "created", "queued", "in_process")
# Seconds before each status check: eBay takes from seconds to many minutes.
CHECK_DELAYS = (15, 30, 60, 120, 300)
# One file per this many listings: an end request is ~250 bytes, a revise
# ~350, far below eBay's 15 MB a file.
LISTINGS_PER_FILE = 20000
# How far around the first create try a lost task is looked for (clocks
# of Odoo and eBay differ by a little).
FIND_MARGIN = timedelta(minutes=5)
# eBay's "already ended" answer to an end: what was asked is done.
ALREADY_ENDED = "1047"


class EbayFeedTask(models.Model):
    _name = "ebay.feed.task"
    _description = "eBay Feed Task"
    _order = "id desc"
    _inherit = ["mail.thread", "marketplace.account.record.mixin"]

    name = fields.Char(compute="_compute_name")
    feed_type = fields.Selection(
        FEED_TYPES, required=True, readonly=True, system_field=True
    )
    state = fields.Selection(
        STATES,
        default="draft",
        required=True,
        index=True,
        tracking=True,
        readonly=True,
        system_field=True,
    )
    task_id = fields.Char(
        string="eBay task ID", index=True, readonly=True, copy=False, system_field=True
    )
    listing_ids = fields.Many2many(
        "ebay.listing",
        "ebay_feed_task_listing_rel",
        "task_id",
        "listing_id",
        string="Listings",
        readonly=True,
        check_company=True,
        system_field=True,
    )
    listing_count = fields.Integer(
        string="Listings sent", readonly=True, system_field=True
    )
    success_count = fields.Integer(string="Done", readonly=True, system_field=True)
    error_count = fields.Integer(string="In error", readonly=True, system_field=True)
    requested_at = fields.Datetime(
        string="First sent",
        readonly=True,
        copy=False,
        system_field=True,
        help="When Odoo first asked eBay to create the task.",
    )
    finished_at = fields.Datetime(readonly=True, copy=False, system_field=True)
    check_count = fields.Integer(
        string="Status checks", readonly=True, copy=False, system_field=True
    )
    checked_at = fields.Datetime(
        string="Last status check", readonly=True, copy=False, system_field=True
    )
    summary = fields.Text(readonly=True, copy=False, system_field=True)
    last_error = fields.Text(readonly=True, copy=False, system_field=True)

    _sql_constraints = [
        (
            "account_task_uniq",
            "unique(account_id, task_id)",
            "This eBay feed task is already known for this account.",
        ),
    ]

    @api.depends("feed_type", "task_id")
    def _compute_name(self):
        types = dict(self._fields["feed_type"]._description_selection(self.env))
        for task in self:
            task.name = self.env._(
                "%(type)s %(id)s",
                type=types.get(task.feed_type, ""),
                id=task.task_id or self.env._("(not sent, %s)", task.id),
            )

    # -- starting --------------------------------------------------------------------
    @api.model
    def _start(self, account, feed_type, listings):
        """Tasks of ``feed_type`` for ``listings`` of ``account``, queued to be
        sent (as the system: the caller checked the person's rights)."""
        Task = self.sudo()
        tasks = Task.browse()
        step = len(listings) or 1
        if feed_type != ebay_feed.ACTIVE_INVENTORY_REPORT:
            step = LISTINGS_PER_FILE
        for start in range(0, max(len(listings), 1), step):
            chunk = listings[start : start + step]
            tasks |= Task.create(
                {
                    "account_id": account.id,
                    "feed_type": feed_type,
                    "listing_ids": [fields.Command.set(chunk.ids)],
                    "listing_count": len(chunk),
                }
            )
        tasks._enqueue_send()
        return tasks

    def _enqueue_send(self):
        for task in self:
            task.with_delay(
                identity_key=f"ebay.feed.send:{task.id}",
                description=f"eBay feed task {task.name}",
            )._job_send()

    def _enqueue_check(self):
        for task in self:
            delay = CHECK_DELAYS[min(task.check_count, len(CHECK_DELAYS) - 1)]
            task.with_delay(
                eta=delay,
                identity_key=f"ebay.feed.check:{task.id}:{task.check_count}",
                description=f"eBay feed task status {task.name}",
            )._job_check()

    # -- sending ---------------------------------------------------------------------
    @marketplace_job
    def _job_send(self):
        """Queue job: create the task on eBay (or find the one an earlier try
        made), then send its file."""
        self.ensure_one()
        if self.state not in ("draft", "created"):
            return f"skipped: feed task {self.id} is {self.state}"
        report = self.feed_type == ebay_feed.ACTIVE_INVENTORY_REPORT
        if not report and not self.task_id and not self._listings_to_send():
            self.write(
                {
                    "state": "completed",
                    "finished_at": fields.Datetime.now(),
                    "summary": self.env._("Nothing left to send."),
                }
            )
            return "nothing left to send"
        operation = "createInventoryTask" if report else "createTask"
        with self.account_id._job_edge(record=self, operation=operation) as edge:
            api_ = FeedApi(edge.client)
            if not self.task_id and self.requested_at:
                self.task_id = self._find_lost_task(api_)
            if not self.task_id:
                # Kept whatever the call's fate: the next try looks for the
                # task this one may have made from this moment on.
                self.requested_at = self.requested_at or fields.Datetime.now()
                self.task_id = (
                    api_.create_inventory_task()
                    if report
                    else api_.create_task(self.feed_type)
                )
            if report:
                self.state = "queued"
            else:
                self._upload(api_)
        if edge.failed:
            self.last_error = edge.message
            if edge.refused:
                self._finish_failed(edge.message)
            return f"not sent: {edge.message}"
        self.last_error = False
        self._enqueue_check()
        return f"feed task {self.task_id} sent ({self.listing_count} listing(s))"

    def _find_lost_task(self, api_):
        """The task an earlier try created on eBay and never heard back
        about: of this type, created since that try, known to no other
        task of the account.  None if there is none (the create never
        landed)."""
        found = api_.find_tasks(
            self.feed_type,
            self.requested_at - FIND_MARGIN,
            fields.Datetime.now() + FIND_MARGIN,
        )
        known = set(
            self.search(
                [
                    ("account_id", "=", self.account_id.id),
                    ("task_id", "in", [t.get("taskId") for t in found]),
                ]
            ).mapped("task_id")
        )
        for task in found:
            if task.get("taskId") and task["taskId"] not in known:
                self.message_post(
                    body=self.env._(
                        "eBay's answer to the creation of this task was lost; "
                        "Odoo found the task it had made (%(id)s) and carries "
                        "on with it.",
                        id=task["taskId"],
                    )
                )
                return task["taskId"]
        return None

    def _upload(self, api_):
        """Send the file, unless an earlier try's upload landed already."""
        status = (api_.get_task(self.task_id) or {}).get("status")
        if status and status != "CREATED":
            self.state = EBAY_STATES.get(status, "queued")
            return
        listings = self._listings_to_send()
        if self.feed_type == ebay_feed.END_FIXED_PRICE_ITEM:
            document = ebay_feed.end_items_document(
                (str(l.id), l.ebay_listing_id, l.sku) for l in listings
            )
        else:
            document = ebay_feed.revise_inventory_status_document(
                _revision(listing) for listing in listings
            )
        digest = hashlib.sha1(document).hexdigest()[:12]
        api_.upload_file(
            self.task_id, f"{self.feed_type.lower()}-{digest}.xml", document
        )
        self.write({"state": "queued", "listing_count": len(listings)})

    def _listings_to_send(self):
        """The task's listings still waiting for it."""
        operation = "end" if self.feed_type == ebay_feed.END_FIXED_PRICE_ITEM else None
        return self.listing_ids.filtered(
            lambda l: (
                l.ebay_listing_id
                and (
                    l.state == "queued" and l.pending_operation == operation
                    if operation
                    else l.is_live
                )
            )
        )

    # -- following -------------------------------------------------------------------
    @marketplace_job
    def _job_check(self):
        """Queue job: ask eBay how far the task is; read its result file
        when it is done."""
        self.ensure_one()
        if self.state not in ("queued", "in_process"):
            return f"skipped: feed task {self.id} is {self.state}"
        report = self.feed_type == ebay_feed.ACTIVE_INVENTORY_REPORT
        content, status = None, None
        operation = "getInventoryTask" if report else "getTask"
        with self.account_id._job_edge(record=self, operation=operation) as edge:
            api_ = FeedApi(edge.client)
            data = (
                api_.get_inventory_task(self.task_id)
                if report
                else api_.get_task(self.task_id)
            )
            status = data.get("status")
            if status in ebay_feed.RESULT_STATUSES:
                content = api_.get_result_file(self.task_id)
        if edge.failed:
            self.last_error = edge.message
            if edge.refused:
                self._finish_failed(edge.message)
            return f"not checked: {edge.message}"
        state = EBAY_STATES.get(status, "queued")
        self.write(
            {
                "state": state,
                "check_count": self.check_count + 1,
                "checked_at": fields.Datetime.now(),
                "last_error": False,
            }
        )
        if state in OPEN_STATES:
            self._enqueue_check()
            return f"feed task {self.task_id} {status}"
        if content is None:
            return self._finish_failed(
                self.env._(
                    "eBay could not process the task (%(status)s).", status=status
                )
            )
        self.finished_at = fields.Datetime.now()
        if report:
            return self.account_id._ebay_reconcile_from_report(self, content)
        return self._apply_responses(ebay_feed.parse_responses(content))

    @api.model
    def _cron_sweep_stalled(self):
        """Scheduled: follow again the tasks whose checks stopped (a worker
        died, a job was cancelled)."""
        now = fields.Datetime.now()
        stalled = self.sudo().search(
            [
                ("state", "in", ("queued", "in_process")),
                ("checked_at", "<", now - timedelta(hours=1)),
            ]
        )
        stalled._enqueue_check()
        return len(stalled)

    # -- results ---------------------------------------------------------------------
    def _apply_responses(self, results):
        """Each listing's answer in the result file, on the listing."""
        self.ensure_one()
        ending = self.feed_type == ebay_feed.END_FIXED_PRICE_ITEM
        listings = self.listing_ids.filtered(
            lambda l: (
                l.state == "queued" and l.pending_operation == "end" if ending else True
            )
        )
        done = failed = 0
        for listing in listings:
            result = results.get(str(listing.id))
            errors = (result or {}).get("errors") or []
            if (
                ending
                and errors
                and all(e.get("code") == ALREADY_ENDED for e in errors)
            ):
                result = {"ok": True, "errors": []}
            if result and result["ok"]:
                done += 1
                if ending:
                    listing._done(
                        self.env._("Ended on eBay (feed task %(id)s).", id=self.task_id)
                    )
                    listing._set_state("ended", is_live=False)
                else:
                    quantity, price = listing._targets()
                    listing._write_system(
                        {
                            "pushed_quantity": quantity,
                            "pushed_price": price,
                            "pushed_at": fields.Datetime.now(),
                            "push_error": False,
                        }
                    )
                continue
            failed += 1
            reason = "; ".join(
                e["message"] or e["code"] for e in errors if e
            ) or self.env._("eBay's result file says nothing of this listing.")
            message = self.env._(
                "eBay refused %(what)s: %(reason)s",
                what=self.env._("to end it") if ending else self.env._("the revision"),
                reason=reason,
            )
            if ending:
                listing._set_state("error", last_error=message)
                listing.message_post(body=message)
            else:
                listing._write_system({"push_error": message, "last_error": message})
        self.write(
            {
                "success_count": done,
                "error_count": failed,
                "summary": self.env._(
                    "%(done)s listing(s) done, %(failed)s in error.",
                    done=done,
                    failed=failed,
                ),
            }
        )
        return f"feed task {self.task_id}: {done} done, {failed} in error"

    def _finish_failed(self, reason):
        """The task will not do its work: its waiting listings say why."""
        self.ensure_one()
        self.write(
            {
                "state": "failed",
                "finished_at": fields.Datetime.now(),
                "last_error": reason,
            }
        )
        if self.feed_type == ebay_feed.END_FIXED_PRICE_ITEM:
            waiting = self.listing_ids.filtered(
                lambda l: l.state == "queued" and l.pending_operation == "end"
            )
            waiting._set_state("error", last_error=reason)
            self.error_count = len(waiting)
        self.message_post(body=reason)
        return f"feed task {self.task_id or self.id} failed: {reason}"

    # -- UI --------------------------------------------------------------------------
    def action_open_listings(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Listings of %(task)s", task=self.name),
            "res_model": "ebay.listing",
            "domain": [("id", "in", self.listing_ids.ids)],
            "views": [(False, "list"), (False, "form")],
            "context": {"create": False},
        }

    def action_check_now(self):
        """Ask eBay about the task now instead of at the next planned check."""
        self.check_access("write")
        open_ = self.filtered(lambda t: t.state in ("queued", "in_process"))
        if not open_:
            raise UserError(
                self.env._("Only a task eBay is still working on can be checked.")
            )
        for task in open_.sudo():
            task.with_delay(
                identity_key=f"ebay.feed.check.now:{task.id}:{task.check_count}",
                description=f"eBay feed task status {task.name}",
            )._job_check()
        return True


def _revision(listing):
    """One listing's line of a revise file: what Odoo wants eBay to show."""
    quantity, price = listing._targets()
    return (str(listing.id), listing.ebay_listing_id, listing.sku, price, quantity)
