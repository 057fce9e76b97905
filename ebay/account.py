"""Sell Account API v1: business policies and program opt-in."""

from .paths import path_segment

BASE = "/sell/account/v1"
# kind -> (resource, collection key, id key, create path).  eBay's contract
# creates fulfillment policies at a path with a trailing slash, the others not.
POLICY_KINDS = {
    "fulfillment": (
        "fulfillment_policy",
        "fulfillmentPolicies",
        "fulfillmentPolicyId",
        "/fulfillment_policy/",
    ),
    "payment": (
        "payment_policy",
        "paymentPolicies",
        "paymentPolicyId",
        "/payment_policy",
    ),
    "return": ("return_policy", "returnPolicies", "returnPolicyId", "/return_policy"),
}
BUSINESS_POLICIES_PROGRAM = "SELLING_POLICY_MANAGEMENT"


class AccountApi:
    def __init__(self, client):
        self.client = client

    def _call(self, method, path, operation, **kwargs):
        return self.client.request(method, BASE + path, operation=operation, **kwargs)

    def opt_in_to_program(self, program_type=BUSINESS_POLICIES_PROGRAM):
        return self._call(
            "POST",
            "/program/opt_in",
            "optInToProgram",
            json={"programType": program_type},
        )

    def get_opted_in_programs(self):
        data = (
            self._call(
                "GET", "/program/get_opted_in_programs", "getOptedInPrograms"
            ).data
            or {}
        )
        return [p.get("programType") for p in data.get("programs", [])]

    def get_policies(self, kind, marketplace_id):
        path, collection, _id_key, _create = POLICY_KINDS[kind]
        data = (
            self._call(
                "GET",
                f"/{path}",
                f"get_{path}",
                params={"marketplace_id": marketplace_id},
            ).data
            or {}
        )
        return data.get(collection, [])

    def create_policy(self, kind, policy):
        path, _collection, _id_key, create_path = POLICY_KINDS[kind]
        return self._call("POST", create_path, f"create_{path}", json=policy).data

    def get_policy(self, kind, policy_id):
        path, _collection, _id_key, _create = POLICY_KINDS[kind]
        return self._call(
            "GET", f"/{path}/{path_segment(policy_id, 'policy id')}", f"get_{path}"
        ).data
