-- Grants by customer and by subscription in every state: the deletion's revocation and its count, and the lists of
-- GET /grants?customerId and ?subscriptionId (in their order), read only the customer's or the subscription's rows.
-- The full index by customer supersedes the partial one of live grants (a customer has few grants), one index less to
-- write per grant.
create index benefit_grant_customer_idx on benefit_grant (customer_id, granted_at, id);
create index benefit_grant_subscription_idx on benefit_grant (subscription_id, granted_at, id);
drop index benefit_grant_customer_live_idx;
