-- A billing provider's orders (Lemon Squeezy's order_created / order_refunded), by the provider's id of the order, with
-- the customer they belong to: ours from the checkout's custom data, and the provider's. An order's id is only ever
-- stored here, never as a subscription's id (a subscription names its order in its own attributes). A late delivery
-- does not overwrite a newer one: updated_at is the provider's time of the order's state.
create table provider_order (
    provider             varchar(64)  not null,
    provider_order_id    varchar(255) not null,
    customer_id          uuid,
    product_id           uuid,
    provider_customer_id varchar(255),
    status               varchar(32)  not null,
    total                bigint       not null check (total >= 0),
    currency             char(3)      not null,
    updated_at           timestamptz  not null,
    recorded_at          timestamptz  not null,
    primary key (provider, provider_order_id)
);

create index provider_order_customer_idx on provider_order (customer_id);
