"""The journal entries of a marketplace's money, on the account's balance
journal (``marketplace.account.payment_journal_id``).

The balance journal stands for what the marketplace holds for the seller:
its own account (the journal's default account) goes up with the buyers'
payments and down with the marketplace's fees, the refunds and the payouts.
Fees (``marketplace.fee``) and payouts (``marketplace.payout``) are booked
here, one posted entry each; the fee and payout models call
:func:`post_entry`.
"""

from odoo.exceptions import UserError


def balance_account(account):
    """The account of the money the marketplace holds (the balance journal's
    default account), or UserError saying what the seller must set."""
    journal = account.payment_journal_id
    if not journal or not journal.default_account_id:
        raise UserError(
            account.env._(
                "Account %(name)s has no marketplace balance journal: choose "
                "one on its Accounting page so its fees and payouts can be "
                "booked.",
                name=account.name,
            )
        )
    return journal.default_account_id


def post_entry(account, ref, date, currency, amount, counterpart, label):
    """Post one entry on the balance journal: ``amount`` (in ``currency``)
    leaves the balance for ``counterpart`` (an account.account); a negative
    ``amount`` comes back to the balance.  Returns the posted account.move."""
    company = account.company_id
    journal = account.payment_journal_id
    balance = balance_account(account)
    company_amount = currency._convert(amount, company.currency_id, company, date)
    foreign = currency != company.currency_id

    def line(target, sign, name):
        value = sign * company_amount
        vals = {
            "account_id": target.id,
            "name": name,
            "debit": value if value > 0 else 0.0,
            "credit": -value if value < 0 else 0.0,
        }
        if foreign:
            vals.update(currency_id=currency.id, amount_currency=sign * amount)
        return (0, 0, vals)

    move = (
        account.env["account.move"]
        .with_company(company)
        .create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": date,
                "ref": ref,
                "line_ids": [line(counterpart, 1, label), line(balance, -1, label)],
            }
        )
    )
    move.action_post()
    return move
