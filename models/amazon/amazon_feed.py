"""JSON_LISTINGS_FEED: many listings of one marketplace in one submission.

A feed is built from listings (``_add_listings``: new listings to publish, or
stock and price to patch), one feed per (account, marketplace, purpose) while
it is a draft, so changes that come in before it leaves join it.  Submitting
it (``_job_submit``) takes three calls whatever its size: createFeedDocument,
the upload to the presigned URL, createFeed.  Then a job follows it on
Amazon's side (``_job_check``: getFeed, sooner at first, then every ten
minutes) until Amazon says DONE, FATAL or CANCELLED, and reads the processing
report: each message is accepted or invalid, and its issues land on its
listing (``amazon.listing.issue``, source "feed").

Amazon's limits, respected here [AMAZON_FACTS §7, M:
schemas/feeds/listings-feed-schema-v2.json and the 2025-05-06 changelog]:
one marketplace per feed, at most 25,000 messages (more are split over
several feeds), and 5 JSON_LISTINGS_FEED submissions per 5 minutes per
region; an account is one seller in one region, so the account's own
submissions are counted and a sixth waits for the window.

Nothing is lost when a feed fails (FATAL: "some, none, or all of the
operations ... might have completed", FG Step 5): messages the report does
not clear are sent again in a new feed, once automatically; a feed that
failed as a resubmission waits for a person (the alert on the account and
the feed's Resubmit button), and its listings show why.
"""

import json
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from ...amazon.feeds import document_bytes, listings_feed_document
from ..marketplace.job_edge import marketplace_job

FEED_TYPE = "JSON_LISTINGS_FEED"
# Amazon's listings sample creates the document and uploads it with
# "application/json" [S use-cases/listings/app/constants/global.ts]; whether a
# charset suffix is accepted is unconfirmed, so none is sent.  The upload's
# Content-Type must equal the document's [FG Step 2].
CONTENT_TYPE = "application/json"
# Schema maxItems [M: schemas/feeds/listings-feed-schema-v2.json].
MESSAGES_PER_FEED = 25000
# 5 submissions per 5 minutes per region [changelog 2025-05-06]; the feeds
# wait their turn here (a job with an eta) rather than in the client's
# limiter, whose bucket for them is as large as Amazon's (amazon/ratelimit.py).
FEEDS_PER_WINDOW = 5
FEED_WINDOW = timedelta(minutes=5)
# Seconds before each getFeed: Amazon takes minutes to hours (feeds queue
# behind each other, AMAZON_FACTS §7), so the checks slow down to one per
# ten minutes; getFeed itself is cheap (2 per second, burst 15).
CHECK_DELAYS = (30, 60, 120, 300, 600)
# The sweep (``_cron_sweep_stalled``) queues the check again for a feed not
# checked for this long: its chain broke (a worker died, the job failed for
# good or was cancelled).  Longer than the slowest normal gap (ten minutes
# between checks, up to an hour between tries of a failing check:
# data/amazon_feed_data.xml) so a healthy chain is never doubled.
STALL_AFTER = timedelta(hours=2)
# A feed Amazon has not finished this long after it was sent is no longer
# "a big feed in the queue" (large feeds queue behind each other for hours,
# stock-outs were seen delayed by more than 12 h: AMAZON_FACTS §7, from
# selling-partner-api-models issue 4823): a person is told.
STUCK_AFTER = timedelta(hours=24)

FEED_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("in_queue", "In queue"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("fatal", "Fatal"),
    ("cancelled", "Cancelled"),
]
# Amazon has the feed (or will have it): its messages are on their way.
SENT_STATES = ("submitted", "in_queue", "in_progress")
OPEN_STATES = ("draft", *SENT_STATES)
PROCESSING_STATES = {
    "IN_QUEUE": "in_queue",
    "IN_PROGRESS": "in_progress",
    "DONE": "done",
    "FATAL": "fatal",
    "CANCELLED": "cancelled",
}


