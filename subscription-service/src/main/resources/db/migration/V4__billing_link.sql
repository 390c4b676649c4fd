-- How subscription-service follows billing.events. One row per provider subscription: its ordering state (the time of
-- the last snapshot applied, whether it has ended) and the lock that serializes its records. subscription_id stays
-- null while no subscription of ours exists for it (an ended snapshot seen first creates none, and is remembered).
create table billing_link (
    provider                 varchar(64)  not null,
    provider_subscription_id varchar(255) not null,
    subscription_id          uuid         references subscription (id),
    last_snapshot_at         timestamptz,
    ended                    boolean      not null default false,
    primary key (provider, provider_subscription_id)
);

-- A provider subscription is linked to at most one live subscription; ended ones keep their link for the record.
drop index subscription_provider_key;

create unique index subscription_provider_live_key on subscription (provider, provider_subscription_id)
    where provider is not null and status not in ('CANCELED', 'REVOKED');

alter table subscription
    add constraint subscription_provider_whole check ((provider is null) = (provider_subscription_id is null)),
    -- Overdue and the provider gave up collecting (unpaid): access is suspended at once.
    add column grace_over boolean not null default false;

-- Invoices of a billing provider are known by the provider's id: two events about one payment pay it once.
alter table invoice
    add column provider            varchar(64),
    add column provider_invoice_id varchar(255),
    add constraint invoice_provider_whole check ((provider is null) = (provider_invoice_id is null)),
    drop constraint invoice_status_check,
    add constraint invoice_status_check check (status in ('OPEN', 'PAID', 'VOID', 'REFUNDED'));

create unique index invoice_provider_key on invoice (provider, provider_invoice_id)
    where provider is not null;
