"""getCategorySubtree and getCategoryTree as the Odoo side browses them:
every request and answer is checked against the Taxonomy contract, and the
errors are the ones the contract declares for the operation."""

import json
import os
import re

import pytest
from ebay_app import EmuClient
from marketplace_connector.ebay import EbayClient, EbayValidationError, Endpoints
from marketplace_connector.ebay.taxonomy import TaxonomyApi, simple_tree

SUBTREE = "/commerce/taxonomy/v1/category_tree/0/get_category_subtree"


@pytest.fixture
def api(emu):
    url, session = emu
    token = EmuClient(url, session).app_token()
    client = EbayClient(
        Endpoints.for_environment("emulator", url), lambda force_refresh=False: token
    )
    return TaxonomyApi(client)


@pytest.fixture(scope="module")
def declared_errors(contracts_dir):
    """{errorId: description} the contract declares for getCategorySubtree."""
    with open(os.path.join(contracts_dir, "commerce_taxonomy_v1_oas3.json")) as f:
        contract = json.load(f)
    operation = contract["paths"][
        "/category_tree/{category_tree_id}/get_category_subtree"
    ]["get"]
    found = {}
    for answer in operation["responses"].values():
        for error_id, error in (
            (answer.get("x-response-codes") or {}).get("errors", {}).items()
        ):
            found[int(error_id)] = error["description"]
    return found


def test_the_emulator_checks_what_it_serves(emu):
    url, session = emu
    health = EmuClient(url, session).health()
    assert health["checked"] is True and health["contracts"] > 0


def test_a_category_and_its_children_leaf_and_level(emu, api):
    url, session = emu
    audio = api.get_category_subtree("0", "15052")
    assert audio == {
        "category_id": "15052",
        "name": "Portable Audio & Headphones",
        "leaf": False,
        "level": 2,
        "children": [
            {"category_id": "112529", "name": "Headphones", "leaf": True, "level": 3}
        ],
    }
    # A leaf is a valid subtree of one node.
    leaf = api.get_category_subtree("3", "112529")
    assert (leaf["leaf"], leaf["children"], leaf["level"]) == (True, [], 3)
    control = EmuClient(url, session)
    calls = control.calls(path=SUBTREE)
    assert [c["status"] for c in calls] == [200]
    assert control.violations() == []


@pytest.mark.parametrize(
    ("tree_id", "category_id", "error_id"),
    [("0", "424242", 62005), ("0", "0", 62008), ("42", "15052", 62004)],
)
def test_refusals_are_the_contracts_errors(
    emu, api, declared_errors, tree_id, category_id, error_id
):
    url, session = emu
    with pytest.raises(EbayValidationError) as err:
        api.get_category_subtree(tree_id, category_id)
    assert err.value.error_ids == [error_id]
    # Declared for the operation, in eBay's words (without their markup; the
    # emulator names the call where eBay gives the tree's address).
    words = re.sub(r"</?code>", "", declared_errors[error_id]).replace(
        "{categoryTreeHref}", "getCategoryTree"
    )
    assert str(err.value.errors[0].get("message")) == words
    assert EmuClient(url, session).violations() == []


def test_without_category_id_the_request_breaks_the_contract(emu):
    url, session = emu
    token = EmuClient(url, session).app_token()
    answer = session.get(
        f"{url}{SUBTREE}", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    # Refused as eBay's gateway refuses a request its contract does not
    # allow, and recorded as the request's violation.
    assert answer.status_code == 400
    [violation] = EmuClient(url, session).take_violations()
    assert violation["operation"] == "getCategorySubtree"
    assert "missing required query parameter category_id" in violation["reason"]


def test_an_undeclared_field_in_the_answer_is_a_mismatch(emulator):
    book = emulator.state.contracts
    operation, _ = book.find("GET", SUBTREE)
    node = {
        "category": {"categoryId": "15052", "categoryName": "Portable Audio"},
        "categoryTreeNodeLevel": 2,
    }
    answer = {"categorySubtreeNode": node, "categoryTreeId": "0"}
    assert book.check_response(operation, 200, answer) == []
    [reason] = book.check_response(operation, 200, dict(answer, children=[]))
    assert "'children' was unexpected" in reason


def test_the_whole_tree_as_rows_with_paths(emu, api):
    url, session = emu
    root_id, rows = simple_tree(api.get_category_tree("0"))
    assert root_id == "0"
    by_id = {r["category_id"]: r for r in rows}
    assert by_id["112529"] == {
        "category_id": "112529",
        "name": "Headphones",
        "leaf": True,
        "level": 3,
        "path": "Consumer Electronics > Portable Audio & Headphones > Headphones",
        "parent_category_id": "15052",
    }
    assert by_id["293"]["parent_category_id"] == "0"
    # Parents come before their children.
    position = {r["category_id"]: i for i, r in enumerate(rows)}
    assert all(
        position[r["parent_category_id"]] < position[r["category_id"]]
        for r in rows
        if r["parent_category_id"] != "0"
    )
    assert EmuClient(url, session).violations() == []
