"""Epoch seconds as Odoo stores datetimes (not a model)."""

from datetime import datetime, timezone


def epoch_to_datetime(epoch):
    """A naive UTC datetime, whole seconds, for ``epoch``; False without one."""
    if not epoch:
        return False
    # Odoo stores naive UTC datetimes.
    moment = datetime.fromtimestamp(epoch, timezone.utc)
    return moment.replace(tzinfo=None, microsecond=0)
