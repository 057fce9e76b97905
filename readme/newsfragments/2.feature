Connect eBay seller accounts through OAuth with an encrypted token vault, and a contract-checked eBay emulator for demo and tests.
