from . import ebay_oauth
from . import ebay_notification
from . import amazon_oauth
from . import health
