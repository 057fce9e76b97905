"""A marketplace's fees on one of its monetary transactions, booked once.

Each channel reads its marketplace's transactions (eBay: the Finances API,
models/ebay/marketplace_account_finances.py) and hands what each one charged
or credited back in fees to :meth:`MarketplaceFee._book`.  A transaction is
booked once, whatever the number of reads that see it: the row is unique per
account and transaction (``remote_id``), and its entry moves the fees from
the balance journal to the account's fee expense account (a fee credited
back moves the other way).
"""

from odoo import api, fields, models

from .finance_moves import post_entry


class MarketplaceFee(models.Model):
    _name = "marketplace.fee"
    _description = "Marketplace Fees"
    _order = "date desc, id desc"
    _inherit = ["marketplace.account.record.mixin"]

    remote_id = fields.Char(
        string="Transaction",
        required=True,
        readonly=True,
        system_field=True,
        help="The marketplace's identifier of the transaction.",
    )
    name = fields.Char(string="Description", readonly=True, system_field=True)
    order_ref = fields.Char(string="Order", readonly=True, system_field=True)
    date = fields.Date(required=True, readonly=True, system_field=True)
    currency_id = fields.Many2one(
        "res.currency", required=True, readonly=True, system_field=True
    )
    # What the fees took from the balance; negative when fees came back.
    amount = fields.Monetary(readonly=True, system_field=True)
    move_id = fields.Many2one(
        "account.move",
        string="Journal entry",
        readonly=True,
        check_company=True,
        copy=False,
        system_field=True,
    )

    _sql_constraints = [
        (
            "account_remote_uniq",
            "unique(account_id, remote_id)",
            "These fees are already booked for this account.",
        )
    ]

    @api.model
    def _book(self, account, values_list):
        """Book the fees of each transaction not booked yet.

        ``values_list``: dicts ``{remote_id, name, order_ref, date (date),
        currency (res.currency), amount}``.  Returns the rows created.
        """
        known = set(
            self.search(
                [
                    ("account_id", "=", account.id),
                    ("remote_id", "in", [v["remote_id"] for v in values_list]),
                ]
            ).mapped("remote_id")
        )
        fee_account = account._marketplace_fee_account()
        created = self.browse()
        for values in values_list:
            if values["remote_id"] in known or not values["amount"]:
                continue
            known.add(values["remote_id"])
            move = post_entry(
                account,
                ref=values["name"],
                date=values["date"],
                currency=values["currency"],
                amount=values["amount"],
                counterpart=fee_account,
                label=values["name"],
            )
            created |= self._create_system(
                [
                    {
                        "account_id": account.id,
                        "remote_id": values["remote_id"],
                        "name": values["name"],
                        "order_ref": values.get("order_ref"),
                        "date": values["date"],
                        "currency_id": values["currency"].id,
                        "amount": values["amount"],
                        "move_id": move.id,
                    }
                ]
            )
        return created
