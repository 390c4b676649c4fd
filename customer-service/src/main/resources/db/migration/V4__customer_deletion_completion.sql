-- Each deletion and when its receipt became complete (every required service reported): the row is written in the
-- delete transaction, completed_at once, by the report that completes the receipt. It feeds the histogram of
-- deletion-to-complete-receipt time and the gauge of deletions still incomplete after a threshold. Deletions before
-- this migration are not tracked.
create table customer_deletion (
    customer_id  uuid        primary key,
    deleted_at   timestamptz not null,
    completed_at timestamptz
);

-- The gauge counts the incomplete deletions older than the threshold: only incomplete rows are indexed, by age.
create index customer_deletion_incomplete_idx on customer_deletion (deleted_at) where completed_at is null;
