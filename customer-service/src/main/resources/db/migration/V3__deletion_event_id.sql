-- The event id of the customer's CustomerDeleted, written in the delete transaction, so that the deletion receipt
-- pairs each revocation report with the deletion it answers by that id rather than by comparing clocks.
-- Null for customers deleted before this migration (and for live ones).
alter table customer add column deletion_event_id uuid;

-- The CustomerDeleted (event_id) a report answers; null on reports received before this migration.
alter table deletion_report add column customer_event_id uuid;
