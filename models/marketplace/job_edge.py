"""The job edge: the one place where a queue job meets eBay's outcomes.

Every queue job that calls eBay is an :func:`ebay_job` method and makes its
calls inside the edge of the account it works for::

    @ebay_job
    def _job_publish(self):
        ...
        with account._job_edge(record=self, operation="publishOffer") as edge:
            InventoryApi(edge.client).publish_offer(self.offer_id)
        if edge.failed:
            return self._not_published(edge)  # edge.message, where staff work

What the edge does, once for every job:

* It writes every call made in the block to the call log
  (``marketplace.call``), whatever the outcome.
* A transient outcome (timeout, dropped connection, 5xx, 429) enqueues the
  same job again: after eBay's Retry-After when eBay sent one, else after the
  job function's retry pattern (declared in data/, a range: jitter), until
  the job function's ``marketplace_max_tries``.  Then the job gave up: the
  records' own dead-letter state when their model has one
  (``_ebay_job_gave_up``), else a failed queue job in the dead-letter inbox,
  which staff requeue.
* A refusal (any other eBay error: a 4xx other than 429, refused
  credentials, an account that may not call) is never tried again; the job
  writes ``edge.message`` where staff work.
* A write that got no answer (timeout, dropped connection) may still be
  applied by eBay later, even after a later write.  The records are marked
  (``_ebay_outcome_unknown(until)``) so that Odoo's current values are sent
  again once the stalled request can no longer land: ``until`` is the
  client's timeout after the failure, i.e. twice the timeout after the
  request left.  eBay does not say how long a request may wait in its front
  end; we wait as long again as the client waited.  A request landing even
  later is drift, which the reconciliation finds and repairs.

Why the retry is persisted explicitly and not raised as RetryableJobError:
queue_job retries a job only on RetryableJobError, and that rolls the job's
transaction back.  A try must leave things behind that the rollback would
lose: its call log, the unknown-outcome mark, the reason shown on the record,
and the partial results of bulk jobs (the stock-push batches eBay accepted,
which count against the listings' daily revisions; the order pages already
imported).  Writing those from a second cursor would update rows the job's
own transaction holds locked (the listing it just wrote, the account), so
the two transactions would wait on each other.  So every try ends normally
and commits what it did and learnt, and the next try is a new job with an
eta; the try number travels in its keyword argument ``ebay_try``.
queue_job's own retries remain only for what is not an eBay outcome
(serialization failures, an order claimed by a transaction not yet visible).
"""

import contextvars
import functools
import hashlib
import logging
import random
from collections import namedtuple
from datetime import timedelta

from odoo import fields

from odoo.addons.queue_job.job import RETRY_INTERVAL, Job

from ...ebay import EbayError, EbayTransientError
from ...ebay.errors import actionable

_logger = logging.getLogger(__name__)

TRY_KWARG = "ebay_try"
# Tries of a job whose function does not say (data/ declares them all).
DEFAULT_MAX_TRIES = 5
# Calls sent with POST that only read: a lost answer changes nothing on eBay.
READ_OPERATIONS = frozenset({"bulkGetInventoryItem", "getListingFees"})

JobRun = namedtuple("JobRun", "records method args kwargs try_number")
_current_run = contextvars.ContextVar("marketplace_ebay_job_run", default=None)


def ebay_job(method):
    """Declare a queue job method whose eBay calls go through the job edge.

    The edge enqueues this very call again (same records, same arguments)
    for the next try; ``ebay_try`` (1 when absent) says which try runs.
    """

    @functools.wraps(method)
    def run_job(self, *args, ebay_try=1, **kwargs):
        token = _current_run.set(JobRun(self, method.__name__, args, kwargs, ebay_try))
        try:
            return method(self, *args, **kwargs)
        finally:
            _current_run.reset(token)

    run_job.is_ebay_job = True
    return run_job


def job_limits(env, model_name, method):
    """(retry pattern, tries before giving up) of a job function, from data/."""
    Function = env["queue.job.function"].sudo()
    config = Function.job_config(Function.job_function_name(model_name, method))
    function = Function.browse(config.job_function_id).exists()
    max_tries = function.marketplace_max_tries if function else 0
    return config.retry_pattern, max_tries or DEFAULT_MAX_TRIES


def backoff_seconds(pattern, tries):
    """queue_job's reading of a retry pattern, after ``tries`` failed tries:
    the value of the largest count not above it; a (min, max) range gives a
    random delay in it (jitter)."""
    seconds = RETRY_INTERVAL
    for count, value in sorted(pattern.items()):
        if tries < count:
            break
        seconds = value
    if isinstance(seconds, list | tuple):
        seconds = random.randint(int(seconds[0]), int(seconds[1]))
    return int(seconds)


