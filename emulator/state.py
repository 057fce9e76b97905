"""Everything the emulator remembers, behind one lock.

Handlers run on many threads at once (one per connection); any read-modify-
write of the state happens under ``state.lock``.  It is re-entrant so helpers
can take it again.  Later APIs keep their data under ``state.data[...]``,
which :meth:`State.reset` clears with the rest.
"""

import random
import re
import secrets
import threading
import time

DEFAULT_USER = {
    "userId": "eMuLaToR5eLLeR01",
    "username": "emulator_seller",
    "accountType": "BUSINESS",
    "registrationMarketplaceId": "EBAY_US",
    "status": "CONFIRMED",
    "businessAccount": {
        "name": "Emulator Seller Ltd",
        "email": "seller@emulator.invalid",
        "website": "https://emulator.invalid",
        "address": {
            "addressLine1": "1 Loopback Road",
            "city": "San Jose",
            "stateOrProvince": "CA",
            "postalCode": "95125",
            "country": "US",
        },
        "primaryContact": {"firstName": "Emma", "lastName": "Ulator"},
        "primaryPhone": {
            "countryCode": "US",
            "number": "4085550100",
            "phoneType": "LAND_LINE",
        },
    },
}

DEFAULT_CONFIG = {
    "access_token_ttl": 7200,  # seconds; eBay's user and application tokens
    "code_ttl": 299,  # seconds an authorization code lives
    "latency_ms": 0,  # added to every eBay call (benchmarks use 50)
}
REFRESH_TOKEN_TTL = 47304000  # 18 months, as eBay's token answer says


class State:
    def __init__(self, cli_apps=()):
        self.lock = threading.RLock()
        self.cli_apps = list(cli_apps)
        self.contracts = None  # a ContractBook, set once at start (not reset)
        self.reset()

    def reset(self):
        """Forget everything; re-register the apps given on the command line."""
        with self.lock:
            self.apps = {}  # client_id -> app
            self.pending_consents = {}  # consent page ticket -> request
            self.codes = {}  # authorization code -> grant
            self.refresh_tokens = {}  # token -> grant
            self.access_tokens = {}  # token -> {kind, scopes, expires, refresh}
            self.faults = []
            self.calls = []
            self.violations = []
            self.clock_offset = 0.0
            self.config = dict(DEFAULT_CONFIG)
            self.user = deep_copy(DEFAULT_USER)
            # Later APIs' data (inventory, orders, images...).
            self.data = {}
            for app in self.cli_apps:
                self.register_app(app)

    def now(self):
        """The emulator clock: real time plus what the control API advanced."""
        return time.time() + self.clock_offset

    def register_app(self, app):
        with self.lock:
            app = dict(app)
            if not app.get("decline_url"):
                app["decline_url"] = app["accept_url"]
            self.apps[app["client_id"]] = app

    @staticmethod
    def new_token(prefix):
        """An opaque token in eBay's style (``v^1.1#i^1#...``)."""
        return f"{prefix}{secrets.token_urlsafe(48)}"

    # -- tokens --------------------------------------------------------------------
    def revoke_refresh_token(self, token):
        """Revoke a refresh token and every access token minted from it."""
        with self.lock:
            grant = self.refresh_tokens.get(token)
            if grant is None:
                return False
            grant["revoked"] = True
            for info in self.access_tokens.values():
                if info["refresh"] == token:
                    info["expires"] = 0
            return True

    # -- faults --------------------------------------------------------------------
    def add_fault(self, fault):
        with self.lock:
            fault = dict(fault, _regex=re.compile(fault["path"]))
            if "rate" in fault:
                # Seeded: a chaos run hits the same requests every time.
                fault["_random"] = random.Random(fault.get("seed", 0))
            self.faults.append(fault)
            return _public(fault)

    def list_faults(self):
        with self.lock:
            return [_public(fault) for fault in self.faults]

    def take_fault(self, method, path):
        """The first fault matching this request, consumed once.

        ``times`` counts down and the fault goes when it reaches 0; -1 keeps
        it until the faults are cleared.
        """
        with self.lock:
            for fault in self.faults:
                if fault.get("method") and fault["method"] != method:
                    continue
                if not fault["_regex"].search(path):
                    continue
                if "_random" in fault and fault["_random"].random() >= fault["rate"]:
                    continue  # spared this time: the next fault may still hit
                if fault.get("skip"):
                    # Let this one through: the fault hits a later request
                    # (e.g. the second page of a listing).
                    fault["skip"] -= 1
                    return None
                if fault["times"] > 0:
                    fault["times"] -= 1
                    if fault["times"] == 0:
                        self.faults.remove(fault)
                return _public(fault)
        return None

    # -- logs ----------------------------------------------------------------------
    def record_call(self, entry):
        with self.lock:
            self.calls.append(entry)

    def record_violation(self, entry):
        with self.lock:
            self.violations.append(entry)


def _public(fault):
    return {k: v for k, v in fault.items() if not k.startswith("_")}


def deep_copy(value):
    if isinstance(value, dict):
        return {k: deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [deep_copy(v) for v in value]
    return value
