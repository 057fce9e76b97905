-- A copied database must never talk to a marketplace with production credentials.
UPDATE marketplace_account SET state = 'draft', ebay_oauth_nonce = NULL;
DELETE FROM marketplace_secret;
-- Nor accept production's monitoring token.
DELETE FROM ir_config_parameter WHERE key = 'marketplace_connector.health_token_sha256';
-- A wizard left behind holds a typed client secret (encrypted): drop it too.
UPDATE ebay_connect_wizard SET client_secret_ciphertext = NULL;
UPDATE marketplace_account SET amazon_oauth_nonce = NULL;
UPDATE amazon_connect_wizard SET client_secret_ciphertext = NULL, refresh_token_ciphertext = NULL;
