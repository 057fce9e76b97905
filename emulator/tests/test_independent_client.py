"""An independent client, built from eBay's contract files alone, drives the
emulator through every operation it serves.

The client below does not use the emulator's contract code: it reads the
contract JSON itself, resolves ``$ref`` with ``referencing``, builds each
request from the operation's path template, server base path, parameters
and media types, checks the body it sends against the request schema, and
checks every answer against the declared answers, closed (only declared
properties), as a generated client with strict models would.  What it takes
from the emulator is data written down with sources: the corrections of
eBay's known contract mistakes (``emulator.ebay.contracts``: ``CORRECTIONS``,
``ERROR_BODY``) and the list of operations the emulator serves
(``emulator.ebay.routes.ROUTER``).

It asserts that no valid request is refused (no request violation, no 400
the client did not expect), that no answer breaks the contract (the
client's own check and the emulator's recorded violations), and that every
served operation was called at least once.
"""

import copy
import hashlib
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from emulator.ebay.contracts import CORRECTIONS, ERROR_BODY
from emulator.ebay.personality import _contract_files
from emulator.ebay.routes import ROUTER

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
# Values for required header parameters (eBay's documented examples).
HEADER_VALUES = {
    "content-language": "en-US",
    "accept-language": "en-US",
    "x-ebay-c-marketplace-id": "EBAY_US",
}
ENUM_VALUE = re.compile(r"- \*\*([A-Za-z0-9_.-]+)\*\*")
METHODS = ("get", "put", "post", "delete", "patch")


# -- the contracts, read independently --------------------------------------------
def _fix(node, urn, closed, name=None):
    """A copy of a contract schema tree fit for jsonschema: ``$ref`` made
    absolute (``urn#/...``), enum "objects" as strings (the portal files type
    enums as ``object`` and list their string values in the description; the
    classic files in ``oas3.0-master/`` declare the same fields as strings),
    ``required`` dropped (a hint only: SOURCES.md), and, when ``closed``,
    ``additionalProperties: false`` on objects that list their properties."""
    if isinstance(node, list):
        return [_fix(item, urn, closed) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str) and value.startswith("#"):
            out[key] = urn + value
        elif key == "required" and isinstance(value, list):
            continue
        elif key in ("properties", "schemas", "$defs"):
            out[key] = {k: _fix(v, urn, closed, k) for k, v in value.items()}
        elif key in ("enum", "example", "examples", "description"):
            out[key] = value
        else:
            out[key] = _fix(value, urn, closed)
    if out.get("type") == "object" and not out.get("properties"):
        values = ENUM_VALUE.findall(node.get("description", ""))
        if out.get("enum") or (name or "").endswith("Enum"):
            out["type"] = "string"
            if values and not out.get("enum"):
                out["enum"] = sorted(set(values))
    if closed and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


class Contract:
    """One contract file: its operations and validators, open and closed."""

    def __init__(self, path):
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        for (schema_name, field), corrected in CORRECTIONS.items():
            schema = raw["components"]["schemas"].get(schema_name)
            if schema and field in schema.get("properties", {}):
                schema["properties"][field] = copy.deepcopy(corrected)
        self.name = Path(path).name
        server = raw["servers"][0]
        url = server["url"]
        for var, spec in (server.get("variables") or {}).items():
            url = url.replace("{" + var + "}", spec.get("default", ""))
        self.base = urlparse(url).path.rstrip("/")
        self.urns = {}
        resources = []
        for closed in (False, True):
            urn = f"urn:ebay:{self.name}:{'closed' if closed else 'open'}"
            self.urns[closed] = urn
            resources.append(
                (urn, Resource(_fix(raw, urn, closed), specification=DRAFT202012))
            )
        self.registry = Registry().with_resources(resources)
        self.raw = raw
        # Which scopes each OAuth flow grants (securitySchemes): a user's
        # consent (authorizationCode) or an application (clientCredentials).
        self.flow_scopes = {"authorizationCode": set(), "clientCredentials": set()}
        for scheme in (raw["components"].get("securitySchemes") or {}).values():
            for flow, spec in (scheme.get("flows") or {}).items():
                self.flow_scopes.setdefault(flow, set()).update(spec.get("scopes", {}))
        self.operations = {}
        for template, item in raw["paths"].items():
            for method, op in item.items():
                if method in METHODS:
                    shared = item.get("parameters", [])
                    self.operations[op["operationId"]] = (
                        method.upper(),
                        template,
                        op,
                        shared,
                    )

    def validator(self, schema, closed):
        schema = _fix(schema, self.urns[closed], closed)
        return Draft202012Validator(schema, registry=self.registry)

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            target = self.raw
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node


