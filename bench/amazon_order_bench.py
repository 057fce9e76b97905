"""Amazon order benchmark (issue 13).

1. Polling: --polled orders created in the emulator before any
   notification is set up; the account's poll job imports them all
   (searchOrders pages, then getOrder with a Restricted Data Token per 50
   orders for the buyer and the address).  Wall time, Amazon calls by
   operation, SQL queries per order.  Beside it, in the same run, the naive
   way on --baseline other orders, scaled: one job per order, each with its
   own createRestrictedDataToken and getOrder (what one job per
   notification does).
2. Notification to sale order: a burst of --notified orders created in the
   emulator at about --rate per second; the emulator delivers each
   ORDER_CHANGE into the seller's SQS queue (moto, started by bench/run.sh
   as scripts/test.sh starts it) and Odoo's jobs take them from there.
   The jobs are drained in this process, back to back as a busy job runner
   runs them (bench/order_bench.py's method for its polled part, through
   queue_job's own ``RunJobController._runjob``): the SQS poll job, then
   the notification jobs it queued, again and again until every order has
   its sale order.  Latency: from the order's creation in the emulator (the
   moment the control call leaves) to the sale order's ``create_date`` (the
   start of the transaction that made it); p50, p95 and max.

The emulator announces a rate of 1,000 calls a second for the order
operations (its ``x-amzn-RateLimit-Limit``, which the client's limiter
learns), so that each way shows its own cost, with --latency-ms injected
per call in the polled part; the time each way needs at Amazon's rates is
computed from the models' tables (searchOrders 0.0056 a second burst 20,
getOrder 0.5 burst 30, createRestrictedDataToken 1 burst 10), as in the
other Amazon benchmarks.
"""

import argparse
import contextlib
import os
import re
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timezone

sys.path.insert(0, os.path.dirname(__file__))

from amazon_benchlib import (
    SELLER,
    US,
    AmazonBenchEmulator,
    amazon_account,
    amazon_listings,
    print_table,
    rate_bound_seconds,
    run_jobs,
)
from benchlib import environment, open_registry
from sqlprofile import SqlProfile

# The calls counted, by operation, as Amazon's models name them.
OPERATIONS = (
    ("searchOrders", "GET", r"^/orders/2026-01-01/orders$"),
    ("getOrder", "GET", r"^/orders/2026-01-01/orders/[^/]+$"),
    ("createRestrictedDataToken", "POST", r"^/tokens/2021-03-01/restrictedDataToken$"),
    ("LWA token", "POST", r"^/auth/o2/token$"),
)
ORDER_OPERATIONS = ("searchOrders", "getOrder", "createRestrictedDataToken")
# Announced by the emulator while measuring: no limiter holds either way back.
UNBOUND_RATE = 1000
SQS_ENV = "AMAZON_SQS_ENDPOINT_URL"
# moto's default AWS account owns the queues; moto takes any key.
AWS_ACCOUNT, AWS_REGION = "123456789012", "us-east-1"
AWS_ACCESS_KEY_ID = "AKIABENCHKEY00000001"
SKUS = 5
PREFIX = "AO"
POLL_JOB = "_job_amazon_poll_orders"
IMPORT_JOB = "_job_amazon_import_orders"
SQS_POLL_JOB = "_job_amazon_poll_sqs"
PROCESS_JOB = "_job_amazon_process_notifications"
NAIVE_PROCESS_JOB = "_job_process"


def operation_of(call):
    for name, method, path in OPERATIONS:
        if call["method"] == method and re.match(path, call["path"]):
            return name
    return f"{call['method']} {call['path']}"


def calls_by_operation(emulator):
    return Counter(operation_of(c) for c in emulator.calls())


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def create_orders(emulator, count, rate=None, created=None, offset=0):
    """``count`` orders in the emulator (about ``rate`` a second if given);
    ``{order id: when its creation was asked (epoch seconds)}``."""
    created = {} if created is None else created
    started = time.monotonic()
    for i in range(count):
        if rate:
            wait = started + i / rate - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        asked = time.time()
        order = emulator.create_order(
            US,
            [
                {
                    "sku": f"{PREFIX}-{(offset + i) % SKUS:05d}",
                    "quantity": 1,
                    "price": 10.0,
                    "title": "Bench figure",
                }
            ],
            seller_id=SELLER,
        )
        created[order["orderId"]] = asked
    return created