def check_delay(checks_done):
    return CHECK_DELAYS[min(checks_done, len(CHECK_DELAYS) - 1)]


class AmazonFeed(models.Model):
    _name = "amazon.feed"
    _description = "Amazon Feed"
    _order = "id desc"
    _inherit = ["mail.thread", "marketplace.account.record.mixin"]

    name = fields.Char(compute="_compute_name")
    participation_id = fields.Many2one(
        "amazon.marketplace.participation",
        string="Marketplace",
        required=True,
        ondelete="cascade",
        readonly=True,
        system_field=True,
    )
    marketplace_code = fields.Char(
        related="participation_id.marketplace_id", string="Marketplace ID"
    )
    purpose = fields.Selection(
        [("publish", "Publish listings"), ("offer", "Stock and price")],
        required=True,
        readonly=True,
        system_field=True,
    )
    state = fields.Selection(
        FEED_STATES,
        default="draft",
        required=True,
        index=True,
        tracking=True,
        readonly=True,
        system_field=True,
    )
    amazon_feed_id = fields.Char(
        string="Feed ID", index=True, readonly=True, copy=False, system_field=True
    )
    input_document_id = fields.Char(
        string="Feed document", readonly=True, copy=False, system_field=True
    )
    result_document_id = fields.Char(
        string="Report document", readonly=True, copy=False, system_field=True
    )
    feed_message_ids = fields.One2many(
        "amazon.feed.message", "feed_id", string="Messages", readonly=True
    )
    message_count = fields.Integer(
        string="Messages sent", readonly=True, system_field=True
    )
    accepted_count = fields.Integer(string="Accepted", readonly=True, system_field=True)
    invalid_count = fields.Integer(string="Invalid", readonly=True, system_field=True)
    error_count = fields.Integer(string="Errors", readonly=True, system_field=True)
    warning_count = fields.Integer(string="Warnings", readonly=True, system_field=True)
    report_summary = fields.Text(readonly=True, system_field=True)
    last_error = fields.Text(readonly=True, system_field=True)
    submitted_at = fields.Datetime(readonly=True, system_field=True, index=True)
    finished_at = fields.Datetime(readonly=True, system_field=True)
    check_count = fields.Integer(
        string="Status checks", readonly=True, system_field=True
    )
    checked_at = fields.Datetime(
        string="Last status check",
        readonly=True,
        copy=False,
        index=True,
        system_field=True,
        help="When Odoo last had an answer from Amazon about this feed.",
    )
    resubmit_of_id = fields.Many2one(
        "amazon.feed",
        string="Resubmission of",
        readonly=True,
        ondelete="set null",
        system_field=True,
        help="The failed feed whose messages this feed sends again.",
    )

    @api.depends("amazon_feed_id", "purpose")
    def _compute_name(self):
        purposes = dict(self._fields["purpose"].selection)
        for feed in self:
            feed.name = self.env._(
                "%(purpose)s feed %(id)s",
                purpose=purposes.get(feed.purpose, ""),
                id=feed.amazon_feed_id or self.env._("(draft %s)", feed.id),
            )

    # -- building -------------------------------------------------------------------
    @api.model
    def _open_messages(self, listings, purpose=None):
        """The messages of ``listings`` in feeds not finished yet."""
        domain = [
            ("listing_id", "in", listings.ids),
            ("state", "in", ("pending", "sent")),
            ("feed_id.state", "in", OPEN_STATES),
        ]
        if purpose:
            domain.append(("feed_id.purpose", "=", purpose))
        return self.env["amazon.feed.message"].sudo().search(domain)

    @api.model
    def _add_listings(self, account, purpose, listings):
        """Put ``listings`` (of ``account``) in draft feeds, one per
        marketplace, and have each submitted; returns the feeds.

        A listing already in an unfinished feed of this purpose is left out:
        that feed carries it, and a second feed could be applied first by
        Amazon and leave the older value.
        """
        listings = listings - self._open_messages(listings, purpose).listing_id
        Feed = self.sudo()
        feeds = Feed.browse()
        for participation, group in listings.grouped("participation_id").items():
            todo = group
            while todo:
                feed = Feed.search(
                    [
                        ("account_id", "=", account.id),
                        ("participation_id", "=", participation.id),
                        ("purpose", "=", purpose),
                        ("state", "=", "draft"),
                        ("resubmit_of_id", "=", False),
                    ],
                    order="id desc",
                    limit=1,
                )
                room = MESSAGES_PER_FEED - len(feed.feed_message_ids) if feed else 0
                if room <= 0:
                    feed = Feed.create(
                        {
                            "account_id": account.id,
                            "participation_id": participation.id,
                            "purpose": purpose,
                        }
                    )
                    room = MESSAGES_PER_FEED
                feed._append(todo[:room])
                todo = todo[room:]
                feeds |= feed
        feeds._enqueue_submit()
        return feeds

    def _append(self, listings):
        self.ensure_one()
        operation = "PATCH" if self.purpose == "offer" else "UPDATE"
        start = max(self.feed_message_ids.mapped("message_id") or [0])
        self.env["amazon.feed.message"].sudo().create(
            [
                {
                    "feed_id": self.id,
                    "message_id": start + number,
                    "listing_id": listing.id,
                    "operation": operation,
                }
                for number, listing in enumerate(listings, start=1)
            ]
        )

    def _enqueue_submit(self, eta=None):
        # A submission put off to ``eta`` is queued by the submission job
        # itself: its own key says when, so it never matches the job that
        # queues it (queue_job matches pending jobs too).
        key = f"amazon.feed.submit:{{}}:{eta}" if eta else "amazon.feed.submit:{}"
        for feed in self:
            feed.with_delay(
                eta=eta,
                identity_key=key.format(feed.id),
                description=f"Amazon feed submission {feed.name}",
                priority=10,
            )._job_submit()

    # -- submitting -----------------------------------------------------------------
    def _window_wait(self, now):
        """When the account may submit another feed, or None for now."""
        self.ensure_one()
        recent = self.search(
            [
                ("account_id", "=", self.account_id.id),
                ("submitted_at", ">", now - FEED_WINDOW),
            ],
            order="submitted_at asc",
        )
        if len(recent) < FEEDS_PER_WINDOW:
            return None
        return recent[len(recent) - FEEDS_PER_WINDOW].submitted_at + FEED_WINDOW

    @marketplace_job
    def _job_submit(self):
        """Queue job: send the draft feed (document, upload, createFeed)."""
        self.ensure_one()
        if self.state != "draft":
            return f"skipped: feed {self.id} is {self.state}"
        now = fields.Datetime.now()
        free_at = self._window_wait(now)
        if free_at:
            self._enqueue_submit(eta=free_at)
            return f"deferred to {free_at}: {FEEDS_PER_WINDOW} feeds in 5 minutes"
        messages = self._messages_to_send()
        account = self.account_id
        with account._job_edge(record=self, operation="createFeed") as edge:
            if self.purpose == "publish":
                # Checked as a put would be (the product type's schema may
                # need a call): what fails stays out, in error.
                passed = messages.listing_id._amazon_checked_for_feed(edge.client)
                (messages - messages.filtered(lambda m: m.listing_id in passed)).write(
                    {"state": "dropped"}
                )
                messages = messages.filtered(lambda m: m.state == "pending")
            if not messages:
                self.write(
                    {
                        "state": "cancelled",
                        "finished_at": now,
                        "report_summary": self.env._("Nothing left to send."),
                    }
                )
                return "nothing left to send"
            document = self._document(messages)
            feeds = edge.client.feeds
            created = feeds.create_document(CONTENT_TYPE)
            self.input_document_id = created["feedDocumentId"]
            feeds.upload(created["url"], document, CONTENT_TYPE)
            # A createFeed whose answer is lost may have made a feed: the
            # next try makes another with the same messages, which Amazon
            # applies twice to the same effect (whole listings, or the same
            # offer values).
            feed_id = feeds.create_feed(
                FEED_TYPE, [self.marketplace_code], self.input_document_id
            )
            self.write(
                {
                    "state": "submitted",
                    "amazon_feed_id": feed_id,
                    "submitted_at": fields.Datetime.now(),
                    "checked_at": fields.Datetime.now(),
                    "message_count": len(messages),
                    "last_error": False,
                }
            )
            messages.write({"state": "sent"})
        if edge.failed:
            self.last_error = edge.message
            if edge.refused:
                self._finish_failed("fatal", None, edge.message)
            return f"not submitted: {edge.message}"
        self._enqueue_check()
        return f"feed {self.amazon_feed_id}: {len(messages)} message(s)"

    def _messages_to_send(self):
        """The pending messages still needed, with the values they carry now
        (the last ones: changes coalesce until the feed leaves)."""
        self.ensure_one()
        pending = self.feed_message_ids.filtered(lambda m: m.state == "pending")
        keep = pending.browse()
        for message in pending:
            values = message.listing_id._amazon_feed_values(self.purpose)
            if values is None:
                message.state = "dropped"
                continue
            message.write(values)
            keep |= message
        return keep

    def _document(self, messages):
        """The feed document's bytes (listings-feed-schema-v2)."""
        account = self.account_id
        body = [
            dict(
                message.listing_id._amazon_feed_message(message, self.purpose),
                messageId=message.message_id,
            )
            for message in messages
        ]
        # The report then carries the issues found after acceptance too.
        return document_bytes(
            listings_feed_document(
                account.amazon_selling_partner_id, body, included_data=("issues",)
            )
        )

    # -- following ------------------------------------------------------------------
    def _enqueue_check(self):
        for feed in self:
            feed.with_delay(
                eta=check_delay(feed.check_count),
                identity_key=f"amazon.feed.check:{feed.id}:{feed.check_count}",
                description=f"Amazon feed status {feed.name}",
                priority=10,
            )._job_check()

    @marketplace_job
    def _job_check(self):
        """Queue job: ask Amazon how far the feed is; read its report when
        it is done."""
        self.ensure_one()
        if self.state not in SENT_STATES:
            return f"skipped: feed {self.id} is {self.state}"
        report, state = None, None
        with self.account_id._job_edge(record=self, operation="getFeed") as edge:
            feeds = edge.client.feeds
            data = feeds.get_feed(self.amazon_feed_id)
            state = PROCESSING_STATES.get(data.get("processingStatus"), "in_queue")
            result_id = data.get("resultFeedDocumentId")
            if state not in SENT_STATES and result_id:
                self.result_document_id = result_id
                document = feeds.get_document(result_id)
                raw = feeds.download(
                    document["url"], document.get("compressionAlgorithm")
                )
                report = json.loads(raw)
        if edge.failed:
            self.last_error = edge.message
            if edge.refused:
                # Amazon does not know the feed (or refuses to say): what it
                # carried is sent again rather than waited for forever.
                self._finish_failed("fatal", None, edge.message)
            return f"not checked: {edge.message}"
        self.write(
            {"check_count": self.check_count + 1, "checked_at": fields.Datetime.now()}
        )
        if state in SENT_STATES:
            self.state = state
            self._enqueue_check()
            return f"feed {self.amazon_feed_id} {state}"
        if state == "done" and report is not None:
            return self._apply_report(report)
        return self._finish_failed(state, report, None)

    @api.model
    def _cron_sweep_stalled(self):
        """Scheduled: follow again the sent feeds whose checks stopped, and
        tell a person about a feed Amazon has not finished for too long."""
        now = fields.Datetime.now()
        sent = self.sudo().search(
            [
                ("state", "in", SENT_STATES),
                "|",
                ("checked_at", "<", now - STALL_AFTER),
                "&",
                ("checked_at", "=", False),
                ("submitted_at", "<", now - STALL_AFTER),
            ]
        )
        # The key is the one the chain's own next check has: a check still
        # pending (or retrying) is not doubled (queue_job matches pending
        # and enqueued jobs by key).
        sent._enqueue_check()
        for feed in sent.filtered(lambda f: f.submitted_at < now - STUCK_AFTER):
            names = {
                "feed": feed.name,
                "account": feed.account_id.name,
                "since": feed.submitted_at,
                "state": dict(self._fields["state"].selection)[feed.state],
            }
            feed.account_id._alert(
                "amazon_feed_stuck",
                True,
                self.env._("Amazon feed %(feed)s not finished after a day", **names),
                self.env._(
                    "Feed %(feed)s of %(account)s was sent on %(since)s and "
                    "Amazon still says %(state)s. Odoo keeps asking; if it "
                    "stays so, look at the feed in Seller Central or cancel "
                    "it there (its listings are then sent again).",
                    **names,
                ),
                record=feed,
            )
        return len(sent)

    # -- the processing report --------------------------------------------------------
    def _read_report(self, report):
        """Each sent message's (report issues, item issues), and the feed's
        own issues (no messageId: the document itself)."""
        by_message, own = defaultdict(list), []
        for issue in report.get("issues") or []:
            message_id = issue.get("messageId")
            (by_message[message_id] if message_id else own).append(issue)
        by_sku = {
            item.get("sku"): item.get("issues") or []
            for item in report.get("items") or []
        }
        return by_message, by_sku, own

    def _apply_report(self, report):
        """DONE: every message accepted or invalid, its issues on its listing."""
        self.ensure_one()
        by_message, by_sku, own = self._read_report(report)
        summary = report.get("summary") or {}
        sent = self.feed_message_ids.filtered(lambda m: m.state == "sent")
        processed = summary.get("messagesProcessed")
        everything = processed is None or processed >= len(sent)
        lost = sent.browse()
        for message in sent:
            issues = by_message.get(message.message_id, [])
            if not issues and not everything:
                # The report counts fewer messages than were sent and names
                # none of this one: its fate is unknown, so it goes again.
                lost |= message
                continue
            invalid = any(i.get("severity") == "ERROR" for i in issues)
            message.write(
                {
                    "state": "invalid" if invalid else "accepted",
                    "issues": _issues_text(issues) or False,
                }
            )
            message.listing_id._amazon_feed_result(
                self, message, issues + by_sku.get(message.sku, [])
            )
        lost.write({"state": "lost"})
        # Odoo's values may have moved on while the feed waited: those
        # listings are marked again (one push for all of them).
        sent.filtered(lambda m: m.state == "accepted").listing_id._mark_push()
        self._write_summary(summary, own, "done")
        if lost:
            self._resubmit(lost)
        # The failed feed this one sent again has its answer now.
        failed = self.resubmit_of_id
        while failed:
            self.account_id._alert(
                "amazon_feed_failed",
                False,
                record=failed,
                reason=self.env._(
                    "its messages went through again in %(feed)s", feed=self.name
                ),
            )
            failed = failed.resubmit_of_id
        return (
            f"feed {self.amazon_feed_id} done: {self.accepted_count} accepted, "
            f"{self.invalid_count} invalid, {len(lost)} sent again"
        )

    def _write_summary(self, summary, own, state):
        messages = self.feed_message_ids
        # The feed has its end: a "not finished" alert about it is over.
        self.account_id._alert(
            "amazon_feed_stuck",
            False,
            record=self,
            reason=self.env._("the feed ended %(state)s", state=state),
        )
        self.write(
            {
                "state": state,
                "finished_at": fields.Datetime.now(),
                "accepted_count": len(
                    messages.filtered(lambda m: m.state == "accepted")
                ),
                "invalid_count": len(messages.filtered(lambda m: m.state == "invalid")),
                "error_count": summary.get("errors", 0),
                "warning_count": summary.get("warnings", 0),
                "report_summary": self.env._(
                    "%(processed)s processed, %(accepted)s accepted, %(invalid)s "
                    "invalid (%(errors)s errors, %(warnings)s warnings).%(own)s",
                    processed=summary.get("messagesProcessed", "?"),
                    accepted=summary.get("messagesAccepted", "?"),
                    invalid=summary.get("messagesInvalid", "?"),
                    errors=summary.get("errors", "?"),
                    warnings=summary.get("warnings", "?"),
                    own=("\n" + _issues_text(own)) if own else "",
                ),
            }
        )

    def _finish_failed(self, state, report, reason):
        """FATAL or CANCELLED (or refused): what the report does not clear is
        sent again; a person is told."""
        self.ensure_one()
        by_message, by_sku, own = self._read_report(report or {})
        unsure = self.feed_message_ids.filtered(
            lambda m: m.state in ("pending", "sent")
        )
        lost = unsure.browse()
        for message in unsure:
            issues = by_message.get(message.message_id, [])
            if any(i.get("severity") == "ERROR" for i in issues):
                # Amazon named what is wrong with it: sending it again as it
                # is would fail the same way.
                message.write({"state": "invalid", "issues": _issues_text(issues)})
                message.listing_id._amazon_feed_result(
                    self, message, issues + by_sku.get(message.sku, [])
                )
            else:
                lost |= message
        lost.write({"state": "lost"})
        summary = (report or {}).get("summary") or {}
        self._write_summary(summary, own, state)
        if reason:
            self.report_summary = f"{self.report_summary}\n{reason}"
        again = self._resubmit(lost) if not self.resubmit_of_id else self.browse()
        if lost and not again:
            lost.listing_id._amazon_feed_lost(self)
        states = dict(self._fields["state"].selection)
        names = {
            "feed": self.name,
            "state": states[state],
            "account": self.account_id.name,
            "lost": len(lost),
        }
        if again:
            next_step = self.env._(
                "Amazon may or may not have applied them: Odoo sends them again "
                "in feed %(again)s.",
                again=again.name,
            )
        else:
            next_step = self.env._(
                "This feed already sent them again once: open it and click "
                "Resubmit once the cause is fixed."
            )
        self.account_id._alert(
            "amazon_feed_failed",
            True,
            self.env._("Amazon feed %(feed)s ended %(state)s", **names),
            self.env._(
                "%(lost)s message(s) of %(feed)s on %(account)s got no answer.",
                **names,
            )
            + " "
            + next_step
            + ("\n" + self.report_summary if self.report_summary else ""),
            record=self,
        )
        return f"feed {self.amazon_feed_id} {state}: {len(lost)} message(s) lost"

    def _resubmit(self, messages):
        """A new feed for the listings of ``messages``; returns it."""
        self.ensure_one()
        listings = messages.listing_id.filtered(
            lambda listing: listing._amazon_feed_values(self.purpose) is not None
        )
        if not listings:
            return self.browse()
        feed = self.sudo().create(
            {
                "account_id": self.account_id.id,
                "participation_id": self.participation_id.id,
                "purpose": self.purpose,
                "resubmit_of_id": self.id,
            }
        )
        feed._append(listings)
        feed._enqueue_submit()
        return feed

    def action_resubmit(self):
        """Send again what a failed feed did not get through."""
        # Managers may write feeds (security/amazon_feed_security.xml), users
        # only read them: the check comes before anything is queued.
        self.check_access("write")
        feeds = self.browse()
        for feed in self.sudo().filtered(lambda f: f.state in ("fatal", "cancelled")):
            lost = feed.feed_message_ids.filtered(lambda m: m.state == "lost")
            if feed.purpose == "publish":
                # They were put in error when the feed failed for good.
                lost.listing_id.filtered(lambda l: l.state == "error")._set_state(
                    "queued", pending_operation="publish", last_error=False
                )
            feeds |= feed._resubmit(lost)
        return feeds.ids


def _issues_text(issues):
    return "\n".join(
        f"{i.get('severity', '')} {i.get('code', '')}: {i.get('message', '')}".strip()
        for i in issues
    )
