"""The Feed API over real HTTP: the pure client (ebay/feed.py) against the
emulator (emulator/ebay/feed_api.py), every call checked against eBay's
Feed contract (the ``emu`` fixture fails on any violation)."""

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from ebay_app import SCOPES
from marketplace_connector.ebay import EbayClient, EbayNotFound, Endpoints
from marketplace_connector.ebay import feed as feed_mod
from marketplace_connector.ebay.feed import FeedApi

assert "sell.inventory" in SCOPES


@pytest.fixture
def api(client):
    token = client.user_tokens()["access_token"]
    ebay = EbayClient(
        Endpoints.for_environment("emulator", client.url),
        lambda force_refresh=False: token,
        marketplace_id="EBAY_US",
    )
    return FeedApi(ebay)


def _done(get, task_id, polls=5):
    for _ in range(polls):
        task = get(task_id)
        if task["status"] in feed_mod.DONE_STATUSES:
            return task
    raise AssertionError(f"task {task_id} still {task['status']}")


def test_active_inventory_report_lists_the_live_listings(client, api):
    seeded = client.seed_live_listings(
        [{"sku": f"R-{i}", "price": 10 + i, "quantity": i} for i in range(30)]
    )
    task_id = api.create_inventory_task()
    assert task_id.startswith("task-")
    first = api.get_inventory_task(task_id)
    assert first["status"] == "IN_PROCESS"  # one read, one step
    # Ended before the report is made: not in it.
    ended = seeded[0]
    client.call(
        "POST",
        f"/sell/inventory/v1/offer/{ended['offerId']}/withdraw",
        token=api.client.token_provider(),
    )
    task = _done(api.get_inventory_task, task_id)
    assert task["status"] == "COMPLETED"
    content = api.get_result_file(task_id)
    assert content[:2] == b"PK", "the result file is zipped"
    report = {r["sku"]: r for r in feed_mod.parse_active_inventory_report(content)}
    assert len(report) == 29 and "R-0" not in report
    assert report["R-7"] == {
        "sku": "R-7",
        "item_id": seeded[7]["listingId"],
        "price": 17.0,
        "currency": "USD",
        "quantity": 7,
    }


def test_tasks_advance_with_the_clock_too(client, api):
    client.config(feed_step_seconds=5, feed_polls_per_step=100)
    task_id = api.create_inventory_task()
    assert api.get_inventory_task(task_id)["status"] == "QUEUED"
    client.advance(6)
    assert api.get_inventory_task(task_id)["status"] == "IN_PROCESS"
    client.advance(6)
    task = api.get_inventory_task(task_id)
    assert task["status"] == "COMPLETED" and task["completionDate"]


def test_end_feed_applies_per_item_and_reports_per_item_errors(client, api):
    seeded = client.seed_live_listings(
        [{"sku": f"E-{i}", "price": 5, "quantity": 1} for i in range(4)]
    )
    task_id = api.create_task(feed_mod.END_FIXED_PRICE_ITEM)
    assert api.get_task(task_id)["status"] == "CREATED"
    with pytest.raises(EbayNotFound):
        api.get_result_file(task_id)
    items = [(f"m{i}", s["listingId"], s["sku"]) for i, s in enumerate(seeded)]
    items.append(("unknown", "999999", None))
    items.append(("twice", seeded[0]["listingId"], None))  # ended by the first
    document = feed_mod.end_items_document(items)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("end.xml", document)
    api.upload_file(task_id, "end.zip", buffer.getvalue(), "application/zip")
    task = _done(api.get_task, task_id)
    assert task["status"] == "COMPLETED_WITH_ERROR"
    assert task["uploadSummary"] == {"successCount": 4, "failureCount": 2}
    results = feed_mod.parse_responses(api.get_result_file(task_id))
    assert all(results[f"m{i}"]["ok"] for i in range(4))
    assert results["unknown"]["errors"][0]["code"] == "17"
    assert results["twice"]["errors"][0]["code"] == "1047"
    report_id = api.create_inventory_task()
    _done(api.get_inventory_task, report_id)
    assert feed_mod.parse_active_inventory_report(api.get_result_file(report_id)) == []


