-- What this service knows of customers, from customer.events. A deleted customer stays as a tombstone, so that a
-- late or reordered event cannot bring it back.
create table customer (
    id              uuid        primary key,
    organization_id uuid        not null,
    created_at      timestamptz not null,
    deleted_at      timestamptz
);

create table subscription (
    id                       uuid         primary key,
    organization_id          uuid         not null,
    customer_id              uuid         not null,
    product_id               uuid         not null,
    status                   varchar(16)  not null
        check (status in ('TRIALING', 'ACTIVE', 'PAST_DUE', 'PAUSED', 'CANCELED', 'REVOKED')),
    amount                   bigint       not null check (amount >= 0),
    currency                 char(3)      not null,
    current_period_start     timestamptz  not null,
    current_period_end       timestamptz  not null,
    cancel_at_period_end     boolean      not null default false,
    canceled_at              timestamptz,
    ends_at                  timestamptz,
    ended_at                 timestamptz,
    paused_at                timestamptz,
    pause_mode               varchar(8)   check (pause_mode in ('VOID', 'FREE')),
    revoked_reason           varchar(32),
    provider                 varchar(64),
    provider_subscription_id varchar(255),
    event_sequence           bigint       not null,
    version                  bigint       not null,
    created_at               timestamptz  not null,
    modified_at              timestamptz  not null
);

create index subscription_customer_live_idx on subscription (customer_id)
    where status not in ('CANCELED', 'REVOKED');

create index subscription_ends_at_due_idx on subscription (ends_at)
    where cancel_at_period_end and status not in ('CANCELED', 'REVOKED');

create unique index subscription_provider_key on subscription (provider, provider_subscription_id)
    where provider is not null;

create table invoice (
    id              uuid        primary key,
    subscription_id uuid        not null references subscription (id),
    amount          bigint      not null,
    currency        char(3)     not null,
    status          varchar(8)  not null check (status in ('OPEN', 'PAID', 'VOID')),
    due_at          timestamptz not null,
    paid_at         timestamptz,
    created_at      timestamptz not null,
    version         bigint      not null
);

create index invoice_subscription_idx on invoice (subscription_id, created_at);
