"""eBay order benchmark (issue 15): the connector beside today's way.

In one run, against the emulator (``--latency-ms`` injected per eBay call):

1. Notification -> sale order, with Odoo's HTTP server and job runner up
   (the channels of readme/CONFIGURE.md): ``--lone`` orders bought one at a
   time (each waits for its sale order), then a burst of ``--notified``
   orders bought at ``--rate`` a second, pushed by the emulator as signed
   ORDER_CONFIRMATIONs.  While the burst floods in, one delivery of a
   product no one buys is validated every second: the time until eBay has
   its new quantity is the stock push's latency under the flood.
   First the connector (the account's notifications processed together,
   re-read by getOrders of up to 50 ids), then today's way on the same
   code: bench/odoo_baseline_server.py has the inbox queue one job per
   notification (one getOrder, one transaction each).
2. Polling: ``--polled`` orders imported by the account's poll job (a
   page's orders in one batch), then ``--baseline-polled`` others imported
   the old way, one order at a time from the same pages (scaled); wall
   time, SQL queries per order, and where they go (bench/sqlprofile.py).

Latency is measured from the moment the purchase is asked of the emulator
to the moment this process sees the sale order in the database (it looks
every 50 ms).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta

import requests

sys.path.insert(0, os.path.dirname(__file__))

from benchlib import Emulator, connected_account, environment, open_registry
from sqlprofile import SqlProfile

# readme/CONFIGURE.md's channels: listing and stock work bounded, orders and
# notifications with slots of their own.
CHANNELS = (
    "root:6,root.ebay.stock:1,root.ebay.order:1,"
    "root.ebay.notification:2,root.ebay.listing:2"
)
SKUS = 5
STOCK_SKU = "OB-STOCK"
PROCESS_JOBS = ("_job_process_notifications", "_job_process")
RESULTS = "/tmp/order-bench-results.jsonl"


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_odoo(config, database, port, log_path, baseline=False, workers=0):
    """Odoo's server (HTTP and job runner); ``baseline``: through
    bench/odoo_baseline_server.py (one job per notification)."""
    if baseline:
        program = [os.path.join(os.path.dirname(__file__), "odoo_baseline_server.py")]
    else:
        program = ["-m", "odoo"]
    cmd = [
        sys.executable,
        *program,
        "-c",
        config,
        "-d",
        database,
        "--http-port",
        str(port),
        "--http-interface",
        "127.0.0.1",
        "--load",
        "base,web,queue_job",
        "--workers",
        str(workers),
        "--log-level",
        "warn",
    ]
    # Prefork: the jobs run in the HTTP workers, so no more at once than
    # there are workers.
    channels = CHANNELS.replace("root:6", f"root:{workers}") if workers else CHANNELS
    env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=channels)
    log = open(log_path, "w")  # noqa: SIM115 (kept open for the server's life)
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    for _i in range(240):
        try:
            requests.get(f"http://127.0.0.1:{port}/web/health", timeout=1)
            # The database's registry loads on its first request: made here,
            # not by eBay's challenge (which waits 10 s) or the first order.
            requests.get(
                f"http://127.0.0.1:{port}/web/login",
                params={"db": database},
                timeout=600,
            )
            return server
        except requests.RequestException:
            if server.poll() is not None:
                break
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"Odoo did not start (see {log_path})")


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def purchase(emulator, i, prefix="bench_buyer", notify=True):
    return emulator.control(
        "POST",
        "purchase",
        json={
            "lines": [{"sku": f"OB-{i % SKUS}", "quantity": 1}],
            "buyer": {"username": f"{prefix}_{i % 20}"},
            "notify": notify,
        },
    )["orderId"]


def set_up(registry, emulator):
    with registry.cursor() as cr:
        env = environment(cr)
        account = connected_account(env, emulator)
        products = env["product.product"].create(
            [
                {
                    "name": f"Order bench {i}",
                    "default_code": f"OB-{i}",
                    "is_storable": True,
                    "list_price": 12,
                }
                for i in range(SKUS)
            ]
            + [
                {
                    "name": "Order bench, moved only",
                    "default_code": STOCK_SKU,
                    "is_storable": True,
                    "list_price": 12,
                }
            ]
        )
        stock = env.ref("stock.stock_location_stock")
        for product in products:
            env["stock.quant"]._update_available_quantity(product, stock, 100000)
        listings = products._ebay_listings_for(account)
        listings.write(
            {"image_urls": "https://i.example.com/o.jpg", "category_id": "88433"}
        )
        for listing in listings:
            listing._set_state("queued", pending_operation="publish")
            listing._job_run("publish")
        cr.commit()
        return account.id


def sale_orders(registry, refs):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT client_order_ref FROM sale_order WHERE client_order_ref = ANY(%s)",
            (list(refs),),
        )
        return {ref for (ref,) in cr.fetchall()}


def wait_for_sales(registry, purchased, seen, until):
    while len(seen) < len(purchased) and time.monotonic() < until:
        now = time.monotonic()
        for ref in sale_orders(registry, set(purchased) - set(seen)):
            seen[ref] = now
        time.sleep(0.05)


def validate_delivery(registry):
    """One unit of STOCK_SKU delivered; the quantity eBay must get."""
    with registry.cursor() as cr:
        env = environment(cr)
        product = env["product.product"].search([("default_code", "=", STOCK_SKU)])
        move = env["stock.move"].create(
            {
                "name": "bench",
                "product_id": product.id,
                "product_uom_qty": 1,
                "product_uom": product.uom_id.id,
                "location_id": env.ref("stock.stock_location_stock").id,
                "location_dest_id": env.ref("stock.stock_location_customers").id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.quantity = 1
        move.picked = True
        move._action_done()
        listing = env["ebay.listing"].search([("sku", "=", STOCK_SKU)])
        expected = listing._targets()[0]
    return expected


def pushed_at(emulator, expected, since):
    """When eBay received ``expected`` quantity of STOCK_SKU (or None)."""
    for call in emulator.control("GET", "calls?path=bulk_update_price_quantity")[
        "calls"
    ]:
        for entry in (call.get("body") or {}).get("requests", []):
            quantity = (entry.get("shipToLocationAvailability") or {}).get("quantity")
            if (
                entry.get("sku") == STOCK_SKU
                and quantity == expected
                and call["at"] >= since
            ):
                return call["at"]
    return None


def set_up_notifications(registry, account_id, tries=5):
    """Register the server as eBay's destination: the button, then the job
    it queues, run here.  eBay's challenge (the emulator waits 10 s for the
    answer) can time out on a loaded machine: tried again a few times before
    giving up."""
    for attempt in range(1, tries + 1):
        with registry.cursor() as cr:
            account = environment(cr)["marketplace.account"].browse(account_id)
            account.action_ebay_setup_notifications()
            account._job_ebay_setup_notifications()
            if account._ebay_notifications_set_up():
                return
            reason = account.ebay_notification_setup_error
        if attempt == tries:
            raise RuntimeError(f"eBay notifications could not be set up: {reason}")
        time.sleep(5)


def measure_notified(args, registry, emulator, account_id, baseline, workers=0):
    """Lone orders, then the burst with deliveries validated during it.
    Every server listens on the same port: eBay's destination names it."""
    port = args.port
    with registry.cursor() as cr:
        environment(cr)["ir.config_parameter"].set_param(
            "web.base.url", f"http://127.0.0.1:{port}"
        )
        cr.execute("SELECT coalesce(max(id), 0) FROM queue_job")
        last_job = cr.fetchone()[0]
    way = "baseline" if baseline else f"connector-w{workers}"
    server = start_odoo(
        args.config,
        args.database,
        port,
        f"/tmp/order-bench-odoo-{way}.log",
        baseline=baseline,
        workers=workers,
    )
    emulator.clear_calls()
    try:
        set_up_notifications(registry, account_id)
        lone = []
        for i in range(args.lone):
            started = time.monotonic()
            ref = purchase(emulator, i, prefix=f"lone_{way}")
            seen = {}
            wait_for_sales(registry, {ref: started}, seen, time.monotonic() + 60)
            if ref in seen:
                lone.append(seen[ref] - started)
            time.sleep(0.5)
        purchased, stock = {}, []
        stop = threading.Event()

        def move_stock():
            while not stop.is_set():
                expected = validate_delivery(registry)
                stock.append((time.time(), expected))
                stop.wait(1.0)

        mover = threading.Thread(target=move_stock)
        mover.start()
        started = time.monotonic()
        for i in range(args.notified):
            wait = started + i / args.rate - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            asked = time.monotonic()
            purchased[purchase(emulator, i, prefix=f"burst_{way}")] = asked
        stop.set()
        mover.join()
        seen = {}
        wait_for_sales(registry, purchased, seen, time.monotonic() + 600)
        stock_latencies = []
        deadline = time.monotonic() + 120
        pending = list(stock)
        while pending and time.monotonic() < deadline:
            for item in list(pending):
                at = pushed_at(emulator, item[1], item[0])
                if at is not None:
                    stock_latencies.append(at - item[0])
                    pending.remove(item)
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=60)
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM queue_job WHERE id > %s AND method_name = ANY(%s)",
            (last_job, list(PROCESS_JOBS)),
        )
        jobs = cr.fetchone()[0]
    calls = [
        c
        for c in emulator.calls(path="^/sell/fulfillment/v1/order")
        if "/shipping_fulfillment" not in c["path"]
    ]
    by_ids = [c for c in calls if "orderIds" in (c.get("query") or {})]
    return {
        "lone": lone,
        "latencies": [seen[o] - purchased[o] for o in seen],
        "orders": len(purchased),
        "made": len(seen),
        "jobs": jobs,
        "get_orders": len(by_ids),
        "get_order": sum(1 for c in calls if not c["path"].endswith("/order")),
        "stock": stock_latencies,
        "moves": len(stock),
    }


