-- A copied database must never talk to eBay with production credentials.
UPDATE ebay_account SET state = 'draft', oauth_nonce = NULL;
DELETE FROM ebay_token;
-- A wizard left behind holds a typed client secret (encrypted): drop it too.
UPDATE ebay_connect_wizard SET client_secret_ciphertext = NULL;