def sale_order_times(cr, order_ids):
    """``{order id: its sale order's create_date (epoch seconds)}``."""
    cr.execute(
        "SELECT client_order_ref, create_date FROM sale_order"
        " WHERE client_order_ref = ANY(%s)",
        (list(order_ids),),
    )
    return {
        ref: made.replace(tzinfo=timezone.utc).timestamp()
        for ref, made in cr.fetchall()
    }


def run_as_runner(env, method, limit=100000):
    """Run the stored jobs of ``method`` (eta ignored) until none is left,
    each as queue_job's runner does: marked started and committed first
    (``RunJobController._acquire_job``), so that a job enqueueing its own
    next run under its identity key is not taken for a duplicate of
    itself.  How many ran."""
    from odoo.addons.queue_job.controllers.main import RunJobController
    from odoo.addons.queue_job.job import Job

    runs = 0
    while runs < limit:
        record = env["queue.job"].search(
            [("method_name", "=", method), ("state", "in", ("pending", "enqueued"))],
            order="id",
            limit=1,
        )
        if not record:
            return runs
        job = Job.load(env, record.uuid)
        job.set_started()
        job.store()
        env.cr.commit()
        RunJobController._runjob(env, job)
        env.invalidate_all()
        runs += 1
    return runs


def jobs_count(env, method):
    return env["queue.job"].search_count([("method_name", "=", method)])


def unbind_order_rates(emulator):
    for operation in ORDER_OPERATIONS:
        emulator.set_rate(operation, UNBOUND_RATE, UNBOUND_RATE)


def amazon_rate_seconds(calls):
    """Seconds the calls need at Amazon's rates: each operation has its own
    bucket, so the slowest one bounds the run."""
    from odoo.addons.marketplace_connector.amazon.ratelimit import DEFAULT_RATES

    return max(
        [rate_bound_seconds(calls[op], *DEFAULT_RATES[op]) for op in ORDER_OPERATIONS]
    )


def set_up_poll_account(env, emulator):
    account = amazon_account(env, emulator)
    unbind_order_rates(emulator)
    listings = amazon_listings(env, account, SKUS, PREFIX, qty=100000)
    listings.action_publish()
    run_jobs(env, "_job_run")
    emulator.apply_pending()
    env["queue.job"].search([("method_name", "=", "_job_readback")]).unlink()
    return account


def measure_poll(registry, emulator, account_id, count, latency_ms):
    """The account's poll job, and the runs it queues of itself."""
    polled = create_orders(emulator, count)

    def enqueue(account):
        account._amazon_enqueue_poll()

    return _measure(
        registry, emulator, account_id, polled, latency_ms, enqueue, POLL_JOB
    )


def measure_naive(registry, emulator, account_id, count, latency_ms):
    """One job per order: its own RDT and getOrder (the connector's import
    by id, given one order at a time)."""
    naive = create_orders(emulator, count, offset=1)

    def enqueue(account):
        for order_id in naive:
            account.with_delay(
                identity_key=f"bench.naive:{order_id}"
            )._job_amazon_import_orders([order_id])

    return _measure(
        registry, emulator, account_id, naive, latency_ms, enqueue, IMPORT_JOB
    )


def _measure(registry, emulator, account_id, order_ids, latency_ms, enqueue, job):
    """Calls, queries, jobs and wall time of importing ``order_ids``: the
    jobs ``enqueue(account)`` queues, run as the runner runs ``job``."""
    emulator.clear_calls()
    emulator.config(latency_ms=latency_ms)
    profile = SqlProfile()
    with registry.cursor() as cr:
        env = environment(cr)
        account = env["marketplace.account"].browse(account_id)
        started = time.perf_counter()
        with profile.recording():
            enqueue(account)
            cr.commit()
            runs = run_as_runner(env, job)
        wall = time.perf_counter() - started
        queries = profile.total
        made = len(sale_order_times(cr, order_ids))
    emulator.config(latency_ms=0)
    return {
        "orders": len(order_ids),
        "made": made,
        "wall": wall,
        "queries": queries,
        "calls": calls_by_operation(emulator),
        "jobs": runs,
        "profile": profile,
    }


