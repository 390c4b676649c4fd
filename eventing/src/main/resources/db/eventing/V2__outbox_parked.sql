-- Outbox rows Kafka refused for good (record too large, topic invalid, unauthorized or still unknown after a grace),
-- and the rows of the same key that followed them, so that the key's order holds. The outbox columns are copied as
-- they were, position included; requeued rows go back to the outbox in the order of their positions.
create table outbox_parked (
    position        bigint       primary key,
    id              uuid         not null unique,
    aggregatetype   varchar(255) not null,
    aggregateid     varchar(255) not null,
    type            varchar(255) not null,
    payload         bytea        not null,
    topic           varchar(249) not null,
    headers         jsonb        not null,
    created_at      timestamptz  not null,
    cause           varchar(64)  not null,
    attempts        integer      not null,
    first_failed_at timestamptz,
    last_failed_at  timestamptz,
    parked_at       timestamptz  not null default clock_timestamp()
);

create index outbox_parked_key on outbox_parked (topic, aggregateid);
