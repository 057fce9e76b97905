"""Where the SQL queries of one imported order go (eBay, the poll).

``bash bench/run.sh order_profile [--orders 200]``: a connected account
with 5 listed products, ``--orders`` purchases on the emulator, then the
account's poll job imports them while bench/sqlprofile.py counts every
query by its caller.  Prints the queries per order by the addon's step and
by the Odoo code that ran them.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from benchlib import Emulator, connected_account, environment, open_registry
from sqlprofile import SqlProfile


def listed_products(env, account, count=5, prefix="OP"):
    products = env["product.product"].create(
        [
            {
                "name": f"Profile bench {i}",
                "default_code": f"{prefix}-{i}",
                "is_storable": True,
                "list_price": 12,
            }
            for i in range(count)
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
    return products


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--orders", type=int, default=200)
    args = parser.parse_args()

    registry = open_registry(args.config, args.database)
    emulator = Emulator(args.emulator)
    with registry.cursor() as cr:
        env = environment(cr)
        account = connected_account(env, emulator)
        listed_products(env, account)
        account_id = account.id
        cr.commit()
    for i in range(args.orders):
        emulator.control(
            "POST",
            "purchase",
            json={
                "lines": [{"sku": f"OP-{i % 5}", "quantity": 1}],
                "buyer": {"username": f"profile_buyer_{i % 50}"},
                "notify": False,
            },
        )
    profile = SqlProfile()
    with registry.cursor() as cr:
        env = environment(cr)
        account = env["marketplace.account"].browse(account_id)
        before = env["sale.order"].search_count([])
        started = time.perf_counter()
        with profile.recording():
            account._job_poll_orders()
            env.flush_all()
        wall = time.perf_counter() - started
        made = env["sale.order"].search_count([]) - before
        confirmed = env["sale.order"].search_count([("state", "=", "sale")])
        cr.commit()
    print(
        f"\neBay poll of {args.orders} orders: {made} sale orders "
        f"({confirmed} confirmed) in {wall:.1f} s"
    )
    print(
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 CPUs, shared)"
    )
    print("\n".join(profile.report(max(made, 1))))


if __name__ == "__main__":
    main()