def set_up_notifications(registry, emulator, account_id, endpoint):
    """A fresh queue on moto, the emulator delivering there, the account's
    notifications set up through the real flow (the queue fields and the
    AWS key typed on the account, then "Set up notifications": queue
    policy, destination, ORDER_CHANGE subscription)."""
    from odoo.addons.marketplace_connector.amazon.sqs import SqsQueue

    name = f"bench-orders-{uuid.uuid4().hex[:12]}"
    url = f"https://sqs.{AWS_REGION}.amazonaws.com/{AWS_ACCOUNT}/{name}"
    secret = uuid.uuid4().hex  # moto takes any key: one for this run only
    SqsQueue(
        url, AWS_REGION, AWS_ACCESS_KEY_ID, secret, endpoint_url=endpoint
    )._client.create_queue(QueueName=name)
    emulator.config(sqs_endpoint_url=endpoint)
    with registry.cursor() as cr:
        account = environment(cr)["marketplace.account"].browse(account_id)
        account.write(
            {
                "amazon_sqs_queue_url": url,
                "amazon_sqs_region": AWS_REGION,
                "amazon_aws_access_key_id": AWS_ACCESS_KEY_ID,
                "amazon_aws_secret_access_key": secret,
            }
        )
        account.action_amazon_setup_notifications()
        if not account.amazon_order_subscription_id:
            raise RuntimeError("the notifications were not set up")
        cr.commit()


@contextlib.contextmanager
def per_notification_jobs(active):
    """Today's way, in this process (which runs the jobs): what the SQS
    poll stored is queued as one job per notification (``_job_process``:
    its own createRestrictedDataToken and getOrder, its own transaction)
    instead of the account's one processing job."""
    from odoo.addons.marketplace_connector.models.amazon import (
        marketplace_account_notification as module,
    )

    cls = module.MarketplaceAccount
    original = cls._amazon_enqueue_notification_processing

    def enqueue_each(self):
        for account in self:
            account._amazon_new_order_notifications()._enqueue_per_notification()

    if active:
        cls._amazon_enqueue_notification_processing = enqueue_each
    try:
        yield
    finally:
        cls._amazon_enqueue_notification_processing = original


def drain(env, baseline):
    """What the runner does: the account's poll job (long polling: it
    returns as soon as messages come; the cron queues the first one), then
    the processing jobs it queued.  One poll a round: each poll queues the
    next, which is the next round's."""
    env["marketplace.account"]._cron_amazon_poll_sqs()
    env.cr.commit()
    runs = run_as_runner(env, SQS_POLL_JOB, limit=1)
    run_as_runner(env, NAIVE_PROCESS_JOB if baseline else PROCESS_JOB)
    return runs


def measure_notified(registry, emulator_url, account_id, count, rate, lone, baseline):
    """``lone`` orders one at a time, then the burst: orders created at
    ``rate`` a second by another thread (its own control client) while
    this one drains the jobs."""
    emulator = AmazonBenchEmulator(emulator_url)
    emulator.clear_calls()
    created = {}
    producer = threading.Thread(
        target=create_orders, args=(emulator, count, rate, created)
    )
    seen, sqs_runs, lone_latencies = {}, 0, []
    deadline = time.monotonic() + 900
    method = NAIVE_PROCESS_JOB if baseline else PROCESS_JOB
    with registry.cursor() as cr, per_notification_jobs(baseline):
        env = environment(cr)
        jobs_before = jobs_count(env, method)
        for i in range(lone):
            one = create_orders(emulator, 1, offset=i)
            until = time.monotonic() + 120
            made = {}
            while not made and time.monotonic() < until:
                drain(env, baseline)
                made = sale_order_times(cr, one)
            lone_latencies += [made[o] - one[o] for o in made]
        emulator.clear_calls()
        queries = cr.sql_log_count
        started = time.perf_counter()
        producer.start()
        while time.monotonic() < deadline:
            waiting = set(created) - set(seen)
            if not producer.is_alive() and len(seen) >= count:
                break
            sqs_runs += drain(env, baseline)
            seen.update(sale_order_times(cr, waiting))
        wall = time.perf_counter() - started
        queries = cr.sql_log_count - queries
        jobs = jobs_count(env, method) - jobs_before
    producer.join()
    return {
        "orders": count,
        "made": len(seen),
        "latencies": [seen[o] - created[o] for o in seen],
        "lone": lone_latencies,
        "wall": wall,
        "queries": queries,
        "calls": calls_by_operation(emulator),
        "jobs": jobs,
        "sqs_runs": sqs_runs,
    }


