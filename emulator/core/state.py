"""What every emulator remembers, behind one lock.

Handlers run on many threads at once (one per connection); any read-modify-
write of the state happens under ``state.lock``.  It is re-entrant so helpers
can take it again.  A personality's APIs keep their data under
``state.data[...]``, which :meth:`State.reset` clears with the rest.
"""

import random
import re
import threading
import time
from typing import ClassVar

DEFAULT_CONFIG = {
    "latency_ms": 0,  # added to every marketplace call (benchmarks use 50)
}


class State:
    """The core's state: faults, call log, violations, clock and settings.

    A personality subclasses it for what its marketplace remembers: it adds
    its settings to :attr:`DEFAULT_CONFIG` and extends :meth:`reset`.
    """

    DEFAULT_CONFIG = DEFAULT_CONFIG
    #: the smallest value ``POST /_emulator/config`` takes per setting (1 for
    #: those not listed)
    CONFIG_MINIMUM: ClassVar[dict] = {"latency_ms": 0}
    #: settings that take a string (or null) instead of a number
    STRING_CONFIG: ClassVar[frozenset] = frozenset()
    #: what a state file keeps (``state_file.py``): what the marketplace
    #: remembers, not the faults, logs and settings a test arranges
    SAVED_ATTRIBUTES: ClassVar[tuple] = ("clock_offset", "data")

    def __init__(self):
        self.lock = threading.RLock()
        self.contracts = None  # a ContractBook, set once at start (not reset)
        # Set by the server after each request: a state file saves then.
        self.changed = threading.Event()
        self.reset()

    def reset(self):
        """Forget everything (the contracts stay)."""
        with self.lock:
            self.faults = []
            self.calls = []
            self.violations = []
            self.clock_offset = 0.0
            self.config = dict(self.DEFAULT_CONFIG)
            # The personality's APIs' data (inventory, orders, images...).
            self.data = {}

    def snapshot(self):
        """The attributes a state file keeps (live values: hold the lock)."""
        with self.lock:
            return {name: getattr(self, name) for name in self.SAVED_ATTRIBUTES}

    def restore(self, saved):
        """Start again from a :meth:`snapshot` (what it lacks stays as a
        reset leaves it)."""
        with self.lock:
            self.reset()
            for name in self.SAVED_ATTRIBUTES:
                if name in saved:
                    setattr(self, name, saved[name])

    def now(self):
        """The emulator clock: real time plus what the control API advanced."""
        return time.time() + self.clock_offset

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
