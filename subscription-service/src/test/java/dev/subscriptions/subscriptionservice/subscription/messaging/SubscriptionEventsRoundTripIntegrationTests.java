package dev.subscriptions.subscriptionservice.subscription.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.events.subscription.SubscriptionActivated;
import dev.subscriptions.events.subscription.SubscriptionCanceled;
import dev.subscriptions.events.subscription.SubscriptionCreated;
import dev.subscriptions.events.subscription.SubscriptionEnded;
import dev.subscriptions.events.subscription.SubscriptionPastDue;
import dev.subscriptions.events.subscription.SubscriptionPaused;
import dev.subscriptions.events.subscription.SubscriptionResumed;
import dev.subscriptions.events.subscription.SubscriptionUncanceled;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers;
import dev.subscriptions.subscriptionservice.subscription.Invoice;
import dev.subscriptions.subscriptionservice.subscription.PauseMode;
import dev.subscriptions.subscriptionservice.subscription.Subscription;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionManagement;

/**
 * What the real publisher writes to subscription.events, read back from the broker and
 * decoded with the registry as a consumer would: one subscription taken through every
 * transition produces every event type of the topic, in order, each with what its
 * transition gave.
 */
@SubscriptionServiceIntegrationTest
class SubscriptionEventsRoundTripIntegrationTests {

	@Autowired
	EventTopics topics;

	@Autowired
	SubscriptionManagement subscriptions;

	@Autowired
	KnownCustomers customers;

	@Test
	void publishesEveryEventTypeOfTheTopicWithWhatItsTransitionGave() {
		UUID organization = UUID.randomUUID();
		UUID customer = UUID.randomUUID();
		UUID product = UUID.randomUUID();
		this.customers.recordCreated(new KnownCustomers.Created(customer, organization, Instant.now()));

		Subscription created = this.subscriptions.create(organization, customer, product, 4990,
				Currency.getInstance("EUR"), 14);
		UUID id = created.getId();
		Subscription canceled = this.subscriptions.cancelAtPeriodEnd(organization, id, "too_expensive",
				"half the price and I stay");
		this.subscriptions.uncancel(organization, id);
		this.subscriptions.paymentFailed(organization, id);
		Invoice invoice = this.subscriptions.invoicesOf(organization, id).get(0);
		this.subscriptions.paymentSucceeded(organization, id);
		this.subscriptions.pause(organization, id, PauseMode.FREE);
		this.subscriptions.resume(organization, id);
		Subscription ended = this.subscriptions.cancelImmediately(organization, id, "moving_abroad", null);

		List<SpecificRecord> events = await().atMost(Duration.ofSeconds(30))
			.until(() -> ofSubscription(id), published -> published.size() >= 9);

		assertThat(events).extracting(SpecificRecord::getSchema)
			.containsExactly(SubscriptionCreated.getClassSchema(), SubscriptionCanceled.getClassSchema(),
					SubscriptionUncanceled.getClassSchema(), SubscriptionPastDue.getClassSchema(),
					SubscriptionActivated.getClassSchema(), SubscriptionPaused.getClassSchema(),
					SubscriptionResumed.getClassSchema(), SubscriptionCanceled.getClassSchema(),
					SubscriptionEnded.getClassSchema());
		assertThat(events.stream().map(SpecificRecord::getSchema).collect(Collectors.toSet()))
			.as("every event type of %s", Topic.SUBSCRIPTION_EVENTS.topicName())
			.containsExactlyInAnyOrderElementsOf(Topic.SUBSCRIPTION_EVENTS.eventSchemas());
		for (int i = 0; i < events.size(); i++) {
			SpecificRecord event = events.get(i);
			assertThat(field(event, "sequence")).isEqualTo(i + 1L);
			assertThat(field(event, "organization_id")).isEqualTo(organization.toString());
			assertThat(field(event, "customer_id")).isEqualTo(customer.toString());
			assertThat(field(event, "product_id")).isEqualTo(product.toString());
			assertThat(field(event, "subscription_id")).isEqualTo(id.toString());
			assertThat(field(event, "event_id")).asString().isNotEmpty();
		}
		assertThat(events).extracting(event -> field(event, "event_id")).doesNotHaveDuplicates();

		assertThat((SubscriptionCreated) events.get(0)).returns("trialing", SubscriptionCreated::getStatus)
			.returns(4990L, SubscriptionCreated::getAmount)
			.returns("EUR", SubscriptionCreated::getCurrency)
			.returns(millis(created.getCurrentPeriodStart()), SubscriptionCreated::getCurrentPeriodStart)
			.returns(millis(created.getCurrentPeriodEnd()), SubscriptionCreated::getCurrentPeriodEnd);
		assertThat((SubscriptionCanceled) events.get(1)).returns(true, SubscriptionCanceled::getAtPeriodEnd)
			.returns(millis(canceled.getEndsAt()), SubscriptionCanceled::getEndsAt)
			.returns("too_expensive", SubscriptionCanceled::getReason);
		assertThat((SubscriptionPastDue) events.get(3)).returns(invoice.getId().toString(),
				SubscriptionPastDue::getInvoiceId);
		assertThat((SubscriptionPaused) events.get(5)).returns("free", SubscriptionPaused::getMode);
		assertThat((SubscriptionCanceled) events.get(7)).returns(false, SubscriptionCanceled::getAtPeriodEnd)
			.returns(null, SubscriptionCanceled::getEndsAt)
			.returns("moving_abroad", SubscriptionCanceled::getReason);
		assertThat((SubscriptionEnded) events.get(8)).returns("canceled", SubscriptionEnded::getReason)
			.returns(millis(ended.getEndedAt()), SubscriptionEnded::getEndedAt);
	}

	/**
	 * The subscription's events, in order: they are keyed by its id, so on one partition.
	 */
	private List<SpecificRecord> ofSubscription(UUID id) {
		return this.topics.decoded(Topic.SUBSCRIPTION_EVENTS.topicName())
			.stream()
			.filter(record -> id.toString().equals(record.key()))
			.map(EventTopics.Decoded::value)
			.map(SpecificRecord.class::cast)
			.toList();
	}

	private static Object field(SpecificRecord record, String name) {
		return record.get(record.getSchema().getField(name).pos());
	}

	private static Instant millis(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MILLIS);
	}

}
