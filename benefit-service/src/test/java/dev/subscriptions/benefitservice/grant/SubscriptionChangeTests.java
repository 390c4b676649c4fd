package dev.subscriptions.benefitservice.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.EnumSet;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.subscriptions.benefitservice.grant.SubscriptionChange.PastDue;

/**
 * The table of what each subscription change does to grants, written out once more here
 * so that a change to it is a decision: the access it calls for, its effect on the
 * past-due clock and why it revokes.
 */
class SubscriptionChangeTests {

	static final Map<SubscriptionChange, Access> ACCESS = Map.ofEntries(
			Map.entry(SubscriptionChange.CREATED, Access.GRANTED),
			Map.entry(SubscriptionChange.ACTIVATED, Access.GRANTED),
			Map.entry(SubscriptionChange.RESUMED, Access.GRANTED),
			Map.entry(SubscriptionChange.UNCANCELED, Access.GRANTED),
			Map.entry(SubscriptionChange.CANCELED_AT_PERIOD_END, Access.GRANTED),
			Map.entry(SubscriptionChange.CANCELED_IMMEDIATELY, Access.UNCHANGED),
			Map.entry(SubscriptionChange.PAST_DUE, Access.GRANTED),
			Map.entry(SubscriptionChange.PAST_DUE_GRACE_OVER, Access.SUSPENDED),
			Map.entry(SubscriptionChange.PAUSED_VOID, Access.SUSPENDED),
			Map.entry(SubscriptionChange.PAUSED_FREE, Access.GRANTED),
			Map.entry(SubscriptionChange.ENDED, Access.REVOKED),
			Map.entry(SubscriptionChange.ENDED_BY_CUSTOMER_DELETION, Access.REVOKED));

	@Test
	void namesTheAccessOfEveryChange() {
		assertThat(ACCESS).containsOnlyKeys(EnumSet.allOf(SubscriptionChange.class));
	}

	@ParameterizedTest
	@EnumSource(SubscriptionChange.class)
	void callsForTheAccessOfItsRow(SubscriptionChange change) {
		assertThat(change.access()).isEqualTo(ACCESS.get(change));
	}

	@ParameterizedTest
	@EnumSource(SubscriptionChange.class)
	void startsThePastDueClockOnlyWhenPastDueAndClearsItOnlyWhenCreatedOrPaid(SubscriptionChange change) {
		PastDue expected = switch (change) {
			case PAST_DUE -> PastDue.STARTS;
			case PAST_DUE_GRACE_OVER -> PastDue.GRACE_OVER;
			case CREATED, ACTIVATED -> PastDue.ENDS;
			default -> PastDue.RUNS_ON;
		};
		assertThat(change.pastDue()).isEqualTo(expected);
	}

	@Test
	void revokesForTheSubscriptionsEndOrForTheCustomersDeletion() {
		assertThat(SubscriptionChange.ENDED.revocationReason()).isEqualTo(RevocationReason.SUBSCRIPTION_ENDED);
		assertThat(SubscriptionChange.ENDED_BY_CUSTOMER_DELETION.revocationReason())
			.isEqualTo(RevocationReason.CUSTOMER_DELETED);
		assertThatIllegalStateException().isThrownBy(SubscriptionChange.PAUSED_VOID::revocationReason);
	}

}
