package dev.subscriptions.benefitservice.grant.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.subscriptions.benefitservice.grant.SubscriptionChange;
import dev.subscriptions.benefitservice.grant.SubscriptionChanged;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.subscription.SubscriptionCreated;
import dev.subscriptions.events.subscription.SubscriptionPaused;
import dev.subscriptions.schemas.fixtures.CustomerFixture;
import dev.subscriptions.schemas.fixtures.SubscriptionFixture;

/**
 * Every subscription record, as subscription-service writes it, becomes the change it
 * stands for, with its subscription's ids, its sequence and its time.
 */
class IncomingEventsTests {

	private final SubscriptionFixture subscription = SubscriptionFixture.random();

	@Test
	void carriesTheIdsSequenceAndTimeOfTheRecord() {
		SubscriptionCreated created = this.subscription.created().build();

		assertThat(IncomingEvents.changed(created)).isEqualTo(new SubscriptionChanged(SubscriptionChange.CREATED,
				this.subscription.organizationId(), this.subscription.customerId(), this.subscription.subscriptionId(),
				this.subscription.productId(), 1, created.getOccurredAt()));
	}

	@Test
	void mapsEveryRecordOfALifecycleToItsChange() {
		assertThat(change(IncomingEvents.changed(this.subscription.created().build())))
			.isEqualTo(SubscriptionChange.CREATED);
		assertThat(change(IncomingEvents.changed(this.subscription.activated().build())))
			.isEqualTo(SubscriptionChange.ACTIVATED);
		assertThat(change(IncomingEvents.changed(this.subscription.resumed().build())))
			.isEqualTo(SubscriptionChange.RESUMED);
		assertThat(change(IncomingEvents.changed(this.subscription.uncanceled().build())))
			.isEqualTo(SubscriptionChange.UNCANCELED);
		assertThat(change(IncomingEvents.changed(this.subscription.pastDue().build())))
			.isEqualTo(SubscriptionChange.PAST_DUE);
		assertThat(change(IncomingEvents.changed(this.subscription.pastDue().setGraceOver(true).build())))
			.isEqualTo(SubscriptionChange.PAST_DUE_GRACE_OVER);
		assertThat(change(IncomingEvents.changed(this.subscription.canceled().build())))
			.isEqualTo(SubscriptionChange.CANCELED_AT_PERIOD_END);
		assertThat(change(
				IncomingEvents.changed(this.subscription.canceled().setAtPeriodEnd(false).setEndsAt(null).build())))
			.isEqualTo(SubscriptionChange.CANCELED_IMMEDIATELY);
		assertThat(change(IncomingEvents.changed(this.subscription.paused().build())))
			.isEqualTo(SubscriptionChange.PAUSED_VOID);
		assertThat(change(IncomingEvents.changed(this.subscription.paused().setMode("free").build())))
			.isEqualTo(SubscriptionChange.PAUSED_FREE);
		assertThat(change(IncomingEvents.changed(this.subscription.ended().build())))
			.isEqualTo(SubscriptionChange.ENDED);
		assertThat(change(IncomingEvents.changed(this.subscription.ended().setReason("expired").build())))
			.isEqualTo(SubscriptionChange.ENDED);
		assertThat(change(IncomingEvents.changed(this.subscription.ended().setReason("customer_deleted").build())))
			.isEqualTo(SubscriptionChange.ENDED_BY_CUSTOMER_DELETION);
	}

	@Test
	void countsTheSequenceOnAsTheFixtureWritesIt() {
		this.subscription.created().build();
		SubscriptionPaused paused = this.subscription.paused().build();

		assertThat(IncomingEvents.changed(paused).sequence()).isEqualTo(2);
	}

	@Test
	void takesTheDeletedCustomersId() {
		CustomerFixture customer = CustomerFixture.random();
		CustomerDeleted deleted = customer.deleted().build();

		assertThat(IncomingEvents.customerId(deleted)).isEqualTo(customer.customerId());
	}

	private static SubscriptionChange change(SubscriptionChanged changed) {
		return changed.change();
	}

}
