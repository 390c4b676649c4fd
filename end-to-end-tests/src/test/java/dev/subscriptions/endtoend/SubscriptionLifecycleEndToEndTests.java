package dev.subscriptions.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.schemas.Topic;

/**
 * One subscription through every transition, by REST alone, with benefit-service's answer
 * after each: what the README's benefit-service section says, and the records
 * subscription-service's relay really wrote to {@code subscription.events}, decoded with
 * the registry. No other test reads what the real publisher writes for
 * {@code SubscriptionUncanceled}, {@code SubscriptionActivated} or
 * {@code SubscriptionResumed}.
 * <p>
 * After each transition the test waits until benefit-service's consumer group has
 * committed the offset past that transition's record, so an answer that does not change
 * (a cancellation at period end keeps the benefits) is checked after the event was
 * handled, not before it arrived.
 */
class SubscriptionLifecycleEndToEndTests {

	private static final String BENEFIT_SERVICE_GROUP = "benefit-service";

	private static final List<String> BOTH = List.of("community", "premium-reports");

	private static final List<String> NONE = List.of();

	private final Api api = new Api(UUID.randomUUID());

	private final UUID product = UUID.randomUUID();

	@BeforeAll
	static void startPlatform() {
		Platform.start();
	}

	@Test
	void benefitsFollowEveryTransitionAndEveryEventTypeIsPublishedInSequenceOrder() {
		this.api.mapProduct(this.product,
				List.of(this.api.createBenefit("premium-reports"), this.api.createBenefit("community")));
		String customer = this.api.createCustomer("lifecycle-" + UUID.randomUUID() + "@example.com");
		String subscription = this.api.subscribe(customer, this.product);

		afterEvent(subscription, 1, customer, BOTH, "active");
		transition(subscription, "cancel", Map.of("reason", "too_expensive"), "active");
		afterEvent(subscription, 2, customer, BOTH, "active");
		transition(subscription, "uncancel", null, "active");
		afterEvent(subscription, 3, customer, BOTH, "active");
		transition(subscription, "payment-failed", null, "past_due");
		afterEvent(subscription, 4, customer, BOTH, "active");
		transition(subscription, "payment-succeeded", null, "active");
		afterEvent(subscription, 5, customer, BOTH, "active");
		transition(subscription, "pause", Map.of("mode", "void"), "paused");
		afterEvent(subscription, 6, customer, NONE, "suspended");
		transition(subscription, "resume", null, "active");
		afterEvent(subscription, 7, customer, BOTH, "active");
		transition(subscription, "pause", Map.of("mode", "free"), "paused");
		afterEvent(subscription, 8, customer, BOTH, "active");
		transition(subscription, "resume", null, "active");
		afterEvent(subscription, 9, customer, BOTH, "active");
		transition(subscription, "cancel", Map.of("immediately", true), "canceled");
		afterEvent(subscription, 11, customer, NONE, "revoked");
		assertThat(this.api.grantsOf(customer))
			.allSatisfy(grant -> assertThat(grant).containsEntry("revocationReason", "subscription_ended"));

		List<GenericRecord> published = publishedEvents(subscription);
		assertThat(published).extracting(event -> event.getSchema().getName())
			.containsExactly("SubscriptionCreated", "SubscriptionCanceled", "SubscriptionUncanceled",
					"SubscriptionPastDue", "SubscriptionActivated", "SubscriptionPaused", "SubscriptionResumed",
					"SubscriptionPaused", "SubscriptionResumed", "SubscriptionCanceled", "SubscriptionEnded")
			.containsAll(Topic.SUBSCRIPTION_EVENTS.eventSchemas().stream().map(Schema::getName).toList());
		assertThat(published).extracting(event -> event.get("sequence"))
			.containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
		assertThat(published).allSatisfy(event -> assertThat(event.get("customer_id")).hasToString(customer));
		assertThat(published.get(1).get("at_period_end")).isEqualTo(true);
		assertThat(published.get(5).get("mode")).hasToString("void");
		assertThat(published.get(7).get("mode")).hasToString("free");
		assertThat(published.get(9).get("at_period_end")).isEqualTo(false);
		assertThat(published.get(10).get("reason")).hasToString("canceled");
	}

	private void transition(String subscription, String action, @Nullable Object body, String status) {
		assertThat(this.api.subscriptionAction(subscription, action, body).getResponseBody()).as(action)
			.containsEntry("status", status);
	}

	/**
	 * Waits until the subscription's {@code sequence}-th event is on
	 * {@code subscription.events} and benefit-service has handled it, then checks what
	 * the customer may use and the state of the subscription's grants.
	 */
	private void afterEvent(String subscription, long sequence, String customer, List<String> entitlements,
			String grantState) {
		ConsumerRecord<String, byte[]> record = await().atMost(Duration.ofSeconds(30))
			.until(() -> publishedRecord(subscription, sequence), Optional::isPresent)
			.orElseThrow();
		await().atMost(Duration.ofSeconds(30)).until(() -> Topics.handled(BENEFIT_SERVICE_GROUP, record));
		assertThat(this.api.entitlementKeys(customer)).as("entitlements after event %d", sequence)
			.isEqualTo(entitlements);
		assertThat(this.api.grantsOf(customer)).as("grants after event %d", sequence)
			.hasSize(2)
			.allSatisfy(grant -> assertThat(grant).containsEntry("state", grantState));
	}

	private static Optional<ConsumerRecord<String, byte[]>> publishedRecord(String subscription, long sequence) {
		return EventTopics.shared()
			.decoded(Topic.SUBSCRIPTION_EVENTS.topicName())
			.stream()
			.filter(record -> subscription.equals(record.key()))
			.filter(record -> Long.valueOf(sequence).equals(record.value(GenericRecord.class).get("sequence")))
			.map(EventTopics.Decoded::record)
			.findFirst();
	}

	/**
	 * The subscription's records on {@code subscription.events}, in offset order (one
	 * key: one partition).
	 */
	private static List<GenericRecord> publishedEvents(String subscription) {
		return EventTopics.shared()
			.decoded(Topic.SUBSCRIPTION_EVENTS.topicName())
			.stream()
			.filter(record -> subscription.equals(record.key()))
			.map(record -> record.value(GenericRecord.class))
			.toList();
	}

}
