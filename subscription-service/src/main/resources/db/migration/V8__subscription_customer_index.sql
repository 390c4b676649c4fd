-- The subscriptions of a customer in every state, in the order GET /subscriptions?customerId lists them: the partial
-- subscription_customer_live_idx knows only the live ones, so that read scanned the whole table. The live index stays
-- for the revocation of a deleted customer's live subscriptions, whose predicate it matches.
create index subscription_customer_idx on subscription (customer_id, created_at, id);
