"""The core on its own: it reads Swagger 2.0 (Amazon's SP-API models) as it
reads OpenAPI 3, checks requests and answers of a personality that is not
eBay's, and imports nothing of the eBay personality."""

import ast
import os
from pathlib import Path

import pytest
import requests

from emulator.client import EmulatorClient
from emulator.core import Personality, Router, build_server, serve_in_thread

EMULATOR_DIR = Path(__file__).resolve().parents[1]
AMAZON_MODELS = Path(
    os.environ.get("AMAZON_MODELS_DIR")
    or EMULATOR_DIR.parents[1] / "shared" / "amazon-models"
)
LISTINGS = (
    AMAZON_MODELS / "models/listings-items-api-model/listingsItems_2021-08-01.json"
)
ITEM = "/listings/2021-08-01/items/SELLER1/SKU-1"
MARKETPLACE = {"marketplaceIds": "ATVPDKIKX0DER"}


# -- a test-only personality on Amazon's Listings Items model ----------------------
ROUTER = Router()


@ROUTER.route("GET", "/listings/2021-08-01/items/{sellerId}/{sku}", auth=None)
def get_listings_item(req):
    if req.params["sku"] == "BROKEN-ANSWER":
        # Item.sku is required and summaries is an array: both broken.
        return 200, {"summaries": {"marketplaceId": "ATVPDKIKX0DER"}}, {}
    return 200, {"sku": req.params["sku"]}, {}


@ROUTER.route("PUT", "/listings/2021-08-01/items/{sellerId}/{sku}", auth=None)
def put_listings_item(req):
    answer = {"sku": req.params["sku"], "status": "ACCEPTED", "submissionId": "s-1"}
    return 200, answer, {}


class ListingsPersonality(Personality):
    name = "Listings test"
    request_id_header = "x-amzn-RequestId"


@pytest.fixture(scope="module")
def listings():
    if not LISTINGS.is_file():
        pytest.fail(
            f"Amazon's models are needed at {AMAZON_MODELS} (AMAZON_MODELS_DIR)"
        )
    personality = ListingsPersonality(ROUTER)
    book = personality.load_contracts([LISTINGS])
    handle = serve_in_thread(build_server(personality, contracts=book))
    yield handle
    handle.stop()


@pytest.fixture
def amazon(listings):
    client = EmulatorClient(listings.url, timeout=5)
    client.reset()
    yield client
    client.session.close()


def test_the_swagger_model_is_read(listings):
    book = listings.state.contracts
    contract = book.contracts[0]
    assert contract.swagger and "ListingsItemPutRequest" in contract.schemas
    assert {op.operation_id for op in book.operations} == {
        "deleteListingsItem",
        "getListingsItem",
        "patchListingsItem",
        "putListingsItem",
        "searchListingsItems",
    }
    # No basePath: the literal start of its paths is what it covers.
    assert book.bases == {"/listings/2021-08-01/items"}
    put, _params = book.find("PUT", ITEM)
    assert put.body_required and put.media_types == ["application/json"]
    assert put.request_schema()["required"] == ["productType", "attributes"]
    assert put.answer_schema(200)["required"] == ["sku", "status", "submissionId"]
    assert EmulatorClient(listings.url).checked().health()["contracts"] == 5


def test_a_valid_request_and_answer_are_no_violation(amazon):
    answer = requests.get(
        f"{amazon.url}{ITEM}",
        params=dict(MARKETPLACE, includedData="summaries,issues"),
        headers={"x-amzn-RequestId": "r-1"},
        timeout=5,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"sku": "SKU-1"}
    assert answer.headers["x-amzn-RequestId"] == "r-1"
    put = requests.put(
        f"{amazon.url}{ITEM}",
        params=MARKETPLACE,
        json={"productType": "LUGGAGE", "attributes": {"item_name": [{"value": "x"}]}},
        timeout=5,
    )
    assert put.status_code == 200, put.text
    assert amazon.violations() == []
    assert [call["status"] for call in amazon.calls()] == [200, 200]


