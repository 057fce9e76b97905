from . import vault_rotate
