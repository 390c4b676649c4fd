create table customer (
    id              uuid         primary key,
    organization_id uuid         not null,
    email           varchar(320) not null,
    name            varchar(200) not null,
    external_id     varchar(100),
    created_at      timestamptz  not null,
    modified_at     timestamptz  not null,
    deleted_at      timestamptz,
    version         bigint       not null
);

-- A deleted customer's email and external id are free for a new customer: uniqueness covers live rows only.
create unique index customer_email_live_key
    on customer (organization_id, lower(email)) where deleted_at is null;

create unique index customer_external_id_live_key
    on customer (organization_id, external_id) where deleted_at is null and external_id is not null;

create index customer_organization_live_idx
    on customer (organization_id, created_at, id) where deleted_at is null;
