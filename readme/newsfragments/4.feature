eBay orders become sale orders exactly once, by polling and by signed notifications; cancellations, payments and account deletions follow; tracking goes back to eBay.
