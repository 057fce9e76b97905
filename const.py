"""Odoo-side constants: selections, vault settings, OAuth state lifetime."""

# Every channel has a sandbox and production; the emulator exists only where
# the server's configuration enables a channel's emulator.
ENVIRONMENTS = [
    ("emulator", "Emulator (local, no marketplace account)"),
    ("sandbox", "Sandbox"),
    ("production", "Production"),
]

ACCOUNT_STATES = [
    ("draft", "Not connected"),
    ("connected", "Connected"),
    ("reauth", "Needs re-authorisation"),
    ("error", "Error"),
]

MARKETPLACES = [
    ("EBAY_US", "eBay US"),
    ("EBAY_GB", "eBay UK"),
    ("EBAY_DE", "eBay Germany"),
    ("EBAY_FR", "eBay France"),
    ("EBAY_IT", "eBay Italy"),
    ("EBAY_ES", "eBay Spain"),
    ("EBAY_AU", "eBay Australia"),
    ("EBAY_CA", "eBay Canada"),
]

# Kinds of secrets the vault holds per account, for every channel (the app's
# secret, the seller's access and refresh token); a channel adds its own kinds
# with selection_add (models/ebay/marketplace_secret.py).
TOKEN_KINDS = [
    ("client_secret", "Client secret"),
    ("user_access", "User access token"),
    ("user_refresh", "User refresh token"),
]

# Where vault keys come from: never the database.  Comma-separated Fernet keys,
# newest first; older keys are kept only to read what they encrypted.
VAULT_KEYS_ENV = "MARKETPLACE_VAULT_KEYS"
VAULT_KEYS_CONFIG = "marketplace_vault_keys"

# The emulator environment exists only when the server's own configuration
# names the emulator (environment variable first, then the configuration
# file), and only at a loopback address: see models/ebay/ebay_environment.py.
EMULATOR_URL_ENV = "EBAY_EMULATOR_URL"
EMULATOR_URL_CONFIG = "ebay_emulator_url"

# Refresh an access token this long before eBay says it expires, so a call
# started just before expiry does not fail mid-flight.
TOKEN_REFRESH_MARGIN_SECONDS = 300

# A consent round-trip longer than this is refused as stale.
OAUTH_STATE_TTL_SECONDS = 900
OAUTH_HMAC_SCOPE = "marketplace_connector.ebay_oauth"
OAUTH_CALLBACK_PATH = "/ebay/oauth/callback"

# Notifications (eBay's are the first): a publish date older than the replay
# window is refused as a replay, one later than now plus the clock skew as
# forged or broken.
# Notification ids are remembered longer than the window (retention_days has
# a floor, see res_config_settings), so a replay inside it is always known.
NOTIFICATION_REPLAY_WINDOW_SECONDS = 2 * 86400
NOTIFICATION_CLOCK_SKEW_SECONDS = 300

# Advisory lock namespace for token refreshes (arbitrary, fixed).
TOKEN_LOCK_NAMESPACE = 0x4542  # "EB"

# Operations settings (Settings > Marketplaces), stored as ir.config_parameter
# "marketplace_connector.<name>"; read them with models.res_config_settings
# .get_setting(env, name), which falls back to these defaults.
SETTING_DEFAULTS = {
    # Calls (marketplace.call) and processed notifications older than this are
    # vacuumed.
    "retention_days": 90,
    # Rows deleted per batch (and per commit) by the vacuum.
    "vacuum_batch_size": 1000,
    # Warn this many days before the refresh token (the consent) expires.
    "token_warning_days": 14,
    # Order import is late when no poll succeeded for this long.
    "order_late_minutes": 60,
    # Stock push is late when a listing waits longer than this to be pushed.
    "stock_late_minutes": 30,
    # A listing "keeps failing" after this many failed runs in a row.
    "listing_failure_alert_count": 3,
    # Seconds a marketplace call may take before the client gives up on it.  A
    # write given up on may still land: its values are sent again this long
    # after the failure (see models/marketplace/job_edge.py).
    "call_timeout_seconds": 30,
    # Drift the reconciliation finds on a listing with no pending change is
    # repaired at once (Odoo's values pushed); off: it waits for staff.
    "drift_auto_repair": True,
    # The job runner counts as stopped when the addon's jobs have been due
    # this long and no job was enqueued or started meanwhile.
    "job_runner_late_minutes": 2,
}
