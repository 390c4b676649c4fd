-- Why a subscription was canceled: a short reason code and the customer's own comment, as given with the
-- cancellation (cleared again when a cancellation at period end is taken back). The limits match the API's.
alter table subscription
    add column cancellation_reason  varchar(64),
    add column cancellation_comment varchar(2000);
