-- Transactional outbox. id, aggregatetype, aggregateid, type and payload follow Debezium's outbox event router.
create table outbox (
    position      bigint generated always as identity primary key,
    id            uuid         not null unique,
    aggregatetype varchar(255) not null,
    aggregateid   varchar(255) not null,
    type          varchar(255) not null,
    payload       bytea        not null,
    topic         varchar(249) not null,
    headers       jsonb        not null default '{}'::jsonb,
    created_at    timestamptz  not null default clock_timestamp()
);

-- Events each consumer has handled; written in the transaction of the handler's work.
create table inbox (
    consumer     varchar(255) not null,
    event_id     uuid         not null,
    processed_at timestamptz  not null default clock_timestamp(),
    primary key (consumer, event_id)
);