class JobEdge:
    """One job's eBay calls for ``record``, and what came of them.

    Use it as a context manager; ``client`` is the account's eBay client.
    After the block: ``failed`` (an eBay error ended it), ``refused``,
    ``retrying`` (the next try is queued for ``retry_at``), ``gave_up``,
    ``unknown`` (a write may still land) and ``message`` (for staff).
    """

    def __init__(self, account, record, operation):
        run = _current_run.get()
        if run is None:
            raise RuntimeError("the job edge serves @ebay_job methods only")
        self.account = account
        self.record = record
        self.operation = operation
        self.run = run
        self.env = account.env
        self.tries = run.try_number
        self.pattern, self.max_tries = job_limits(
            self.env, run.records._name, run.method
        )
        self.error = None
        self.outcome = "ok"
        self.message = ""
        self.retry_at = None
        self.unknown = False
        self._calls = []
        self._client = None

    # -- the block ------------------------------------------------------------------
    @property
    def client(self):
        """The account's client, built on first use inside the block, so an
        account that may not call is a refusal like any other."""
        if self._client is None:
            self._client = self.account._ebay_client(on_call=self._calls.append)
        return self._client

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc is not None and not isinstance(exc, EbayError):
            # A bug or a database race (a serialisation failure, the order
            # claim's RetryableJobError): the job's transaction is rolled back
            # or already aborted, so nothing can be written into it, and
            # writing would hide the real error from queue_job's runner.
            return False
        self._log_calls()
        if exc is None:
            return False
        self.error = exc
        if isinstance(exc, EbayTransientError):
            self._transient(exc)
        else:
            self.outcome = "refused"
            self.message = actionable(exc)
            _logger.info(
                "eBay refused %s (job %s): %s",
                self.operation,
                self.run.method,
                exc.error_ids,
            )
        return True

    @property
    def failed(self):
        return self.error is not None

    @property
    def refused(self):
        return self.outcome == "refused"

    @property
    def retrying(self):
        return self.outcome == "retrying"

    @property
    def gave_up(self):
        return self.outcome == "gave_up"

    # -- outcomes -------------------------------------------------------------------
    def _log_calls(self):
        if not self._calls:
            return
        record = self.record
        single = record._name == "ebay.listing" and len(record) == 1
        listing = record if single else None
        # The call log is append-only for everyone: written by the system.
        Attempt = self.env["marketplace.call"].sudo()
        Attempt.create(
            [Attempt._values_from_call(c, self.account, listing) for c in self._calls]
        )

    def _transient(self, err):
        _ = self.env._
        reason = err.user_message
        if self._unanswered_write(err):
            self.unknown = True
            margin = self._client.timeout if self._client else 0
            until = fields.Datetime.now() + timedelta(seconds=margin)
            mark = getattr(self.record, "_ebay_outcome_unknown", None)
            if mark is not None:
                mark(until)
            reason = _(
                "%(reason)s; eBay may still apply it, so Odoo sends its values "
                "again after %(until)s (UTC)",
                reason=reason,
                until=fields.Datetime.to_string(until),
            )
        if self.tries < self.max_tries:
            delay = self._delay(err)
            self.retry_at = fields.Datetime.now() + timedelta(seconds=delay)
            self._enqueue_next_try(delay)
            self.outcome = "retrying"
            self.message = _(
                "eBay is unavailable for now (%(reason)s). Try %(next)s of %(max)s "
                "at %(when)s (UTC).",
                reason=reason,
                next=self.tries + 1,
                max=self.max_tries,
                when=fields.Datetime.to_string(self.retry_at),
            )
            return
        self.outcome = "gave_up"
        self.message = _(
            "Gave up after %(tries)s tries: %(reason)s Use Requeue to try again.",
            tries=self.tries,
            reason=actionable(err) if not self.unknown else reason,
        )
        records = self.run.records
        own_letter = getattr(records, "_ebay_job_gave_up", None)
        if own_letter is None or not own_letter(self):
            self._park()

    def _unanswered_write(self, err):
        """True when a write left and no answer came back (its fate unknown)."""
        call = self._calls[-1] if self._calls else {}
        return (
            not err.status
            and call.get("attempt", 0) > 0
            and call.get("method") not in ("GET", "HEAD")
            and call.get("operation") not in READ_OPERATIONS
        )

    def _delay(self, err):
        """Seconds before the next try: eBay's Retry-After (plus up to a tenth
        more, so many waiting jobs do not come back at the same second), else
        the job function's pattern."""
        retry_after = getattr(err, "retry_after", None)
        if retry_after:
            return int(retry_after) + random.randint(0, max(1, int(retry_after) // 10))
        return backoff_seconds(self.pattern, self.tries)

    def _job_properties(self):
        """Priority of the running job, kept by its next try."""
        uuid = self.run.records.env.context.get("job_uuid")
        job = (
            self.env["queue.job"].sudo().search([("uuid", "=", uuid)], limit=1)
            if uuid
            else None
        )
        return {"priority": job.priority} if job else {}

    def _label(self):
        records = self.run.records
        names = ", ".join(records[:3].mapped("display_name"))
        more = f" (+{len(records) - 3})" if len(records) > 3 else ""
        return f"eBay {self.operation}: {names}{more}"

    def _enqueue_next_try(self, delay):
        run = self.run
        following = self.tries + 1
        work = f"{run.records._name}:{run.records.ids}:{run.method}:{run.args!r}"
        digest = hashlib.sha1(f"{work}:{sorted(run.kwargs.items())!r}".encode())
        delayed = run.records.with_delay(
            eta=delay,
            # One next try per try: a run repeated after a crash adds none.
            identity_key=f"ebay.retry:{digest.hexdigest()}:{following}",
            description=f"{self._label()} (try {following} of {self.max_tries})",
            **self._job_properties(),
        )
        getattr(delayed, run.method)(*run.args, **run.kwargs, **{TRY_KWARG: following})

    def _park(self):
        """The dead letter of a job whose records have none of their own: the
        job as it would run again, failed, in the inbox.  Requeued, it starts
        over with all its tries."""
        run = self.run
        job = Job(
            getattr(run.records, run.method),
            args=run.args,
            kwargs=run.kwargs,
            description=f"{self._label()} (gave up)",
            **self._job_properties(),
        )
        job.store()
        job.set_failed(
            exc_name=type(self.error).__name__,
            exc_message=self.message,
            exc_info=self.message,
        )
        job.retry = self.tries
        job.store()  # the write that opens its dead letter
