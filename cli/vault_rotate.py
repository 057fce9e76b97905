"""``odoo-bin --addons-path=... marketplace_vault_rotate -c odoo.conf -d DB``

Re-encrypts every vaulted marketplace secret under the newest key.  Rotate a
key in three steps: put the new key first in MARKETPLACE_VAULT_KEYS (or
``marketplace_vault_keys`` in the configuration file) keeping the old one
after it, run this command, then drop the old key.  Every value stays bound
to its (account, kind); one found on a row it was not encrypted for stops
the rotation, and nothing is changed.
"""

import argparse
import sys

from odoo import SUPERUSER_ID, api
from odoo.cli.command import Command
from odoo.modules.registry import Registry
from odoo.tools import config


class MarketplaceVaultRotate(Command):
    """Re-encrypt marketplace secrets under the newest vault key"""

    name = "marketplace_vault_rotate"

    def run(self, cmdargs):
        parser = argparse.ArgumentParser(
            prog="odoo-bin marketplace_vault_rotate", description=__doc__
        )
        parser.add_argument("-c", "--config", dest="config")
        parser.add_argument("-d", "--database", dest="database", required=True)
        args, odoo_args = parser.parse_known_args(cmdargs)
        odoo_options = ["-d", args.database, *odoo_args]
        if args.config:
            odoo_options = ["-c", args.config, *odoo_options]
        config.parse_config(odoo_options)
        from odoo.exceptions import UserError

        registry = Registry(args.database)
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                count = env["marketplace.secret"]._rotate_all()
        except UserError as exc:
            sys.exit(f"Vault rotation failed, nothing changed: {exc.args[0]}")
        print(f"Re-encrypted {count} secret(s) under the newest vault key.")
