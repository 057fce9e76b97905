"""Order benchmark.

1. Notification to sale order: 200 purchases on the emulator, each pushed as
   a signed ORDER_CONFIRMATION to a running Odoo (HTTP server + queue_job
   runner); prints p50/p95 of the time from purchase to the sale order.
2. Polling: 1,000 orders imported by one poll job; prints wall time and SQL
   queries per order.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

import requests

sys.path.insert(0, os.path.dirname(__file__))

from benchlib import Emulator, connected_account, environment, open_registry


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_odoo(config, database, port, log_path):
    cmd = [
        sys.executable,
        "-m",
        "odoo",
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
        "--log-level",
        "warn",
    ]
    env = dict(
        os.environ,
        ODOO_QUEUE_JOB_CHANNELS="root:2,root.ebay.notification:2,root.ebay.stock:1",
    )
    log = open(log_path, "w")  # noqa: SIM115 (kept open for the server's life)
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    for _i in range(120):
        try:
            requests.get(f"http://127.0.0.1:{port}/web/health", timeout=1)
            return server
        except requests.RequestException:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("Odoo did not start")


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--notified", type=int, default=200)
    parser.add_argument("--polled", type=int, default=1000)
    args = parser.parse_args()

    registry = open_registry(args.config, args.database)
    emulator = Emulator(args.emulator)
    port = free_port()
    with registry.cursor() as cr:
        env = environment(cr)
        account = connected_account(env, emulator)
        env["ir.config_parameter"].set_param("web.base.url", f"http://127.0.0.1:{port}")
        products = env["product.product"].create(
            [
                {
                    "name": f"Order bench {i}",
                    "default_code": f"OB-{i}",
                    "is_storable": True,
                    "list_price": 12,
                }
                for i in range(5)
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
            listing.write({"state": "queued", "pending_operation": "publish"})
            listing._job_run("publish")
        account_id = account.id
        cr.commit()

    server = start_odoo(args.config, args.database, port, "/tmp/order-bench-odoo.log")
    try:
        with registry.cursor() as cr:
            env = environment(cr)
            env["marketplace.account"].browse(
                account_id
            ).action_ebay_setup_notifications()
            cr.commit()
        purchased = {}
        for i in range(args.notified):
            started = time.monotonic()
            order = emulator.control(
                "POST",
                "purchase",
                json={
                    "lines": [{"sku": f"OB-{i % 5}", "quantity": 1}],
                    "buyer": {"username": f"bench_buyer_{i % 20}"},
                },
            )
            purchased[order["orderId"]] = started
        seen = {}
        deadline = time.monotonic() + 600
        while len(seen) < len(purchased) and time.monotonic() < deadline:
            with registry.cursor() as cr:
                cr.execute(
                    "SELECT client_order_ref FROM sale_order"
                    " WHERE client_order_ref = ANY(%s)",
                    (list(set(purchased) - set(seen)),),
                )
                now = time.monotonic()
                for (ref,) in cr.fetchall():
                    seen[ref] = now
            time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = [seen[o] - purchased[o] for o in seen]

    for i in range(args.polled):
        emulator.control(
            "POST",
            "purchase",
            json={
                "lines": [{"sku": f"OB-{i % 5}", "quantity": 1}],
                "buyer": {"username": f"poll_buyer_{i % 50}"},
                "notify": False,
            },
        )
    with registry.cursor() as cr:
        env = environment(cr)
        account = env["marketplace.account"].browse(account_id)
        before_orders = env["marketplace.order"].search_count([])
        queries = cr.sql_log_count
        calls = emulator.call_count()
        started = time.perf_counter()
        account._job_poll_orders()
        wall = time.perf_counter() - started
        queries = cr.sql_log_count - queries
        calls = emulator.call_count() - calls
        imported = env["marketplace.order"].search_count([]) - before_orders
        cr.commit()

    print("\nOrder benchmark")
    print(
        f"notification -> sale order, {len(latencies)}/{args.notified} orders arrived:"
    )
    if latencies:
        print(
            f"  p50 {statistics.median(latencies):.2f} s"
            f"   p95 {percentile(latencies, 95):.2f} s   max {max(latencies):.2f} s"
        )
    print(f"polled import of {imported} orders (one poll job, pages of 200):")
    print(
        f"  wall {wall:.1f} s ({wall / max(imported, 1) * 1000:.1f} ms per order), "
        f"{calls} getOrders calls, {queries} SQL queries "
        f"({queries / max(imported, 1):.1f} per order)"
    )
    print(f"contract violations: {emulator.control('GET', 'violations')['count']}")


if __name__ == "__main__":
    main()