def poll_window(registry, emulator, account_id, count, prefix):
    """``count`` orders alone in the next poll's window: the emulator's
    clock moves 20 minutes on (past the poll's 10-minute overlap), the
    account's watermark with it."""
    from odoo import fields

    emulator.advance(1200)
    for i in range(count):
        purchase(emulator, i, prefix=prefix, notify=False)
    clock = emulator.clock()
    with registry.cursor() as cr:
        env = environment(cr)
        now = fields.Datetime.to_datetime(clock["now"][:19].replace("T", " "))
        env["marketplace.account"].browse(account_id).write(
            {"order_watermark": now - timedelta(minutes=1)}
        )
        cr.commit()


def old_poll(account):
    """Today's poll before batches: the same pages, each order imported on
    its own (``_import_payload`` per order), in the poll's transaction."""
    from odoo.addons.marketplace_connector.ebay.fulfillment import (
        PAGE_LIMIT,
        FulfillmentApi,
    )
    from odoo.addons.marketplace_connector.models.ebay.marketplace_account_orders import (  # noqa: E501
        OVERLAP,
    )

    api = FulfillmentApi(account._ebay_client())
    since = account.order_watermark - OVERLAP
    Order = account.env["marketplace.order"]
    offset = 0
    while True:
        page = api.get_orders_page(since, offset=offset, limit=PAGE_LIMIT)
        orders = page.get("orders") or []
        for data in orders:
            Order._import_payload(account, data)
        if not page.get("next") or not orders:
            return
        offset += len(orders)


