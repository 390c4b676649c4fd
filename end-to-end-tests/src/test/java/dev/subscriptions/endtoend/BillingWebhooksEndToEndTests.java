package dev.subscriptions.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;
import dev.subscriptions.schemas.Topic;

/**
 * Lemon Squeezy drives subscriptions, and through them benefits: webhooks shaped like
 * Lemon Squeezy's documented ones, signed with the platform's signing secret, go to
 * subscription-service's {@code POST /webhooks/lemon-squeezy}, which puts them on
 * {@code billing.events}; subscription-service's own consumer moves the subscription, and
 * benefit-service follows its events. Observed by REST, and by the consumer groups'
 * offsets where an answer must stay the same: it is checked once the event that could
 * have changed it was handled.
 */
class BillingWebhooksEndToEndTests {

	private static final String LEMON_SQUEEZY = "lemon_squeezy";

	private static final List<String> BOTH = List.of("community", "premium-reports");

	private static final List<String> NONE = List.of();

	private final Api api = new Api(UUID.randomUUID());

	private final UUID product = UUID.randomUUID();

	@BeforeAll
	static void startPlatform() {
		Platform.start();
	}

	@BeforeEach
	void productWithTwoBenefits() {
		this.api.mapProduct(this.product,
				List.of(this.api.createBenefit("premium-reports"), this.api.createBenefit("community")));
	}

	@Test
	void aVoidPauseTakesTheBenefitsAwayAndTheUnpauseGivesThemBack() {
		LemonSqueezySubscription subscription = subscribed();

		assertThat(this.api.deliver(subscription.paused("void"))).isEqualTo(200);
		awaitEntitlements(subscription, NONE);
		assertThat(this.api.grantsOf(subscription.customerId())).hasSize(2)
			.allSatisfy(grant -> assertThat(grant).containsEntry("state", "suspended"));
		assertThat(ours(subscription)).containsEntry("status", "paused").containsEntry("pauseMode", "void");

		assertThat(this.api.deliver(subscription.unpaused())).isEqualTo(200);
		awaitEntitlements(subscription, BOTH);
		assertThat(ours(subscription)).containsEntry("status", "active");
	}

	@Test
	void aFreePauseKeepsTheBenefits() {
		LemonSqueezySubscription subscription = subscribed();

		assertThat(this.api.deliver(subscription.paused("free"))).isEqualTo(200);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(ours(subscription)).containsEntry("status", "paused")
				.containsEntry("pauseMode", "free"));
		awaitHandledByBenefitService(subscription, "SubscriptionPaused");

