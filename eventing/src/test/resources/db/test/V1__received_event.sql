create table received_event (
    id          bigint generated always as identity primary key,
    event_id    uuid        not null,
    customer_id varchar(64) not null,
    name        text        not null,
    received_at timestamptz not null default clock_timestamp()
);