def measure_poll(registry, emulator, account_id, count, baseline):
    prefix = "old_poll" if baseline else "poll"
    poll_window(registry, emulator, account_id, count, prefix)
    emulator.clear_calls()
    profile = SqlProfile()
    with registry.cursor() as cr:
        env = environment(cr)
        account = env["marketplace.account"].browse(account_id)
        before = env["sale.order"].search_count([])
        started = time.perf_counter()
        with profile.recording():
            if baseline:
                old_poll(account)
            else:
                account._job_poll_orders()
            env.flush_all()
            cr.commit()
        wall = time.perf_counter() - started
        sales = env["sale.order"].search([("id", ">", 0)], order="id desc", limit=count)
        made = env["sale.order"].search_count([]) - before
        confirmed = len(sales.filtered(lambda s: s.state == "sale"))
        reserved = len(
            sales.picking_ids.filtered(lambda p: p.state == "assigned").sale_id
        )
    return {
        "orders": count,
        "made": made,
        "confirmed": confirmed,
        "reserved": reserved,
        "wall": wall,
        "queries": profile.total,
        "calls": len(emulator.calls(path="^/sell/")),
        "profile": profile,
    }


def keep(name, result):
    """Each measurement also goes to RESULTS as soon as it is made, so that a
    long run that fails later still leaves its figures."""
    saved = {k: v for k, v in result.items() if k != "profile"}
    if "profile" in result:
        saved["profile"] = result["profile"].report(max(result["made"], 1))
    with open(RESULTS, "a") as out:
        out.write(json.dumps({"name": name, **saved}) + "\n")
    return result


def row(label, new, old, unit="", fmt="{:.2f}"):
    def cell(value):
        return "-" if value is None else fmt.format(value) + unit

    ratio = "-" if not new or old is None else f"{old / new:.1f}x"
    return f"{label:<44}{cell(new):>14}{cell(old):>14}{ratio:>9}"


def stats(values):
    if not values:
        return None, None, None
    return statistics.median(values), percentile(values, 95), max(values)


