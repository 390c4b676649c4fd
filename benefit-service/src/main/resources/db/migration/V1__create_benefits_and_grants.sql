create table benefit (
    id              uuid         primary key,
    organization_id uuid         not null,
    type            varchar(32)  not null
        check (type in ('CUSTOM', 'FEATURE_FLAG', 'LICENSE_KEY', 'DOWNLOADABLES', 'DISCORD')),
    key             varchar(100) not null,
    description     varchar(1000),
    properties      text         not null default '{}',
    created_at      timestamptz  not null,
    modified_at     timestamptz  not null,
    deleted_at      timestamptz,
    version         bigint       not null
);

-- A deleted benefit's key is free again.
create unique index benefit_key_live_key on benefit (organization_id, key) where deleted_at is null;

-- Which benefits a product grants.
create table product_benefit (
    product_id uuid not null,
    benefit_id uuid not null references benefit (id),
    position   int  not null,
    primary key (product_id, benefit_id)
);

create table benefit_grant (
    id                uuid        primary key,
    organization_id   uuid        not null,
    customer_id       uuid        not null,
    subscription_id   uuid        not null,
    benefit_id        uuid        not null references benefit (id),
    granted_at        timestamptz not null,
    suspended_at      timestamptz,
    revoked_at        timestamptz,
    revocation_reason varchar(64),
    version           bigint      not null
);

-- At most one live grant per subscription and benefit.
create unique index benefit_grant_live_key on benefit_grant (subscription_id, benefit_id) where revoked_at is null;
create index benefit_grant_customer_live_idx on benefit_grant (customer_id) where revoked_at is null;
create index benefit_grant_benefit_live_idx on benefit_grant (benefit_id) where revoked_at is null;

-- The last event applied per subscription: older ones are ignored.
create table subscription_state (
    subscription_id uuid        primary key,
    customer_id     uuid        not null,
    last_sequence   bigint      not null,
    last_event      varchar(64) not null,
    updated_at      timestamptz not null
);

-- Deleted customers: nothing is granted to them again, whatever arrives later.
create table customer_tombstone (
    customer_id uuid        primary key,
    deleted_at  timestamptz not null
);