class IndependentClient:
    """Calls eBay operations by operationId; records every mismatch."""

    def __init__(self, url, session, contracts_dir):
        self.url = url
        self.session = session
        # operationId -> the contracts that have it (a few ids are in two:
        # getReturnPolicies is Account's and Metadata's).
        self.contracts = {}
        # The contracts' folder as the emulator reads it: its top level and
        # the extra/ contracts it serves (a list of file names, data).
        for path in _contract_files(Path(contracts_dir)):
            contract = Contract(path)
            for operation_id in contract.operations:
                self.contracts.setdefault(operation_id, []).append(contract)
        self.user_token = None
        self.app_token = None
        self.called = set()
        self.mismatches = []
        self.refused = []

    # -- the call -------------------------------------------------------------
    def call(
        self,
        operation_id,
        path=None,
        query=None,
        body=None,
        files=None,
        expect=None,
        api=None,
    ):
        """Call ``operation_id`` (of the contract whose base path starts with
        ``api``, when two have it); record mismatches; return the answer."""
        [contract] = [
            c
            for c in self.contracts[operation_id]
            if api is None or c.base.startswith(api)
        ]
        method, template, op, shared = contract.operations[operation_id]
        url_path = contract.base + re.sub(
            r"\{([^}]+)\}",
            lambda m: quote(str((path or {})[m.group(1)]), safe=""),
            template,
        )
        headers = {"X-EBAY-C-REQUEST-ID": str(uuid.uuid4())}
        where = f"{operation_id} ({method} {url_path})"
        for param in [*shared, *op.get("parameters", [])]:
            param = contract.resolve(param)
            name, place = param.get("name", ""), param.get("in")
            if not param.get("required"):
                continue
            if place == "query" and name not in (query or {}):
                self.mismatches.append(f"{where}: test omits query {name}")
            elif place == "header" and name.lower() in HEADER_VALUES:
                headers[name] = HEADER_VALUES[name.lower()]
        request_body = contract.resolve(op.get("requestBody") or {})
        kwargs = {}
        if body is not None:
            schema = request_body["content"]["application/json"]["schema"]
            errors = list(contract.validator(schema, closed=False).iter_errors(body))
            assert errors == [], f"{where}: the test's own body is invalid: {errors}"
            kwargs["json"] = body
            headers["Content-Type"] = "application/json"
        elif files is not None:
            # Media's upload declares no requestBody, only a Content-Type
            # header parameter (multipart/form-data), which requests sets.
            kwargs["files"] = files
        token = self.user_token if self._needs_user(contract, op) else self.app_token
        headers["Authorization"] = f"Bearer {token}"
        answer = self.session.request(
            method,
            f"{self.url}{url_path}",
            params=query,
            headers=headers,
            timeout=15,
            **kwargs,
        )
        self.called.add((contract.base, operation_id))
        self._check_answer(contract, op, where, answer)
        if expect is not None and answer.status_code != expect:
            self.refused.append(f"{where}: HTTP {answer.status_code} {answer.text}")
        return answer

    @staticmethod
    def _needs_user(contract, op):
        """A user token unless every scope the operation lists is one an
        application token (clientCredentials flow) is granted."""
        scopes = {
            scope
            for requirement in op.get("security") or []
            for values in requirement.values()
            for scope in values
        }
        return not scopes <= contract.flow_scopes["clientCredentials"]

    def user_scopes(self):
        """Every scope the contracts' authorization-code flows offer."""
        return set().union(
            *(c.flow_scopes["authorizationCode"] for c in self.all_contracts())
        )

    def all_contracts(self):
        return {id(c): c for cs in self.contracts.values() for c in cs}.values()

    def _check_answer(self, contract, op, where, answer):
        status = answer.status_code
        declared = op.get("responses", {})
        label = f"{where} answered HTTP {status}"
        if str(status) not in declared:
            self.mismatches.append(f"{label}: not declared ({sorted(declared)})")
            return
        content = contract.resolve(declared[str(status)]).get("content") or {}
        if status >= 400:
            schema = ERROR_BODY
        elif status == 204 or not content:
            if answer.content:
                self.mismatches.append(f"{label}: a body where none is declared")
            return
        else:
            schema = (content.get("application/json") or {}).get("schema")
            if schema is None:
                return
        if not answer.content:
            self.mismatches.append(f"{label}: no body, a JSON one is declared")
            return
        if not answer.headers.get("Content-Type", "").startswith("application/json"):
            self.mismatches.append(f"{label}: Content-Type is not JSON")
            return
        try:
            data = answer.json()
        except ValueError:
            self.mismatches.append(f"{label}: the body is not JSON")
            return
        for error in contract.validator(schema, closed=True).iter_errors(data):
            at = "/".join(map(str, error.absolute_path))
            self.mismatches.append(f"{label}: {at}: {error.message[:160]}")