def report(args, polled, naive, notified, naive_notified, violations):
    scale = polled["orders"] / max(naive["orders"], 1)
    naive_calls = Counter({op: round(n * scale) for op, n in naive["calls"].items()})
    rows = [
        ("orders imported (sale orders)", polled["made"], round(naive["made"] * scale)),
        ("jobs run", polled["jobs"], round(naive["jobs"] * scale)),
    ]
    rows += [
        (f"  {op} calls", polled["calls"][op], naive_calls[op])
        for op in ORDER_OPERATIONS
    ]
    rows += [
        (
            "SQL queries per order",
            polled["queries"] / max(polled["orders"], 1),
            naive["queries"] / max(naive["orders"], 1),
        ),
        ("wall time measured (s)", polled["wall"], naive["wall"] * scale),
        (
            "time at Amazon's rates (s)",
            amazon_rate_seconds(polled["calls"]),
            amazon_rate_seconds(naive_calls),
        ),
    ]
    print_table(
        f"Amazon order poll benchmark: {polled['orders']} orders, "
        f"{args.latency_ms} ms injected latency per call (naive way measured "
        f"on {naive['orders']}, scaled)",
        rows,
    )
    other = sorted(
        set(polled["calls"]) - set(ORDER_OPERATIONS)
        | set(naive["calls"]) - set(ORDER_OPERATIONS)
    )
    for op in other:
        print(f"  other calls {op}: {polled['calls'][op]} / {naive_calls[op]}")
    for title, run in (("connector", notified), ("today's way", naive_notified)):
        if not run:
            continue
        lat = run["latencies"]
        print(
            f"\nNotification -> sale order, {title}: {run['made']}/{run['orders']} "
            f"orders created at {args.rate:g}/s, delivered by SQS (moto)"
        )
        if run["lone"]:
            print(
                f"  lone order p50 {statistics.median(run['lone']):.2f} s "
                f"({len(run['lone'])} orders one at a time)"
            )
        if lat:
            p50, p95 = statistics.median(lat), percentile(lat, 95)
            print(f"  burst p50 {p50:.2f} s   p95 {p95:.2f} s   max {max(lat):.2f} s")
        per = max(run["made"], 1)
        print(
            f"  {run['sqs_runs']} SQS poll runs, {run['jobs']} processing jobs "
            f"({run['jobs'] / per:.2f} per order), "
            + ", ".join(f"{n} {op}" for op, n in sorted(run["calls"].items()))
            + f", {run['queries'] / per:.1f} SQL queries per order"
        )
    if notified and naive_notified and notified["latencies"]:
        new, old = notified["latencies"], naive_notified["latencies"] or [0]
        print(
            f"  ratios (today / connector): p50 "
            f"{statistics.median(old) / max(statistics.median(new), 1e-9):.1f}x, "
            f"p95 {percentile(old, 95) / max(percentile(new, 95), 1e-9):.1f}x, "
            f"jobs {naive_notified['jobs'] / max(notified['jobs'], 1):.1f}x"
        )
    print(f"\nWhere the poll's queries go, per order (connector, {polled['orders']}):")
    print("\n".join(polled["profile"].report(max(polled["orders"], 1))))
    print(f"\nThe same, one job per order (today's way, {naive['orders']}):")
    print("\n".join(naive["profile"].report(max(naive["orders"], 1))))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nLoad average after the run {load} (2 CPUs, shared).")
    print(f"\nContract violations: {violations}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--polled", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=200)
    parser.add_argument("--notified", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--lone", type=int, default=5)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--sqs-endpoint", default=os.environ.get(SQS_ENV))
    args = parser.parse_args()
    if args.notified and not args.sqs_endpoint:
        parser.error(f"the notifications need moto: --sqs-endpoint or {SQS_ENV}")
    if args.sqs_endpoint:
        # The server's switch for the emulator environment's SQS.
        os.environ[SQS_ENV] = args.sqs_endpoint

    registry = open_registry(args.config, args.database)
    emulator = AmazonBenchEmulator(args.emulator)
    with registry.cursor() as cr:
        account_id = set_up_poll_account(environment(cr), emulator).id
        cr.commit()
    polled = measure_poll(registry, emulator, account_id, args.polled, args.latency_ms)
    naive = measure_naive(
        registry, emulator, account_id, args.baseline, args.latency_ms
    )
    notified = naive_notified = None
    if args.notified:
        set_up_notifications(registry, emulator, account_id, args.sqs_endpoint)
        notified, naive_notified = (
            measure_notified(
                registry,
                args.emulator,
                account_id,
                args.notified,
                args.rate,
                args.lone,
                baseline=baseline,
            )
            for baseline in (False, True)
        )
    report(args, polled, naive, notified, naive_notified, len(emulator.violations()))


if __name__ == "__main__":
    main()
