-- Whether the grace of a past-due subscription is over whatever its length (a SubscriptionPastDue with grace_over:
-- the provider gave up collecting): its grants stay suspended until it is paid again, which clears it with
-- past_due_since.
alter table subscription_state add column past_due_grace_over boolean not null default false;