# -- the app's notification endpoint (it answers eBay's challenge) -----------------
class _Destination(BaseHTTPRequestHandler):
    token = "t" * 40

    def do_GET(self):
        code = parse_qs(urlparse(self.path).query)["challenge_code"][0]
        endpoint = self.server.endpoint
        digest = hashlib.sha256((code + self.token + endpoint).encode()).hexdigest()
        payload = json.dumps({"challengeResponse": digest}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def destination():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Destination)
    server.endpoint = f"http://127.0.0.1:{server.server_address[1]}/ebay/notify"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.endpoint
    server.shutdown()
    server.server_close()


@pytest.fixture
def ebay(client, contracts_dir):
    independent = IndependentClient(client.url, client.session, contracts_dir)
    scopes = " ".join(sorted(independent.user_scopes()))
    independent.user_token = client.user_tokens(scope=scopes)["access_token"]
    independent.app_token = client.app_token()
    return independent


def served_operations(independent):
    """(base path, operationId) of the operations the emulator has a
    handler for (its routing table)."""
    shapes = {}
    for contract in independent.all_contracts():
        for operation_id, (
            method,
            template,
            _op,
            _shared,
        ) in contract.operations.items():
            shape = re.sub(r"\{[^}]+\}", "{}", contract.base + template)
            shapes[(method, shape)] = (contract.base, operation_id)
    served = set()
    for route in ROUTER.routes:
        method, shape = route[1], route[-1]
        if (method, shape) in shapes:
            served.add(shapes[(method, shape)])
    return served


# -- the scenario ------------------------------------------------------------------
def _policies(ebay):
    ids = {}
    common = {
        "marketplaceId": "EBAY_US",
        "categoryTypes": [{"name": "ALL_EXCLUDING_MOTORS_VEHICLES"}],
    }
    bodies = {
        "FulfillmentPolicy": dict(
            common,
            name="Ship",
            handlingTime={"value": 1, "unit": "DAY"},
            shippingOptions=[
                {
                    "optionType": "DOMESTIC",
                    "costType": "FLAT_RATE",
                    "shippingServices": [
                        {
                            "shippingServiceCode": "USPSPriority",
                            "shippingCost": {"value": "4.99", "currency": "USD"},
                        }
                    ],
                }
            ],
        ),
        "PaymentPolicy": dict(common, name="Pay", immediatePay=True),
        "ReturnPolicy": dict(
            common,
            name="Return",
            returnsAccepted=True,
            returnPeriod={"value": 30, "unit": "DAY"},
            returnShippingCostPayer="BUYER",
        ),
    }
    path_keys = {
        "FulfillmentPolicy": "fulfillmentPolicyId",
        "PaymentPolicy": "payment_policy_id",
        "ReturnPolicy": "return_policy_id",
    }
    for kind, body in bodies.items():
        # A field eBay does not know: accepted, ignored, never echoed.
        created = ebay.call(
            f"create{kind}", body=dict(body, somethingNew=True), expect=201
        )
        policy_id = created.json()[kind[0].lower() + kind[1:] + "Id"]
        ids[kind] = policy_id
        ebay.call(f"get{kind}", path={path_keys[kind]: policy_id}, expect=200)
        ebay.call(
            f"get{kind.removesuffix('y')}ies",
            query={"marketplace_id": "EBAY_US"},
            expect=200,
            api="/sell/account/",
        )
        by_name = ebay.call(
            f"get{kind}ByName",
            query={"marketplace_id": "EBAY_US", "name": body["name"]},
            expect=200,
        )
        if by_name.ok and by_name.json().get(kind[0].lower() + kind[1:] + "Id") != (
            policy_id
        ):
            ebay.refused.append(f"get{kind}ByName found {by_name.text}")
        ebay.call(
            f"get{kind}ByName",
            query={"marketplace_id": "EBAY_US", "name": "nope"},
            expect=400,
        )
        ebay.call(f"get{kind}", path={path_keys[kind]: "404404"}, expect=404)
    return ids


