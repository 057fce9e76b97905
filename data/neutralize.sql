-- A copied database must never talk to eBay with production credentials.
UPDATE ebay_account SET state = 'draft', oauth_nonce = NULL;
DELETE FROM ebay_token;
