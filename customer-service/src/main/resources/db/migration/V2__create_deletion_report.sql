-- What each downstream service reported after revoking a deleted customer's things (from customer.revocations).
create table deletion_report (
    customer_id   uuid        not null,
    service       varchar(64) not null,
    revoked_count int         not null,
    completed_at  timestamptz not null,
    event_id      uuid        not null,
    received_at   timestamptz not null default clock_timestamp(),
    primary key (customer_id, service)
);
