"""Shared set-up of the Amazon benchmarks: a connected account, products
that pass the PRODUCT schema, and the arithmetic of Amazon's rates.

Amazon throttles with token buckets (``rate`` per second, ``burst`` at
once, the models' tables; AMAZON_FACTS §6).  The time a run of calls needs
at those rates, whatever the network, is what the benchmarks compare: the
naive way (one Listings Items call per SKU) is bound by it, the connector's
feeds are not (a handful of calls, inside the bursts).
"""

import base64
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))
from emulator.client import AmazonEmulatorClient

CLIENT_ID = "amzn1.application-oa2-client.bench"
SECRET = "bench-secret-for-this-run"
APPLICATION_ID = "amzn1.sp.solution.bench"
SELLER = "A1EMULATORSELLER"
US = "ATVPDKIKX0DER"
# A 1x1 PNG: each product's image, which Amazon gets by its public URL.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc000000301010018dd8db0"
        "0000000049454e44ae426082"
    )
)
# What the benchmarks count: SP-API calls and document transfers, not LWA.
API_CALLS = "^/(listings|feeds|reports|definitions|sellers)/|^/_documents/"
# JSON_LISTINGS_FEED createFeed: 5 per 5 minutes per region (changelog
# 2025-05-06): a burst of 5, one more each 60 seconds.
FEED_RATE = (5 / 300, 5)


class AmazonBenchEmulator(AmazonEmulatorClient):
    """The one control client, with a benchmark's patience."""

    def __init__(self, url):
        super().__init__(url, timeout=60)

    def call_count(self, path=API_CALLS):
        return super().call_count(path)


def rate_bound_seconds(calls, rate, burst):
    """Seconds ``calls`` calls of one operation need at least at ``rate``
    per second with ``burst`` tokens at the start."""
    return max(0, calls - burst) / rate


def ean13(number):
    digits = f"{number:012d}"[-12:]
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def _prefix_base(prefix):
    """A range of a million numbers per SKU prefix ("AP", "AN", ...)."""
    return int.from_bytes(prefix.encode(), "big") % 1000 * 1_000_000


def amazon_account(env, emulator):
    """An Amazon account on the emulator, self-authorised (the refresh
    token pasted, as a self-authorised seller does)."""
    emulator.reset()
    emulator.add_app(
        CLIENT_ID,
        SECRET,
        APPLICATION_ID,
        "http://127.0.0.1/amazon/oauth/callback",
    )
    refresh_token = emulator.self_authorize(CLIENT_ID, SELLER)
    account = env["marketplace.account"].create(
        {
            "channel": "amazon",
            "name": "Bench Amazon seller",
            "environment": "emulator",
            "amazon_region": "NA",
            "client_id": CLIENT_ID,
            "amazon_application_id": APPLICATION_ID,
            "warehouse_id": env.ref("stock.warehouse0").id,
        }
    )
    account._amazon_store_client_secret(SECRET)
    account._amazon_connect_self_authorised(refresh_token, SELLER)
    account.amazon_participation_ids.filtered(lambda p: p.marketplace_id != US).write(
        {"selected": False}
    )
    return account


def product_type(account):
    """PRODUCT's definition for the US, fetched and cached."""
    return account.env["amazon.product.type"]._fetch(
        account._amazon_client(),
        "PRODUCT",
        US,
        seller_id=account.amazon_selling_partner_id,
    )


def amazon_listings(env, account, count, prefix, qty=5):
    """``count`` draft US listings of new storable products with stock."""
    kind = product_type(account)
    us = account.amazon_participation_ids.filtered(lambda p: p.marketplace_id == US)
    templates = env["product.template"].create(
        [
            {
                "name": f"Bench figure {prefix}-{i:05d}",
                "default_code": f"{prefix}-{i:05d}",
                # Barcodes are unique per company: each prefix its own range.
                "barcode": ean13(500000000000 + _prefix_base(prefix) + i),
                "is_storable": True,
                "list_price": 10,
                "image_1920": PNG,
                "amazon_brand": "Bench Figures",
                "amazon_bullet_points": "Hand painted\nSix inches tall",
                "description_sale": "A benchmark figure.",
                "amazon_product_type_id": kind.id,
            }
            for i in range(count)
        ]
    )
    stock = env.ref("stock.stock_location_stock")
    Quant = env["stock.quant"]
    for product in templates.product_variant_ids:
        Quant._update_available_quantity(product, stock, qty)
    return templates.product_variant_ids._amazon_listings_for(account, us)


def run_jobs(env, method, limit=100000):
    """Run the stored jobs of ``method`` (their eta ignored) until none is
    left, as queue_job's runner would; how many ran."""
    from odoo.addons.queue_job.controllers.main import RunJobController
    from odoo.addons.queue_job.job import Job

    runs = 0
    while runs < limit:
        job = env["queue.job"].search(
            [("method_name", "=", method), ("state", "=", "pending")],
            order="id",
            limit=1,
        )
        if not job:
            return runs
        RunJobController._runjob(env, Job.load(env, job.uuid))
        env.invalidate_all()
        runs += 1
    return runs


def print_table(title, rows):
    """``rows``: (label, connector, naive) triples, printed side by side."""
    print(f"\n{title}")
    print(f"{'':38}{'connector':>14}{'naive':>16}{'ratio':>10}")
    for label, ours, naive in rows:
        ratio = f"{naive / ours:.1f}x" if ours else "(inside bursts)" if naive else "-"
        print(f"{label:38}{_shown(ours):>14}{_shown(naive):>16}{ratio:>10}")


def _shown(value):
    return f"{value:.1f}" if isinstance(value, float) else str(value)
