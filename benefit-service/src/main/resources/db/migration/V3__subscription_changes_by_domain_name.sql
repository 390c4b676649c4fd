-- subscription_state.last_event holds the name of the SubscriptionChange last applied (it held the Avro record name).
-- Rows written before are rewritten to the change the record stood for. Where the record name alone does not say
-- which one, the grants tell: a pause that left them suspended was a void pause, otherwise a free one; an end that
-- revoked them because the customer was deleted was an end by the customer's deletion. A cancellation still last is
-- one at period end (an immediate one is followed, in the same transaction, by the end that replaces it).
update subscription_state s set last_event = case s.last_event
        when 'SubscriptionCreated' then 'CREATED'
        when 'SubscriptionActivated' then 'ACTIVATED'
        when 'SubscriptionResumed' then 'RESUMED'
        when 'SubscriptionUncanceled' then 'UNCANCELED'
        when 'SubscriptionCanceled' then 'CANCELED_AT_PERIOD_END'
        when 'SubscriptionPastDue' then 'PAST_DUE'
        when 'SubscriptionPaused' then
            case when exists (select 1 from benefit_grant g where g.subscription_id = s.subscription_id
                              and g.revoked_at is null and g.suspended_at is not null)
                 then 'PAUSED_VOID' else 'PAUSED_FREE' end
        when 'SubscriptionEnded' then
            case when exists (select 1 from benefit_grant g where g.subscription_id = s.subscription_id
                              and g.revocation_reason = 'customer_deleted')
                 then 'ENDED_BY_CUSTOMER_DELETION' else 'ENDED' end
        end
where s.last_event in ('SubscriptionCreated', 'SubscriptionActivated', 'SubscriptionResumed', 'SubscriptionUncanceled',
                       'SubscriptionCanceled', 'SubscriptionPastDue', 'SubscriptionPaused', 'SubscriptionEnded');
