-- Since when a subscription has been past due (from its SubscriptionPastDue event), cleared when it is paid again;
-- grants stay usable for the configured grace period from then on.
alter table subscription_state add column past_due_since timestamptz;

create index subscription_state_past_due_idx on subscription_state (past_due_since) where past_due_since is not null;
