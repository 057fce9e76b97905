"""Encryption of marketplace secrets at rest (pure Python, no ORM).

Keys are Fernet keys (AES-128-CBC + HMAC-SHA256, from ``cryptography``) read
from the environment or Odoo's configuration file, never from the database,
so a database dump alone reveals no token.  Several keys may be configured,
newest first: everything is encrypted with the newest, and older ones are
kept only to read (and re-encrypt) what they encrypted.

Every value is encrypted together with its *binding*, a name of the row it
belongs to (for a token, its account and kind), and is only handed back to
a reader that asks for that same binding: a ciphertext copied or moved to
another row (another account, another kind) does not decrypt there.
Rotating to a new key keeps the binding.
"""

import hashlib
import json
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class VaultError(Exception):
    """The vault cannot work: no key, a malformed key, or a key missing."""


def key_fingerprint(key):
    """A short, non-secret name for a key (to tell which key encrypted what)."""
    raw = key.encode() if isinstance(key, str) else key
    return hashlib.sha256(raw).hexdigest()[:12]


def parse_keys(value):
    """Split a comma/whitespace separated key list; validate each key."""
    keys = [k.strip() for k in (value or "").replace("\n", ",").split(",")]
    keys = [k for k in keys if k]
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode()))
        except (ValueError, TypeError) as exc:
            # Say which key is wrong without echoing it.
            raise VaultError(
                f"Vault key #{position} is not a valid Fernet key (32 url-safe "
                "base64-encoded bytes). Generate one with: python3 -c "
                '"from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"'
            ) from exc
    return keys, fernets


class Vault:
    """Encrypts with the newest key, decrypts with any configured key."""

    def __init__(self, keys_value, source="the vault key setting"):
        keys, fernets = parse_keys(keys_value)
        if not keys:
            raise VaultError(
                f"No vault key is configured ({source}). Secrets are never stored "
                "in clear text, so nothing can be connected until a key is set."
            )
        self._fernet = MultiFernet(fernets)
        self._fernets = fernets
        self.fingerprints = [key_fingerprint(k) for k in keys]

    @classmethod
    def from_sources(cls, env_var, config_value):
        """Keys from the environment variable if set, else the config file."""
        env_value = os.environ.get(env_var)
        if env_value:
            return cls(env_value, source=f"environment variable {env_var}")
        return cls(config_value, source=f"{env_var} or the Odoo configuration file")

    @property
    def current_fingerprint(self):
        return self.fingerprints[0]

    def encrypt(self, plaintext, binding):
        """Encrypt ``plaintext`` for the row named ``binding``."""
        payload = json.dumps({"b": binding, "v": plaintext}, separators=(",", ":"))
        return self._fernet.encrypt(payload.encode()).decode()

    def decrypt(self, ciphertext, binding):
        """The plaintext of ``ciphertext`` if it was encrypted for ``binding``."""
        return self._unpack(self._open(ciphertext), binding)

    def _open(self, ciphertext):
        try:
            return self._fernet.decrypt(ciphertext.encode())
        except InvalidToken as exc:
            raise VaultError(
                "A stored secret cannot be decrypted with the configured vault "
                "keys: the key that encrypted it is missing or wrong. Add the old "
                "key after the new one (keys are tried in order) and rotate."
            ) from exc

    @staticmethod
    def _unpack(raw, binding):
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = None
        if (
            not isinstance(payload, dict)
            or payload.get("b") != binding
            or not isinstance(payload.get("v"), str)
        ):
            # Never say what it was bound to: that names another record.
            raise VaultError(
                "A stored secret does not belong to the record it is stored on "
                "(it was encrypted for another one, or before secrets were bound "
                "to their records): it is refused. Enter or connect it again."
            )
        return payload["v"]

    def needs_rotation(self, ciphertext):
        """True when the ciphertext was not made with the newest key."""
        try:
            self._fernets[0].decrypt(ciphertext.encode())
        except InvalidToken:
            return True
        return False

    def rotate(self, ciphertext, binding):
        """Re-encrypt under the newest key, keeping the binding.

        Raises VaultError if no key reads it or it is not bound to
        ``binding``: a moved ciphertext is not laundered by a rotation.
        """
        try:
            raw = self._fernet.decrypt(ciphertext.encode())
        except InvalidToken as exc:
            raise VaultError(
                "A stored secret cannot be re-encrypted: none of the configured "
                "keys can read it."
            ) from exc
        self._unpack(raw, binding)
        return self._fernet.rotate(ciphertext.encode()).decode()
