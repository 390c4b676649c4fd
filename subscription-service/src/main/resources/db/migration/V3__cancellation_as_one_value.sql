-- The cancellation is one value of the subscription (canceled_at, cancellation_reason, cancellation_comment,
-- cancel_at_period_end, ends_at): all of it is there, or none. cancel_at_period_end now says how the subscription was
-- canceled, and stays so once it has ended; whether a cancellation is still pending also takes a live status, as the
-- queries of due subscriptions already say.
alter table subscription
    alter column cancel_at_period_end drop not null,
    alter column cancel_at_period_end drop default;

update subscription set cancel_at_period_end = null where canceled_at is null;
update subscription set cancel_at_period_end = true where canceled_at is not null and ends_at is not null;

alter table subscription
    add constraint subscription_cancellation_whole check ((canceled_at is null) = (cancel_at_period_end is null)),
    add constraint subscription_pause_whole check ((paused_at is null) = (pause_mode is null));
