"""Where a channel's emulator may be: a loopback URL named by the server's own
configuration (not a model).

Every channel with an emulator enables it the same way: an environment
variable, else an option of the Odoo configuration file, and only at a
loopback address (127.0.0.0/8, ::1, localhost).  No field a user edits
chooses a host, so no one can have an account's tokens or client secret
sent to a host of their choosing.
"""

import ipaddress
import os
from urllib.parse import urlsplit

from odoo.tools import config

_refused_settings = set()


def loopback_base_url(value):
    """``scheme://host[:port]`` of ``value`` when it is a loopback URL, else None.

    Anything more than a scheme, a host and a port (credentials, a path, a
    query) is refused rather than dropped: the setting must say exactly
    where the emulator is.
    """
    try:
        parts = urlsplit((value or "").strip())
        port = parts.port  # ValueError on a port that is not a number
    except ValueError:
        return None
    host = parts.hostname
    if (
        parts.scheme not in ("http", "https")
        or not host
        or parts.username is not None
        or parts.password is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        return None
    if host != "localhost":
        try:
            if not ipaddress.ip_address(host).is_loopback:
                return None
        except ValueError:  # a name other than localhost
            return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    return f"{parts.scheme}://{netloc}"


def configured_loopback_url(env_name, config_name, logger, what):
    """The loopback URL the server's configuration sets, or None.

    ``env_name`` (an environment variable) wins over ``config_name`` (an
    option of the configuration file).  A setting that is not a loopback URL
    enables nothing and is reported once, on ``logger``, naming ``what``
    stays disabled.
    """
    if os.environ.get(env_name):
        source, raw = env_name, os.environ[env_name]
    else:
        source, raw = config_name, config.get(config_name)
    if not raw:
        return None
    url = loopback_base_url(raw)
    if url is None and (source, raw) not in _refused_settings:
        _refused_settings.add((source, raw))
        logger.warning(
            "%s is not a loopback http(s) URL (scheme, host and port only): "
            "%s stays disabled",
            source,
            what,
        )
    return url
