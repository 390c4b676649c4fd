-- Inbox retention deletes rows older than eventing.inbox.retention in batches, oldest first by processed_at.
create index inbox_processed_at_idx on inbox (processed_at);