def _item(title="Mug"):
    return {
        "condition": "NEW",
        "product": {
            "title": title,
            "aspects": {"Author": ["Ann"]},
            "imageUrls": ["https://i.ebayimg.com/images/g/x/s-l1600.jpg"],
        },
        "availability": {"shipToLocationAvailability": {"quantity": 5}},
    }


def _offer(sku, policies):
    return {
        "sku": sku,
        "marketplaceId": "EBAY_US",
        "format": "FIXED_PRICE",
        "categoryId": "267",
        "availableQuantity": 5,
        "merchantLocationKey": "WH-1",
        "pricingSummary": {"price": {"value": "9.99", "currency": "USD"}},
        "listingPolicies": {
            "fulfillmentPolicyId": policies["FulfillmentPolicy"],
            "paymentPolicyId": policies["PaymentPolicy"],
            "returnPolicyId": policies["ReturnPolicy"],
        },
        "listingDuration": "GTC",
    }


def test_every_served_operation_answers_in_ebays_shapes(
    client, ebay, destination, contracts_dir
):
    served = served_operations(ebay)
    assert len(served) >= 50, sorted(served)

    # Identity and Account.
    ebay.call("getUser", expect=200)
    ebay.call(
        "optInToProgram", body={"programType": "SELLING_POLICY_MANAGEMENT"}, expect=200
    )
    ebay.call(
        "optInToProgram", body={"programType": "SELLING_POLICY_MANAGEMENT"}, expect=409
    )
    ebay.call("getOptedInPrograms", expect=200)
    policies = _policies(ebay)

    # Locations and items.
    location = {
        "location": {"address": {"postalCode": "95125", "country": "US"}},
        "locationTypes": ["WAREHOUSE"],
        "name": "Warehouse",
    }
    ebay.call(
        "createInventoryLocation",
        path={"merchantLocationKey": "WH-1"},
        body=location,
        expect=204,
    )
    ebay.call(
        "createInventoryLocation",
        path={"merchantLocationKey": "WH-1"},
        body=location,
        expect=409,
    )
    ebay.call("getInventoryLocation", path={"merchantLocationKey": "WH-1"}, expect=200)
    ebay.call("getInventoryLocation", path={"merchantLocationKey": "NO"}, expect=404)
    for _twice in range(2):  # created, then replaced
        ebay.call(
            "createOrReplaceInventoryItem",
            path={"sku": "MUG-1"},
            body=_item(),
            expect=204,
        )
    ebay.call("getInventoryItem", path={"sku": "MUG-1"}, expect=200)
    ebay.call("getInventoryItem", path={"sku": "NOPE"}, expect=404)
    bulk = {
        "requests": [
            dict(_item(f"Book {i}"), sku=f"BOOK-{i}", locale="en_US") for i in range(3)
        ]
    }
    ebay.call("bulkCreateOrReplaceInventoryItem", body=bulk, expect=200)
    # An entry without its locale (eBay: error 25733 for that entry).
    bulk["requests"].append(dict(_item(), sku="NO-LOCALE"))
    ebay.call("bulkCreateOrReplaceInventoryItem", body=bulk, expect=207)
    ebay.call(
        "bulkGetInventoryItem",
        body={"requests": [{"sku": "BOOK-0"}, {"sku": "NOPE"}]},
        expect=207,
    )
    one = {"requests": [{"sku": "BOOK-0"}]}
    ebay.call("bulkGetInventoryItem", body=one, expect=200)

    # Offers.
    created = ebay.call("createOffer", body=_offer("MUG-1", policies), expect=201)
    offer_id = created.json()["offerId"]
    ebay.call("createOffer", body=_offer("MUG-1", policies), expect=400)
    ebay.call("getOffer", path={"offerId": offer_id}, expect=200)
    ebay.call("getOffer", path={"offerId": "1"}, expect=404)
    ebay.call("getOffers", query={"sku": "MUG-1"}, expect=200)
    ebay.call("getOffers", query={"sku": "NOPE"}, expect=404)
    update = dict(_offer("MUG-1", policies), availableQuantity=4)
    ebay.call("updateOffer", path={"offerId": offer_id}, body=update, expect=200)
    ebay.call("updateOffer", path={"offerId": "1"}, body=update, expect=404)
    ebay.call("getListingFees", body={"offers": [{"offerId": offer_id}]}, expect=200)
    ebay.call("getListingFees", body={"offers": [{"offerId": "1"}]}, expect=404)
    ebay.call("publishOffer", path={"offerId": offer_id}, expect=200)
    ebay.call("getOffer", path={"offerId": offer_id}, expect=200)  # now with listing
    ebay.call("publishOffer", path={"offerId": "1"}, expect=404)
    offers = [_offer(f"BOOK-{i}", policies) for i in range(3)]
    bulk_created = ebay.call("bulkCreateOffer", body={"requests": offers}, expect=200)
    book_offers = [r["offerId"] for r in bulk_created.json()["responses"]]
    unknown_sku = {"sku": "NOPE", "marketplaceId": "EBAY_US", "format": "FIXED_PRICE"}
    no_keys = {"sku": "BOOK-2"}  # no marketplaceId, no format
    ebay.call(
        "bulkCreateOffer",
        body={"requests": [offers[0], unknown_sku, no_keys]},
        expect=207,
    )
    ebay.call(
        "bulkPublishOffer",
        body={"requests": [{"offerId": o} for o in book_offers]},
        expect=200,
    )
    ebay.call(
        "bulkPublishOffer",
        body={"requests": [{"offerId": book_offers[0]}, {"offerId": "1"}]},
        expect=207,
    )
    ebay.call(
        "bulkUpdatePriceQuantity",
        body={
            "requests": [
                {
                    "sku": "BOOK-0",
                    "shipToLocationAvailability": {"quantity": 7},
                    "offers": [{"offerId": book_offers[0], "availableQuantity": 7}],
                },
                {"sku": "BOOK-1", "shipToLocationAvailability": {"quantity": 1}},
            ]
        },
        expect=200,
    )
    ebay.call(
        "bulkUpdatePriceQuantity",
        body={"requests": [{"sku": "NOPE", "shipToLocationAvailability": {}}]},
        expect=207,
    )

    # Orders and shipping.
    bought = client.session.post(
        f"{client.url}/_emulator/purchase",
        json={"lines": [{"sku": "MUG-1", "quantity": 2}], "notify": False},
        timeout=5,
    )
    assert bought.status_code == 201, bought.text
    bought = bought.json()
    order_id = bought["orderId"]
    ebay.call("getOrders", query={"limit": "10"}, expect=200)
    ebay.call(
        "getOrders",
        query={"filter": "lastmodifieddate:[2020-01-01T00:00:00.000Z..]"},
        expect=200,
    )
    ebay.call("getOrders", query={"limit": "500"}, expect=400)
    # By id, up to 50 (every other parameter ignored): the Odoo connector's
    # re-read of notified orders.
    unknown = "00-00000-00000"
    by_id = ebay.call(
        "getOrders",
        query={"orderIds": f"{order_id},{unknown}", "limit": "500", "offset": "7"},
        expect=200,
    ).json()
    assert [o["orderId"] for o in by_id["orders"]] == [order_id]
    assert by_id["total"] == 1
    too_many = ",".join(f"{n:02d}-00000-00000" for n in range(51))
    refused = ebay.call("getOrders", query={"orderIds": too_many}, expect=400)
    assert refused.json()["errors"][0]["errorId"] == 30900
    ebay.call("getOrder", path={"orderId": order_id}, expect=200)
    ebay.call("getOrder", path={"orderId": "00-00000-00000"}, expect=404)
    line_id = bought["lineItems"][0]["lineItemId"]
    shipment = {
        "lineItems": [{"lineItemId": line_id, "quantity": 1}],
        "shippedDate": "2026-01-02T10:00:00.000Z",
        "shippingCarrierCode": "USPS",
        "trackingNumber": "9400100000000000000001",
    }
    ebay.call(
        "createShippingFulfillment",
        path={"orderId": order_id},
        body=shipment,
        expect=201,
    )
    ebay.call("getOrder", path={"orderId": order_id}, expect=200)  # part shipped
    ebay.call(
        "createShippingFulfillment",
        path={"orderId": "00-00000-00000"},
        body=shipment,
        expect=400,
    )
    untracked = {"lineItems": [{"lineItemId": line_id, "quantity": 1}]}
    ebay.call(
        "createShippingFulfillment",
        path={"orderId": order_id},
        body=untracked,
        expect=201,
    )
    ebay.call("getShippingFulfillments", path={"orderId": order_id}, expect=200)
    ebay.call("getShippingFulfillments", path={"orderId": "00-00000-00000"}, expect=400)

    # Finances: the paid order is a sale; a charge; a payout groups them.
    finances = "/sell/finances"
    ebay.call("getTransactions", query={"limit": "5000"}, expect=400, api=finances)
    ebay.call("getPayouts", expect=204, api=finances)
    client.control("POST", "finances/charges", json={"amount": 0.35})
    ebay.call(
        "getTransactions",
        query={"filter": "transactionType:{SALE|NON_SALE_CHARGE}", "limit": "2"},
        expect=200,
        api=finances,
    )
    ebay.call(
        "getTransactions",
        query={"filter": "transactionType:{DISPUTE}"},
        expect=204,
        api=finances,
    )
    payout_id = client.control("POST", "payouts", json={})["payoutId"]
    ebay.call(
        "getTransactions",
        query={
            "filter": "transactionDate:[2020-01-01T00:00:00.000Z..],"
            f"payoutId:{{{payout_id}}}",
            "sort": "transactionDate",
        },
        expect=200,
        api=finances,
    )
    ebay.call("getPayouts", query={"sort": "payoutDate"}, expect=200, api=finances)
    ebay.call(
        "getPayouts", query={"filter": "payoutStatus:{NOPE}"}, expect=400, api=finances
    )
    ebay.call("getPayout", path={"payout_Id": payout_id}, expect=200, api=finances)
    ebay.call("getPayout", path={"payout_Id": "1"}, expect=404, api=finances)
    ebay.call(
        "getTransactionSummary",
        query={"filter": "transactionStatus:{PAYOUT}"},
        expect=200,
        api=finances,
    )
    ebay.call("getTransactionSummary", expect=400, api=finances)

    # The seller refunds part of the paid order (eBay answers PENDING).
    refund = {
        "reasonForRefund": "BUYER_CANCEL",
        "orderLevelRefundAmount": {"value": "1.00", "currency": "USD"},
    }
    ebay.call("issueRefund", path={"order_id": order_id}, body=refund, expect=200)
    too_much = dict(
        refund, orderLevelRefundAmount={"value": "99999.00", "currency": "USD"}
    )
    ebay.call("issueRefund", path={"order_id": order_id}, body=too_much, expect=400)

    # Analytics: the seller's standing and customer service metrics.
    analytics = "/sell/analytics"
    ebay.call("findSellerStandardsProfiles", expect=200, api=analytics)
    ebay.call(
        "getSellerStandardsProfile",
        path={"program": "PROGRAM_US", "cycle": "CURRENT"},
        expect=200,
        api=analytics,
    )
    ebay.call(
        "getSellerStandardsProfile",
        path={"program": "PROGRAM_XX", "cycle": "CURRENT"},
        expect=400,
        api=analytics,
    )
    ebay.call(
        "getCustomerServiceMetric",
        path={
            "customer_service_metric_type": "ITEM_NOT_RECEIVED",
            "evaluation_type": "CURRENT",
        },
        query={"evaluation_marketplace_id": "EBAY_US"},
        expect=200,
        api=analytics,
    )

    # Withdraw, delete.
    ebay.call("withdrawOffer", path={"offerId": offer_id}, expect=200)
    ebay.call("withdrawOffer", path={"offerId": offer_id}, expect=400)
    ebay.call("deleteOffer", path={"offerId": offer_id}, expect=204)
    ebay.call("deleteOffer", path={"offerId": offer_id}, expect=404)
    ebay.call("deleteInventoryItem", path={"sku": "BOOK-2"}, expect=204)
    ebay.call("deleteInventoryItem", path={"sku": "BOOK-2"}, expect=404)

    # Variation groups.
    for sku in ("TEE-S", "TEE-M"):
        item = _item("Tee")
        item["product"]["aspects"] = {
            "Brand": ["Acme"],
            "Color": ["Blue"],
            "Size": [sku[-1]],
        }
        ebay.call(
            "createOrReplaceInventoryItem", path={"sku": sku}, body=item, expect=204
        )
        offer = dict(_offer(sku, policies), categoryId="15687")
        ebay.call("createOffer", body=offer, expect=201)
    group = {
        "title": "Tee",
        "aspects": {"Brand": ["Acme"]},
        "variantSKUs": ["TEE-S", "TEE-M"],
        "variesBy": {"specifications": [{"name": "Size", "values": ["S", "M"]}]},
        "imageUrls": ["https://i.ebayimg.com/images/g/x/s-l1600.jpg"],
    }
    key = {"inventoryItemGroupKey": "TEE"}
    ebay.call("createOrReplaceInventoryItemGroup", path=key, body=group, expect=204)
    ebay.call("createOrReplaceInventoryItemGroup", path=key, body=group, expect=204)
    ebay.call("getInventoryItemGroup", path=key, expect=200)
    ebay.call("getInventoryItemGroup", path={"inventoryItemGroupKey": "NO"}, expect=404)
    by_group = dict(key, marketplaceId="EBAY_US")
    ebay.call("publishOfferByInventoryItemGroup", body=by_group, expect=200)
    missing_group = {"inventoryItemGroupKey": "NO", "marketplaceId": "EBAY_US"}
    ebay.call("publishOfferByInventoryItemGroup", body=missing_group, expect=400)
    ebay.call("withdrawOfferByInventoryItemGroup", body=by_group, expect=204)
    ebay.call("withdrawOfferByInventoryItemGroup", body=missing_group, expect=400)
    ebay.call("deleteInventoryItemGroup", path=key, expect=204)
    ebay.call("deleteInventoryItemGroup", path=key, expect=404)

    # Migration of a legacy listing.
    client.control(
        "POST",
        "legacy_listings",
        json={"listingId": "300000000001", "skus": ["OLD-1"], "title": "Old"},
    )
    migrate = {"requests": [{"listingId": "300000000001"}]}
    migrated = ebay.call("bulkMigrateListing", body=migrate, expect=200)
    ebay.call("bulkMigrateListing", body=migrate, expect=207)
    # What migration made answers as eBay's own (no location, no category).
    [entry] = migrated.json()["responses"]
    for made in entry["inventoryItems"]:
        ebay.call("getInventoryItem", path={"sku": made["sku"]}, expect=200)
        ebay.call("getOffer", path={"offerId": made["offerId"]}, expect=200)

    # Notifications.
    ebay.call("getConfig", expect=404)
    ebay.call("updateConfig", body={"alertEmail": "ops@example.com"}, expect=204)
    ebay.call("getConfig", expect=200)
    created = ebay.call(
        "createDestination",
        body={
            "name": "Odoo",
            "status": "ENABLED",
            "deliveryConfig": {
                "endpoint": destination,
                "verificationToken": _Destination.token,
            },
        },
        expect=201,
    )
    destination_id = created.headers["Location"].rsplit("/", 1)[1]
    ebay.call("getDestination", path={"destination_id": destination_id}, expect=200)
    ebay.call("getDestination", path={"destination_id": "nope"}, expect=404)
    subscription = {
        "topicId": "ORDER_CONFIRMATION",
        "status": "ENABLED",
        "destinationId": destination_id,
        "payload": {
            "format": "JSON",
            "schemaVersion": "1.0",
            "deliveryProtocol": "HTTPS",
        },
    }
    ebay.call("createSubscription", body=subscription, expect=201)
    ebay.call("createSubscription", body=subscription, expect=409)
    kid = client.control("GET", "signing")["kid"]
    ebay.call("getPublicKey", path={"public_key_id": kid}, expect=200)
    ebay.call("getPublicKey", path={"public_key_id": "nope"}, expect=404)

    # Taxonomy and Media.
    ebay.call(
        "getDefaultCategoryTreeId", query={"marketplace_id": "EBAY_US"}, expect=200
    )
    ebay.call(
        "getDefaultCategoryTreeId", query={"marketplace_id": "EBAY_XX"}, expect=400
    )
    tree = {"category_tree_id": "0"}
    ebay.call("getCategoryTree", path=tree, expect=200)
    ebay.call("getCategoryTree", path={"category_tree_id": "42"}, expect=400)
    ebay.call(
        "getCategorySubtree", path=tree, query={"category_id": "15032"}, expect=200
    )
    ebay.call("getCategorySuggestions", path=tree, query={"q": "phone"}, expect=200)
    ebay.call("getCategorySuggestions", path=tree, query={"q": "zeppelin"}, expect=204)
    ebay.call(
        "getItemAspectsForCategory",
        path=tree,
        query={"category_id": "9355"},
        expect=200,
    )
    ebay.call(
        "getItemAspectsForCategory",
        path=tree,
        query={"category_id": "15032"},
        expect=400,
    )
    image = ebay.call(
        "createImageFromFile",
        files={"image": ("p.png", PNG, "image/png")},
        expect=201,
    )
    ebay.call(
        "createImageFromUrl",
        body={"imageUrl": "https://example.com/a.jpg"},
        expect=201,
    )
    image_id = image.headers["Location"].rsplit("/", 1)[1]
    ebay.call("getImage", path={"image_id": image_id}, expect=200)
    ebay.call("getImage", path={"image_id": "nope"}, expect=404)

    # Feed: an Active Inventory Report and an end file, each to its result.
    [seeded] = client.seed_live_listings([{"sku": "FEED-1", "price": 3, "quantity": 2}])
    report = {"feedType": "LMS_ACTIVE_INVENTORY_REPORT", "schemaVersion": "1.0"}
    created = ebay.call("createInventoryTask", body=report, expect=202)
    report_id = created.headers["Location"].rsplit("/", 1)[1]
    ebay.call("createInventoryTask", body={**report, "feedType": "X"}, expect=400)
    for _step in range(3):
        ebay.call("getInventoryTask", path={"task_id": report_id}, expect=200)
    ebay.call("getInventoryTask", path={"task_id": "nope"}, expect=404)
    ebay.call(
        "getInventoryTasks",
        query={"feed_type": "LMS_ACTIVE_INVENTORY_REPORT", "look_back_days": "1"},
        expect=200,
    )
    ebay.call("getResultFile", path={"task_id": report_id}, expect=200)
    end = {"feedType": "LMS_END_FIXED_PRICE_ITEM", "schemaVersion": "1355"}
    created = ebay.call("createTask", body=end, expect=202)
    end_id = created.headers["Location"].rsplit("/", 1)[1]
    ebay.call("getResultFile", path={"task_id": end_id}, expect=404)
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><BulkDataExchangeRequests '
        'xmlns="urn:ebay:apis:eBLBaseComponents"><EndFixedPriceItemRequest>'
        f"<MessageID>1</MessageID><ItemID>{seeded['listingId']}</ItemID>"
        "<EndingReason>NotAvailable</EndingReason></EndFixedPriceItemRequest>"
        "</BulkDataExchangeRequests>"
    ).encode()
    ebay.call(
        "uploadFile",
        path={"task_id": end_id},
        files={"file": ("end.xml", document, "text/xml")},
        expect=200,
    )
    ebay.call(
        "uploadFile",
        path={"task_id": end_id},
        files={"file": ("end.xml", document, "text/xml")},
        expect=400,
    )
    for _step in range(3):
        ebay.call("getTask", path={"task_id": end_id}, expect=200)
    ebay.call(
        "getTasks",
        query={"feed_type": "LMS_END_FIXED_PRICE_ITEM", "look_back_days": "1"},
        expect=200,
    )
    ebay.call("getResultFile", path={"task_id": end_id}, expect=200)

    assert ebay.refused == [], "\n".join(ebay.refused)
    assert ebay.mismatches == [], "\n".join(ebay.mismatches)
    assert client.violations() == []
    assert served - ebay.called == set(), "served operations never called"


def test_the_client_sees_a_mismatch(ebay, emulator):
    """The independent check is not vacuous: an answer with an undeclared
    field (the emulator's state tampered with behind its back) is caught."""
    ebay.call(
        "createOrReplaceInventoryItem", path={"sku": "X-1"}, body=_item(), expect=204
    )
    with emulator.state.lock:
        emulator.state.data["inventory"]["items"]["X-1"]["_internal"] = 1
    ebay.call("getInventoryItem", path={"sku": "X-1"}, expect=200)
    assert len(ebay.mismatches) == 1
    assert "'_internal' was unexpected" in ebay.mismatches[0]
    # The emulator's own answer check saw it too.
    [violation] = ebay.session.get(f"{ebay.url}/_emulator/violations").json()[
        "violations"
    ]
    assert violation["side"] == "answer"
    assert violation["operation"] == "getInventoryItem"
    assert "'_internal' was unexpected" in violation["reason"]
    ebay.session.delete(f"{ebay.url}/_emulator/violations")