def report(args, new, old, polled, old_polled, scaled):
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\neBay order benchmark: {args.latency_ms} ms injected latency per call, "
        f"burst of {args.notified} at {args.rate:g}/s"
    )
    print(f"{'':<44}{'connector':>14}{'today':>14}{'ratio':>9}")
    print(
        row(
            "lone order -> sale order p50 (s)",
            stats(new["lone"])[0],
            stats(old["lone"])[0],
        )
    )
    for name, index in (("p50", 0), ("p95", 1), ("max", 2)):
        print(
            row(
                f"burst: notification -> sale order {name} (s)",
                stats(new["latencies"])[index],
                stats(old["latencies"])[index],
            )
        )
    print(row("burst: sale orders made", new["made"], old["made"], fmt="{:.0f}"))
    print(row("burst: processing jobs", new["jobs"], old["jobs"], fmt="{:.0f}"))
    print(
        row(
            "burst: getOrders calls", new["get_orders"], old["get_orders"], fmt="{:.0f}"
        )
    )
    print(
        row("burst: getOrder calls", new["get_order"], old["get_order"], fmt="{:.0f}")
    )
    for name, index in (("p50", 0), ("p95", 1), ("max", 2)):
        print(
            row(
                f"stock move -> eBay during the burst {name} (s)",
                stats(new["stock"])[index],
                stats(old["stock"])[index],
            )
        )
    print(
        row(
            f"poll of {polled['orders']}: wall (s)",
            polled["wall"],
            old_polled["wall"] * scaled,
            fmt="{:.1f}",
        )
    )
    print(
        row(
            "poll: SQL queries per order",
            polled["queries"] / max(polled["made"], 1),
            old_polled["queries"] / max(old_polled["made"], 1),
            fmt="{:.1f}",
        )
    )
    print(
        row(
            "poll: sale orders confirmed / reserved",
            polled["confirmed"],
            old_polled["confirmed"] * scaled,
            fmt="{:.0f}",
        )
        + f"   ({polled['reserved']} / {old_polled['reserved']} reserved)"
    )
    print(
        f"\nToday's way: one job per notification (getOrder, its own transaction), "
        f"the poll importing one order at a time (measured on "
        f"{old_polled['orders']}, wall scaled x{scaled:g}).  Stock moves validated "
        f"during the bursts: {new['moves']} / {old['moves']}.  Load average after "
        f"the run {load} (2 CPUs, shared): wall times move with it, call and "
        "query counts do not."
    )
    print(
        "\nWhere the poll's queries go, per order "
        f"(connector, {polled['made']} orders):"
    )
    print("\n".join(polled["profile"].report(max(polled["made"], 1))))
    print(f"\nThe same, one order at a time (today, {old_polled['made']} orders):")
    print("\n".join(old_polled["profile"].report(max(old_polled["made"], 1))))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--notified", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--lone", type=int, default=5)
    parser.add_argument("--polled", type=int, default=1000)
    parser.add_argument("--baseline-polled", type=int, default=200)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument(
        "--workers",
        default="",
        help="also measure the connector's burst with these Odoo worker "
        "counts (comma-separated, e.g. 1,2,4)",
    )
    args = parser.parse_args()

    registry = open_registry(args.config, args.database)
    emulator = Emulator(args.emulator)
    args.port = free_port()
    account_id = set_up(registry, emulator)
    emulator.config(latency_ms=args.latency_ms)
    new = keep(
        "connector", measure_notified(args, registry, emulator, account_id, False)
    )
    old = keep("today", measure_notified(args, registry, emulator, account_id, True))
    scaled_runs = {}
    for workers in filter(None, args.workers.split(",")):
        scaled_runs[int(workers)] = keep(
            f"workers {workers}",
            measure_notified(
                args, registry, emulator, account_id, False, workers=int(workers)
            ),
        )
    polled = keep(
        "poll", measure_poll(registry, emulator, account_id, args.polled, False)
    )
    old_polled = keep(
        "old poll",
        measure_poll(registry, emulator, account_id, args.baseline_polled, True),
    )
    scaled = args.polled / max(args.baseline_polled, 1)
    report(args, new, old, polled, old_polled, scaled)
    for workers, run in scaled_runs.items():
        p50, p95, top = (
            "-" if v is None else f"{v:.2f}" for v in stats(run["latencies"])
        )
        print(
            f"connector at --workers {workers}: burst p50 {p50} s, p95 {p95} s, "
            f"max {top} s ({run['made']}/{run['orders']}), {run['jobs']} jobs, "
            f"lone p50 {stats(run['lone'])[0] or 0:.2f} s"
        )
    print(f"contract violations: {emulator.control('GET', 'violations')['count']}")


if __name__ == "__main__":
    main()
