from . import oauth
from . import notification
from . import health
