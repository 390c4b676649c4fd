-- Invoice events (billing.events records without a status) of a provider subscription that no subscription of ours is
-- linked to yet: the subscription's first snapshot has the same key, so it comes behind them on the same partition.
-- They wait here, one row per event, until that snapshot creates the subscription (then they are applied in
-- occurred_at order and deleted) or the provider subscription turns out ended without one (then they are dropped).
create table parked_billing_invoice (
    event_id                 uuid         primary key,
    provider                 varchar(64)  not null,
    provider_subscription_id varchar(255) not null,
    provider_invoice_id      varchar(255) not null,
    status                   varchar(16)  not null check (status in ('OPEN', 'PAID', 'VOID', 'REFUNDED')),
    amount                   bigint       not null,
    currency                 char(3)      not null,
    occurred_at              timestamptz  not null,
    parked_at                timestamptz  not null
);

create index parked_billing_invoice_link_idx on parked_billing_invoice (provider, provider_subscription_id, occurred_at);
