-- Every billing provider's webhook delivery that was verified and applied, by the provider's id of the delivery (Lemon
-- Squeezy's meta.webhook_id or the body's SHA-256, Stripe's event id): a provider's retry of one finds it here and
-- stores nothing more. Written in the transaction that puts the delivery's changes in the outbox.
create table webhook_delivery (
    provider    varchar(64)  not null,
    delivery_id varchar(255) not null,
    event_name  varchar(128) not null,
    received_at timestamptz  not null,
    primary key (provider, delivery_id)
);
