-- The business row each transaction of the outbox-alone benchmark inserts next to its event.
create table business (
    id uuid   primary key,
    n  bigint not null
);
