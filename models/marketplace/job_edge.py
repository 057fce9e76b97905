"""The job edge: the one place where a queue job meets a marketplace's outcomes.

Every queue job that calls a marketplace is a :func:`marketplace_job` method
and makes its calls inside the edge of the account it works for::

    @marketplace_job
    def _job_publish(self):
        ...
        with account._job_edge(record=self, operation="publish") as edge:
            edge.client.publish(self.sku)      # the channel's own client
        if edge.failed:
            return self._not_published(edge)  # edge.message, where staff work

What the edge does, once for every job:

* It writes every call made in the block to the call log
  (``marketplace.call``), linked to the record it served, whatever the
  outcome.
* The account's channel says what an exception means
  (``account._marketplace_error_outcome(exc)``): not a marketplace outcome
  (a bug, a database race: left to queue_job), transient or refused.
* A transient outcome (timeout, dropped connection, 5xx, 429) enqueues the
  same job again: after the marketplace's Retry-After when it sent one
  (``exc.retry_after``), else after the job function's retry pattern
  (declared in data/, a range: jitter), until the job function's
  ``marketplace_max_tries``.  Then the job gave up: the records' own
  dead-letter state when their model has one
  (``_marketplace_job_gave_up``), else a failed queue job in the
  dead-letter inbox, which staff requeue.
* A refusal (a 4xx other than 429, refused credentials, an account that may
  not call) is never tried again; the job writes ``edge.message`` (the
  channel's advice, ``account._marketplace_error_message(exc)``) where staff
  work.
* A write that got no answer (timeout, dropped connection) may still be
  applied by the marketplace later, even after a later write.  The records
  are marked (``_marketplace_outcome_unknown(until)``) so that Odoo's current
  values are sent again once the stalled request can no longer land:
  ``until`` is the client's timeout after the failure, i.e. twice the
  timeout after the request left.  Marketplaces do not say how long a
  request may wait in their front end; we wait as long again as the client
  waited.  A request landing even later is drift, which the reconciliation
  finds and repairs.

Why the retry is persisted explicitly and not raised as RetryableJobError:
queue_job retries a job only on RetryableJobError, and that rolls the job's
transaction back.  A try must leave things behind that the rollback would
lose: its call log, the unknown-outcome mark, the reason shown on the record,
and the partial results of bulk jobs (the stock-push batches the marketplace
accepted, which may count against a daily budget; the order pages already
imported).  Writing those from a second cursor would update rows the job's
own transaction holds locked (the listing it just wrote, the account), so
the two transactions would wait on each other.  So every try ends normally
and commits what it did and learnt, and the next try is a new job with an
eta; the try number travels in its keyword argument ``marketplace_try``.
queue_job's own retries remain only for what is not a marketplace outcome
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

_logger = logging.getLogger(__name__)

TRY_KWARG = "marketplace_try"
# Tries of a job whose function does not say (data/ declares them all).
DEFAULT_MAX_TRIES = 5
# What the account's channel may say of an exception raised in the block.
TRANSIENT = "transient"
REFUSED = "refused"

JobRun = namedtuple("JobRun", "records method args kwargs try_number")
_current_run = contextvars.ContextVar("marketplace_job_run", default=None)


def marketplace_job(method):
    """Declare a queue job method whose marketplace calls go through the job
    edge.

    The edge enqueues this very call again (same records, same arguments)
    for the next try; ``marketplace_try`` (1 when absent) says which try runs.
    """

    @functools.wraps(method)
    def run_job(self, *args, marketplace_try=1, **kwargs):
        run = JobRun(self, method.__name__, args, kwargs, marketplace_try)
        token = _current_run.set(run)
        try:
            return method(self, *args, **kwargs)
        finally:
            _current_run.reset(token)

    run_job.is_marketplace_job = True
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
    """One job's marketplace calls for ``record``, and what came of them.

    Use it as a context manager; ``client`` is the account's client
    (``account._marketplace_client``).
    After the block: ``failed`` (a marketplace error ended it), ``refused``,
    ``retrying`` (the next try is queued for ``retry_at``), ``gave_up``,
    ``unknown`` (a write may still land) and ``message`` (for staff).
    """

    def __init__(self, account, record, operation):
        run = _current_run.get()
        if run is None:
            raise RuntimeError("the job edge serves @marketplace_job methods only")
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
        self.channel = account._channel_label()

    # -- the block ------------------------------------------------------------------
    @property
    def client(self):
        """The account's client, built on first use inside the block, so an
        account that may not call is a refusal like any other."""
        if self._client is None:
            self._client = self.account._marketplace_client(on_call=self._calls.append)
        return self._client

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        outcome = None if exc is None else self.account._marketplace_error_outcome(exc)
        if exc is not None and outcome not in (TRANSIENT, REFUSED):
            # A bug or a database race (a serialisation failure, the order
            # claim's RetryableJobError): the job's transaction is rolled back
            # or already aborted, so nothing can be written into it, and
            # writing would hide the real error from queue_job's runner.
            return False
        self._log_calls()
        if exc is None:
            return False
        self.error = exc
        if outcome == TRANSIENT:
            self._transient(exc)
        else:
            self.outcome = "refused"
            self.message = self.account._marketplace_error_message(exc)
            _logger.info(
                "%s refused %s (job %s): %s",
                self.channel,
                self.operation,
                self.run.method,
                getattr(exc, "error_ids", None),
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
        # A call made for several records (a bulk job) served the account.
        record = self.record if len(self.record) == 1 else None
        # The call log is append-only for everyone: written by the system.
        Call = self.env["marketplace.call"].sudo()
        Call.create(
            [Call._values_from_call(c, self.account, record) for c in self._calls]
        )

    def _transient(self, err):
        _ = self.env._
        reason = str(err)
        if self._unanswered_write(err):
            self.unknown = True
            margin = getattr(self._client, "timeout", 0) or 0
            until = fields.Datetime.now() + timedelta(seconds=margin)
            mark = getattr(self.record, "_marketplace_outcome_unknown", None)
            if mark is not None:
                mark(until)
            reason = _(
                "%(reason)s; %(channel)s may still apply it, so Odoo sends its "
                "values again after %(until)s (UTC)",
                reason=reason,
                channel=self.channel,
                until=fields.Datetime.to_string(until),
            )
        if self.tries < self.max_tries:
            delay = self._delay(err)
            self.retry_at = fields.Datetime.now() + timedelta(seconds=delay)
            self._enqueue_next_try(delay)
            self.outcome = "retrying"
            self.message = _(
                "%(channel)s is unavailable for now (%(reason)s). Try %(next)s of "
                "%(max)s at %(when)s (UTC).",
                channel=self.channel,
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
            reason=(
                self.account._marketplace_error_message(err)
                if not self.unknown
                else reason
            ),
        )
        records = self.run.records
        own_letter = getattr(records, "_marketplace_job_gave_up", None)
        if own_letter is None or not own_letter(self):
            self._park()

    def _unanswered_write(self, err):
        """True when a write left and no answer came back (its fate unknown)."""
        call = self._calls[-1] if self._calls else {}
        return (
            not getattr(err, "status", 0)
            and call.get("attempt", 0) > 0
            and call.get("method") not in ("GET", "HEAD")
            and not self.account._marketplace_read_only_call(call)
        )

    def _delay(self, err):
        """Seconds before the next try: the marketplace's Retry-After (plus up
        to a tenth more, so many waiting jobs do not come back at the same
        second), else the job function's pattern."""
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
        return f"{self.channel} {self.operation}: {names}{more}"

    def _enqueue_next_try(self, delay):
        run = self.run
        following = self.tries + 1
        work = f"{run.records._name}:{run.records.ids}:{run.method}:{run.args!r}"
        digest = hashlib.sha1(f"{work}:{sorted(run.kwargs.items())!r}".encode())
        delayed = run.records.with_delay(
            eta=delay,
            # One next try per try: a run repeated after a crash adds none.
            identity_key=f"marketplace.retry:{digest.hexdigest()}:{following}",
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