		assertThat(this.api.entitlementKeys(subscription.customerId())).isEqualTo(BOTH);
		assertThat(this.api.grantsOf(subscription.customerId())).hasSize(2)
			.allSatisfy(grant -> assertThat(grant).containsEntry("state", "active"));
	}

	@Test
	void thePausedSnapshotDeliveredAsSubscriptionUpdatedAlsoSuspends() {
		LemonSqueezySubscription subscription = subscribed();

		assertThat(this.api.deliver(subscription.updated("paused", "void"))).isEqualTo(200);

		awaitEntitlements(subscription, NONE);
		assertThat(this.api.grantsOf(subscription.customerId())).hasSize(2)
			.allSatisfy(grant -> assertThat(grant).containsEntry("state", "suspended"));
		assertThat(ours(subscription)).containsEntry("status", "paused").containsEntry("pauseMode", "void");
	}

	@Test
	void anUnpaidSubscriptionLosesTheBenefitsAtOnceUntilItIsActiveAgain() {
		LemonSqueezySubscription subscription = subscribed();

		assertThat(this.api.deliver(subscription.updated("unpaid", null))).isEqualTo(200);
		awaitEntitlements(subscription, NONE);
		assertThat(this.api.grantsOf(subscription.customerId())).hasSize(2)
			.allSatisfy(grant -> assertThat(grant).containsEntry("state", "suspended"));
		assertThat(ours(subscription)).containsEntry("status", "past_due");

		assertThat(this.api.deliver(subscription.updated("active", null))).isEqualTo(200);
		awaitEntitlements(subscription, BOTH);
	}

	@Test
	void aDeletedCustomersLateSubscriptionCreatedGrantsNothing() {
		String customer = this.api.createCustomer("late-" + UUID.randomUUID() + "@example.com");
		this.api.deleteCustomer(customer);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Boolean.TRUE.equals(this.api.receipt(customer).get("complete")));
		LemonSqueezySubscription late = new LemonSqueezySubscription(customer, this.product,
				Platform.LEMON_SQUEEZY_SIGNING_SECRET);

		assertThat(this.api.deliver(late.created())).isEqualTo(200);

		ConsumerRecord<String, byte[]> change = await().atMost(Duration.ofSeconds(30))
			.until(() -> billingRecord(Topic.BILLING_EVENTS.topicName(), late), Optional::isPresent)
			.orElseThrow();
		await().atMost(Duration.ofSeconds(60)).until(() -> Topics.handled("subscription-service", change));
		assertThat(billingRecord("billing.events.subscription-service.DLT", late)).isEmpty();
		assertThat(this.api.subscriptionsOf(customer)).isEmpty();
		assertThat(this.api.grantsOf(customer)).isEmpty();
		assertThat(this.api.entitlementKeys(customer)).isEmpty();
	}

	/**
	 * A new customer's Lemon Squeezy subscription to the product, delivered as
	 * {@code subscription_created}: once subscription-service has created ours from it,
	 * the customer may use both benefits.
	 */
	private LemonSqueezySubscription subscribed() {
		String customer = this.api.createCustomer("lemon-" + UUID.randomUUID() + "@example.com");
		LemonSqueezySubscription subscription = new LemonSqueezySubscription(customer, this.product,
				Platform.LEMON_SQUEEZY_SIGNING_SECRET);
		assertThat(this.api.deliver(subscription.created())).isEqualTo(200);
		awaitEntitlements(subscription, BOTH);
		assertThat(ours(subscription)).containsEntry("status", "active")
			.containsEntry("productId", this.product.toString())
			.containsEntry("provider", LEMON_SQUEEZY)
			.containsEntry("providerSubscriptionId", subscription.id());
		return subscription;
	}

	/**
	 * Our subscription that the Lemon Squeezy subscription created: the customer's one.
	 */
	private Map<String, Object> ours(LemonSqueezySubscription subscription) {
		List<Map<String, Object>> subscriptions = this.api.subscriptionsOf(subscription.customerId());
		assertThat(subscriptions).hasSize(1);
		return subscriptions.get(0);
	}

	private void awaitEntitlements(LemonSqueezySubscription subscription, List<String> keys) {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.api.entitlementKeys(subscription.customerId())).isEqualTo(keys));
	}

	/**
	 * Waits until benefit-service has handled the latest event of this type of our
	 * subscription on {@code subscription.events}.
	 */
	private void awaitHandledByBenefitService(LemonSqueezySubscription subscription, String eventType) {
		String ours = (String) ours(subscription).get("id");
		ConsumerRecord<String, byte[]> event = await().atMost(Duration.ofSeconds(30))
			.until(() -> TopicContents
				.read(SharedInfrastructure.kafka().bootstrapServers(), Topic.SUBSCRIPTION_EVENTS.topicName())
				.stream()
				.filter(record -> ours.equals(record.key()))
				.filter(record -> eventType
					.equals(EventTopics.shared().decode(record).value(GenericRecord.class).getSchema().getName()))
				.reduce((first, second) -> second), Optional::isPresent)
			.orElseThrow();
		await().atMost(Duration.ofSeconds(30)).until(() -> Topics.handled("benefit-service", event));
	}

	/**
	 * The record of this Lemon Squeezy subscription on a topic (keyed
	 * {@code lemon_squeezy:<id>}), if there is one.
	 */
	private static Optional<ConsumerRecord<String, byte[]>> billingRecord(String topic,
			LemonSqueezySubscription subscription) {
		String key = Topic.billingKey(LEMON_SQUEEZY, subscription.id());
		return TopicContents.read(SharedInfrastructure.kafka().bootstrapServers(), topic)
			.stream()
			.filter(record -> key.equals(record.key()))
			.findFirst();
	}

}
