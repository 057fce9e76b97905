"""Sell Account API: program opt-in and business policies."""

import itertools

from ..core.contracts import accepted_body
from . import errors
from .routes import route

BASE = "/sell/account/v1"
# kind -> (collection key, id key, create path); eBay's contract creates
# fulfillment policies at a path with a trailing slash, the others without.
POLICY_KINDS = {
    "fulfillment_policy": (
        "fulfillmentPolicies",
        "fulfillmentPolicyId",
        "/fulfillment_policy/",
    ),
    "payment_policy": ("paymentPolicies", "paymentPolicyId", "/payment_policy"),
    "return_policy": ("returnPolicies", "returnPolicyId", "/return_policy"),
}
_ids = itertools.count(6_000_000_001)


def account_data(state):
    return state.data.setdefault(
        "account",
        {"programs": set(), "policies": {kind: {} for kind in POLICY_KINDS}},
    )


def _error(error_id, message, status=400):
    return status, errors.body(errors.error(error_id, "API_ACCOUNT", message)), {}


@route("POST", f"{BASE}/program/opt_in")
def opt_in(req):
    program = (req.json or {}).get("programType")
    if program not in ("SELLING_POLICY_MANAGEMENT", "OUT_OF_STOCK_CONTROL"):
        return _error(20403, "Invalid programType.")
    with req.state.lock:
        programs = account_data(req.state)["programs"]
        if program in programs:
            return _error(25803, f"The seller is already opted in to {program}.", 409)
        programs.add(program)
    return 200, {}, {}


@route("GET", f"{BASE}/program/get_opted_in_programs")
def opted_in(req):
    with req.state.lock:
        programs = sorted(account_data(req.state)["programs"])
    return 200, {"programs": [{"programType": p} for p in programs]}, {}


def _policy_routes(kind):
    collection, id_key, create_path = POLICY_KINDS[kind]

    @route("GET", f"{BASE}/{kind}")
    def list_policies(req):
        marketplace = req.query.get("marketplace_id")
        with req.state.lock:
            found = [
                p
                for p in account_data(req.state)["policies"][kind].values()
                if p["marketplaceId"] == marketplace
            ]
        return 200, {collection: found, "total": len(found)}, {}

    @route("POST", f"{BASE}{create_path}")
    def create_policy(req):
        body = accepted_body(req)
        with req.state.lock:
            data = account_data(req.state)
            if "SELLING_POLICY_MANAGEMENT" not in data["programs"]:
                return _error(
                    20403,
                    "The seller is not opted in to business policies "
                    "(SELLING_POLICY_MANAGEMENT).",
                )
            missing = [k for k in ("name", "marketplaceId") if not body.get(k)]
            if missing:
                return _error(20401, f"Missing field {missing[0]}.")
            if len(body["name"]) > 64:
                return _error(20403, "Invalid name: at most 64 characters.")
            policies = data["policies"][kind]
            if any(
                p["name"] == body["name"]
                and p["marketplaceId"] == body["marketplaceId"]
                for p in policies.values()
            ):
                return _error(20400, f"A policy named {body['name']} already exists.")
            body[id_key] = str(next(_ids))
            policies[body[id_key]] = body
        location = f"{req.base_url}{BASE}/{kind}/{body[id_key]}"
        return 201, body, {"Location": location}

    @route("GET", f"{BASE}/{kind}/{{policy_id}}")
    def get_policy(req):
        with req.state.lock:
            policy = account_data(req.state)["policies"][kind].get(
                req.params["policy_id"]
            )
        if not policy:
            return _error(20404, "The policy was not found.", 404)
        return 200, policy, {}

    @route("GET", f"{BASE}/{kind}/get_by_policy_name")
    def get_policy_by_name(req):
        """``?marketplace_id&name``; the contract declares no 404: an unknown
        name is its 400 with error 20404 ("{fieldName} not found.")."""
        marketplace, name = req.query.get("marketplace_id"), req.query.get("name")
        with req.state.lock:
            policy = next(
                (
                    p
                    for p in account_data(req.state)["policies"][kind].values()
                    if p["marketplaceId"] == marketplace and p["name"] == name
                ),
                None,
            )
        if not policy:
            return _error(20404, "name not found.")
        return 200, policy, {}

    return list_policies, create_policy, get_policy, get_policy_by_name


for _kind in POLICY_KINDS:
    _policy_routes(_kind)


def policy_exists(state, kind, policy_id):
    return policy_id in account_data(state)["policies"][kind]


def policy_marketplace(state, kind, policy_id):
    """The marketplace a policy was made for (None when it names none)."""
    return (account_data(state)["policies"][kind].get(policy_id) or {}).get(
        "marketplaceId"
    )


# The demo's seller (``python3 -m emulator --demo-seller``): a seller who has
# sold on eBay before has opted in to business policies and made a shipping,
# a payment and a return policy on eBay's site; the connector reads them.
DEMO_POLICIES = {
    "fulfillment_policy": {
        "name": "Free USPS Priority, ships next day",
        "handlingTime": {"value": 1, "unit": "DAY"},
        "shippingOptions": [
            {
                "optionType": "DOMESTIC",
                "costType": "FLAT_RATE",
                "shippingServices": [
                    {
                        "shippingServiceCode": "USPSPriority",
                        "shippingCost": {"value": "0.00", "currency": "USD"},
                        "freeShipping": True,
                    }
                ],
            }
        ],
    },
    "payment_policy": {"name": "Immediate payment", "immediatePay": True},
    "return_policy": {
        "name": "30-day returns",
        "returnsAccepted": True,
        "returnPeriod": {"value": 30, "unit": "DAY"},
        "returnShippingCostPayer": "BUYER",
        "refundMethod": "MONEY_BACK",
    },
}


def seed_demo_seller(state, marketplace_id="EBAY_US"):
    """Opt the seller in and give it :data:`DEMO_POLICIES` on
    ``marketplace_id``, unless it has policies there already (a kept state)."""
    with state.lock:
        data = account_data(state)
        data["programs"].add("SELLING_POLICY_MANAGEMENT")
        for kind, template in DEMO_POLICIES.items():
            policies = data["policies"][kind]
            if any(p["marketplaceId"] == marketplace_id for p in policies.values()):
                continue
            _collection, id_key, _path = POLICY_KINDS[kind]
            policy = dict(
                template,
                marketplaceId=marketplace_id,
                categoryTypes=[{"name": "ALL_EXCLUDING_MOTORS_VEHICLES"}],
            )
            policy[id_key] = str(next(_ids))
            policies[policy[id_key]] = policy
