"""Everything the emulator remembers, behind one lock."""

import secrets
import threading
import time

DEFAULT_USER = {
    "userId": "eMuLaToR5eLLeR01",
    "username": "emulator_seller",
    "accountType": "BUSINESS",
    "registrationMarketplaceId": "EBAY_US",
    "status": "CONFIRMED",
}


class State:
    def __init__(self, cli_apps=()):
        self.lock = threading.RLock()
        self.cli_apps = list(cli_apps)
        self.reset()

    def reset(self):
        with self.lock:
            self.apps = {}
            self.pending_consents = {}  # ticket -> consent request
            self.codes = {}  # code -> grant
            self.refresh_tokens = {}  # token -> grant
            self.access_tokens = {}  # token -> {kind, scopes, expires, refresh}
            self.faults = []
            self.calls = []
            self.violations = []
            self.clock_offset = 0.0
            self.config = {"access_token_ttl": 7200, "code_ttl": 299, "latency_ms": 0}
            self.user = dict(DEFAULT_USER)
            for app in self.cli_apps:
                self.register_app(app)
            # Room for later APIs' data (inventory, orders...).
            self.data = {}

    def now(self):
        return time.time() + self.clock_offset

    def register_app(self, app):
        with self.lock:
            app = dict(app)
            app.setdefault("decline_url", app["accept_url"])
            self.apps[app["client_id"]] = app

    @staticmethod
    def new_token(prefix):
        return f"{prefix}{secrets.token_urlsafe(48)}"

    # -- faults ------------------------------------------------------------------
    def take_fault(self, method, path):
        """The first matching fault, consumed once (times -1: forever)."""
        import re

        with self.lock:
            for fault in self.faults:
                if fault.get("method") and fault["method"].upper() != method:
                    continue
                if not re.search(fault["path"], path):
                    continue
                if fault["times"] == 0:
                    continue
                if fault["times"] > 0:
                    fault["times"] -= 1
                return dict(fault)
        return None

    def record_call(self, entry):
        with self.lock:
            self.calls.append(entry)

    def record_violation(self, entry):
        with self.lock:
            self.violations.append(entry)