def test_revise_inventory_status_feed(client, api):
    seeded = client.seed_live_listings([{"sku": "V-1", "price": 5, "quantity": 1}])
    task_id = api.create_task(feed_mod.REVISE_INVENTORY_STATUS)
    document = feed_mod.revise_inventory_status_document(
        [("a", seeded[0]["listingId"], "V-1", 7.5, 9), ("b", "404", None, 1, 1)]
    )
    api.upload_file(task_id, "revise.xml", document)
    assert _done(api.get_task, task_id)["status"] == "COMPLETED_WITH_ERROR"
    results = feed_mod.parse_responses(api.get_result_file(task_id))
    assert results["a"]["ok"] and not results["b"]["ok"]
    report_id = api.create_inventory_task()
    _done(api.get_inventory_task, report_id)
    (row,) = feed_mod.parse_active_inventory_report(api.get_result_file(report_id))
    assert (row["sku"], row["price"], row["quantity"]) == ("V-1", 7.5, 9)


def test_a_bad_file_is_refused_and_a_task_takes_one_file(client, api):
    task_id = api.create_task(feed_mod.END_FIXED_PRICE_ITEM)
    token = api.client.token_provider()
    path = f"/sell/feed/v1/task/{task_id}/upload_file"
    bad = client.call("POST", path, token=token, files={"file": ("x.xml", b"<a>")})
    assert bad.status_code == 400 and bad.json()["errors"][0]["errorId"] == 160020
    missing = client.call("POST", path, token=token, files={"other": ("x", b"x")})
    assert missing.json()["errors"][0]["errorId"] == 160100
    api.upload_file(task_id, "end.xml", feed_mod.end_items_document([]))
    again = client.call(
        "POST",
        path,
        token=token,
        files={"file": ("e.xml", feed_mod.end_items_document([]))},
    )
    assert again.json()["errors"][0]["errorId"] == 160023
    # A file with no request at all: nothing to process.
    assert _done(api.get_task, task_id)["status"] == "FAILED"


def test_find_tasks_by_type_and_creation_date(client, api):
    before = datetime.now(UTC) - timedelta(seconds=1)
    report = api.create_inventory_task()
    upload = api.create_task(feed_mod.END_FIXED_PRICE_ITEM)
    other = api.create_task(feed_mod.REVISE_INVENTORY_STATUS)
    after = datetime.now(UTC) + timedelta(seconds=1)
    ends = api.find_tasks(feed_mod.END_FIXED_PRICE_ITEM, before, after)
    assert [t["taskId"] for t in ends] == [upload]
    reports = api.find_tasks(feed_mod.ACTIVE_INVENTORY_REPORT, before, after)
    assert [t["taskId"] for t in reports] == [report]
    earlier = api.find_tasks(
        feed_mod.REVISE_INVENTORY_STATUS,
        before - timedelta(hours=2),
        before - timedelta(hours=1),
    )
    assert other and earlier == []


def test_create_refusals(client, api):
    token = api.client.token_provider()
    wrong = client.call(
        "POST",
        "/sell/feed/v1/task",
        token=token,
        json={"feedType": feed_mod.ACTIVE_INVENTORY_REPORT, "schemaVersion": "1.0"},
        headers={"X-EBAY-C-MARKETPLACE-ID": "EBAY_US"},
    )
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["errorId"] == 160030
    no_marketplace = client.call(
        "POST",
        "/sell/feed/v1/task",
        token=token,
        json={"feedType": feed_mod.END_FIXED_PRICE_ITEM, "schemaVersion": "1355"},
    )
    # The header is required by the contract: the emulator records the
    # violation and answers 400.
    assert no_marketplace.status_code == 400
    assert client.take_violations()
