"""An emulator's state kept in a file, so a restart finds it again.

The demo (``scripts/run.sh``) runs the emulators with ``--state-file``: the
seller's apps, consents, tokens, listings, orders and notification
destinations survive a stop and a new start, and the Odoo accounts connected
before stay connected.  Tests never use it: each starts from a clean state.

What is kept is the state's :meth:`~.state.State.snapshot` (its
``SAVED_ATTRIBUTES``): never the faults, call log, violations or settings,
which are a test's instruments.  The file is JSON with a few tagged values
for what JSON lacks (tuples, sets, bytes, dicts keyed by tuples, the
notification signing key).  It is written to a temporary file beside it and
renamed over it, so a reader (or a crash) never sees half a file; it is
readable by its owner only, as it holds client secrets and tokens.

:class:`StateFile` saves in a background thread shortly after requests
(the server sets ``state.changed`` after each one), at most once per
``interval`` seconds and only when the content differs, and once more on
:meth:`StateFile.stop`.
"""

import base64
import json
import logging
import os
import tempfile
import threading

_logger = logging.getLogger("emulator")

FORMAT = 1  # bumped when a saved file can no longer be read as is

_DICT = "~dict"  # a dict with keys JSON cannot hold: [[key, value], ...]
_TUPLE = "~tuple"
_SET = "~set"
_BYTES = "~bytes"
_PRIVATE_KEY = "~private_key"  # a cryptography private key, as PKCS#8 PEM
_TAGS = frozenset({_DICT, _TUPLE, _SET, _BYTES, _PRIVATE_KEY})


class StateFileError(ValueError):
    """The file does not hold a state this emulator can take."""


def encode(value):
    """``value`` as JSON-ready data (a copy: the state may change after)."""
    if isinstance(value, dict):
        if all(isinstance(key, str) and key not in _TAGS for key in value):
            return {key: encode(item) for key, item in value.items()}
        return {_DICT: [[encode(key), encode(item)] for key, item in value.items()]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, tuple):
        return {_TUPLE: [encode(item) for item in value]}
    if isinstance(value, set | frozenset):
        # Sorted: the same set always makes the same text.
        return {_SET: [encode(item) for item in sorted(value, key=repr)]}
    if isinstance(value, bytes):
        return {_BYTES: base64.b64encode(value).decode("ascii")}
    if value is None or isinstance(value, str | int | float):
        return value
    if hasattr(value, "private_bytes"):
        from cryptography.hazmat.primitives import serialization

        pem = value.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return {_PRIVATE_KEY: pem.decode("ascii")}
    raise TypeError(f"an emulator state cannot hold a {type(value).__name__}")


def decode(value):
    """The inverse of :func:`encode`."""
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((tag, inner),) = value.items()
        if tag == _DICT:
            return {_hashable(decode(key)): decode(item) for key, item in inner}
        if tag == _TUPLE:
            return tuple(decode(item) for item in inner)
        if tag == _SET:
            return {_hashable(decode(item)) for item in inner}
        if tag == _BYTES:
            return base64.b64decode(inner.encode("ascii"), validate=True)
        if tag == _PRIVATE_KEY:
            from cryptography.hazmat.primitives import serialization

            return serialization.load_pem_private_key(inner.encode("ascii"), None)
    return {key: decode(item) for key, item in value.items()}


def _hashable(value):
    if isinstance(value, list | dict | set):
        raise StateFileError(f"a {type(value).__name__} cannot be a key")
    return value


def dumps(state):
    """The text of ``state``'s file."""
    with state.lock:
        data = encode(state.snapshot())
    return json.dumps({"format": FORMAT, "kind": type(state).__name__, "state": data})


def loads(state, text):
    """Put the state of ``text`` into ``state`` (:class:`StateFileError`,
    ``ValueError`` or ``TypeError`` when it cannot; ``state`` is then as a
    reset leaves it)."""
    document = json.loads(text)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateFileError("not a state file of this emulator version")
    if document.get("kind") != type(state).__name__:
        raise StateFileError(f"the state of another emulator ({document.get('kind')})")
    saved = decode(document.get("state"))
    if not isinstance(saved, dict):
        raise StateFileError("no state in the file")
    try:
        state.restore(saved)
    except Exception:
        state.reset()
        raise


class StateFile:
    """Keeps ``state`` in the file at ``path`` (see the module docstring)."""

    def __init__(self, state, path, interval=0.5):
        self.state = state
        self.path = os.path.abspath(path)
        self.interval = interval
        self._written = None
        self._stopping = threading.Event()
        self._thread = None
        self._save_lock = threading.Lock()

    def load(self):
        """Take the file's state; True if it did.  An absent or unreadable
        file leaves the state clean and says so in one log line."""
        try:
            with open(self.path, encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            _logger.info("no state file at %s: starting with a clean state", self.path)
            return False
        except (OSError, UnicodeDecodeError) as exc:
            _logger.warning(
                "state file %s unreadable (%s): starting with a clean state",
                self.path,
                exc.__class__.__name__,
            )
            return False
        try:
            loads(self.state, text)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # The reason, not the content: the file holds secrets.
            _logger.warning(
                "state file %s unreadable (%s): starting with a clean state",
                self.path,
                exc.__class__.__name__,
            )
            return False
        self._written = text
        _logger.info("state loaded from %s", self.path)
        return True

    def save(self):
        """Write the state if it differs from what the file holds."""
        with self._save_lock:
            text = dumps(self.state)
            if text == self._written:
                return False
            folder = os.path.dirname(self.path)
            fd, temporary = tempfile.mkstemp(dir=folder, prefix=".emulator-state-")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temporary, self.path)
            except BaseException:
                if os.path.exists(temporary):
                    os.unlink(temporary)
                raise
            self._written = text
            return True

    def start(self):
        """Save in the background after changes, until :meth:`stop`."""
        self._thread = threading.Thread(
            target=self._run, name="emulator-state-file", daemon=True
        )
        self._thread.start()

    def _run(self):
        changed = self.state.changed
        while not self._stopping.is_set():
            if not changed.wait(timeout=1):
                continue
            # Debounced: a burst of requests is saved once.
            self._stopping.wait(self.interval)
            changed.clear()
            try:
                self.save()
            except Exception:
                # A full disk or an unsavable value must not stop the
                # emulator; the next change tries again.
                _logger.exception("the state could not be saved to %s", self.path)

    def stop(self):
        """Stop the background saves and save one last time."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.save()