def test_a_missing_required_query_parameter_is_a_violation(amazon):
    answer = requests.get(f"{amazon.url}{ITEM}", timeout=5)
    assert answer.status_code == 400
    [violation] = amazon.take_violations()
    assert violation["side"] == "request"
    assert violation["operation"] == "getListingsItem"
    assert violation["reason"] == "missing required query parameter marketplaceIds"


def test_an_array_query_item_outside_its_enum_is_a_violation(amazon):
    query = dict(MARKETPLACE, includedData="summaries,everything")
    assert (
        requests.get(f"{amazon.url}{ITEM}", params=query, timeout=5).status_code == 400
    )
    [violation] = amazon.take_violations()
    assert violation["reason"].startswith("query parameter includedData must be one of")
    assert violation["reason"].endswith("not 'everything'")


def test_a_body_of_the_wrong_type_is_a_violation(amazon):
    wrong = {"productType": 7, "attributes": {}}
    answer = requests.put(
        f"{amazon.url}{ITEM}", params=MARKETPLACE, json=wrong, timeout=5
    )
    assert answer.status_code == 400
    [violation] = amazon.take_violations()
    assert (violation["side"], violation["operation"]) == ("request", "putListingsItem")
    assert violation["reason"] == "body.productType: 7 is not of type 'string'"
    missing = requests.put(
        f"{amazon.url}{ITEM}", params=MARKETPLACE, json={"attributes": {}}, timeout=5
    )
    assert missing.status_code == 400
    [violation] = amazon.take_violations()
    assert violation["reason"] == "body: 'productType' is a required property"


def test_an_answer_that_breaks_the_model_is_a_violation(amazon):
    path = "/listings/2021-08-01/items/SELLER1/BROKEN-ANSWER"
    answer = requests.get(f"{amazon.url}{path}", params=MARKETPLACE, timeout=5)
    assert answer.status_code == 200  # sent as the handler gave it ...
    [violation] = amazon.take_violations()  # ... and recorded
    assert (violation["side"], violation["operation"]) == ("answer", "getListingsItem")
    assert "'sku' is a required property" in violation["reason"]
    assert "answer.summaries: {'marketplaceId'" in violation["reason"]
    assert "is not of type 'array'" in violation["reason"]


def test_an_unknown_operation_under_the_model_is_a_violation(amazon):
    answer = requests.post(f"{amazon.url}{ITEM}", params=MARKETPLACE, timeout=5)
    assert answer.status_code == 404
    [violation] = amazon.take_violations()
    assert violation["reason"] == "no such operation in Listings test's contract"


def test_a_fault_answers_with_the_personality_s_body(amazon):
    amazon.fault("^/listings/", "503", message="down for a test")
    answer = requests.get(f"{amazon.url}{ITEM}", params=MARKETPLACE, timeout=5)
    assert answer.status_code == 503
    assert answer.json() == {"errors": [{"code": "503", "message": "down for a test"}]}
    assert amazon.violations() == []  # 503 is declared, its ErrorList is kept


# -- layering --------------------------------------------------------------------
def _imported_modules(path, package=None):
    """The absolute names of the modules ``path`` imports, relative ones
    resolved against its package (or ``package``, a tuple of names)."""
    if package is None:
        package = ("emulator", *path.parent.relative_to(EMULATOR_DIR).parts)
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_the_core_imports_nothing_of_a_personality():
    core = sorted((EMULATOR_DIR / "core").glob("*.py"))
    assert len(core) >= 7
    for path in core:
        imported = _imported_modules(path)
        own = {name for name in imported if name.startswith("emulator.")}
        assert all(name.startswith("emulator.core") for name in own), (path, own)
        assert not {n for n in imported if n == "ebay" or n.startswith("ebay.")}
        assert "ebay" not in path.read_text(encoding="utf-8").lower(), path


def test_the_import_reader_sees_a_personality_import(tmp_path):
    """The check above would see ``from ..ebay import x`` in a core module."""
    assert "emulator.core.routes.Router" in _imported_modules(
        EMULATOR_DIR / "core" / "personality.py"
    )
    probe = tmp_path / "probe.py"
    probe.write_text("from ..ebay import errors\nfrom . import state\n")
    names = _imported_modules(probe, ("emulator", "core"))
    assert "emulator.ebay.errors" in names and "emulator.core.state" in names
