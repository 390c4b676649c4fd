package dev.subscriptions.subscriptionservice.subscription.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.consumer.UnhandledRecords;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.events.subscription.SubscriptionCreated;
import dev.subscriptions.events.subscription.SubscriptionEnded;
import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.infrastructure.OpenTransaction;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.CustomerFixture;
import dev.subscriptions.schemas.fixtures.SubscriptionFixture;
import dev.subscriptions.subscriptionservice.CustomerEventsProducer;
import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers;
import dev.subscriptions.subscriptionservice.subscription.CustomerAlreadyDeleted;
import dev.subscriptions.subscriptionservice.subscription.PauseMode;
import dev.subscriptions.subscriptionservice.subscription.Subscription;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionManagement;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionStatus;

/**
 * A deleted customer keeps no live subscription: CustomerDeleted on customer.events,
 * handled by the real listener.
 */
@SubscriptionServiceIntegrationTest
class CustomerDeletionIntegrationTests {

	private static final Currency EUR = Currency.getInstance("EUR");

	private final UUID organization = UUID.randomUUID();

	@Autowired
	CustomerEventsProducer customerEvents;

	@Autowired
	EventTopics topics;

	@Autowired
	SubscriptionManagement subscriptions;

	@Autowired
	KnownCustomers knownCustomers;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	KafkaListenerEndpointRegistry listeners;

	@Autowired
	MeterRegistry meters;

	@Test
	void revokesEveryLiveSubscriptionOfADeletedCustomerAndNothingElse() {
		UUID deleted = knownCustomer();
		UUID other = knownCustomer();
		Subscription trialing = this.subscriptions.create(this.organization, deleted, UUID.randomUUID(), 999, EUR, 14);
		Subscription active = subscribe(deleted);
		Subscription overdue = this.subscriptions.paymentFailed(this.organization, subscribe(deleted).getId());
		Subscription paused = this.subscriptions.pause(this.organization, subscribe(deleted).getId(), PauseMode.VOID);
		Subscription canceled = this.subscriptions.cancelImmediately(this.organization, subscribe(deleted).getId(),
				null, null);
		Subscription untouched = subscribe(other);
		assertThat(List.of(trialing, active, overdue, paused)).extracting(Subscription::getStatus)
			.containsExactly(SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE,
					SubscriptionStatus.PAUSED);

		CustomerDeleted deletion = this.customerEvents.deleted(this.organization, deleted);

		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.subscriptions.findByCustomer(this.organization, deleted, SubscriptionStatus.REVOKED)
				.size() == 4);
		assertThat(this.subscriptions.findByCustomer(this.organization, deleted, null))
			.allSatisfy(subscription -> assertThat(subscription.getStatus().hasEnded()).isTrue());
		assertThat(List.of(trialing, active, overdue, paused))
			.extracting(subscription -> this.subscriptions.get(this.organization, subscription.getId()))
			.allSatisfy(subscription -> assertThat(subscription)
				.returns(SubscriptionStatus.REVOKED, Subscription::getStatus)
				.returns("customer_deleted", Subscription::getRevokedReason));
		assertThat(this.subscriptions.get(this.organization, canceled.getId()).getStatus())
			.isEqualTo(SubscriptionStatus.CANCELED);
		assertThat(this.subscriptions.get(this.organization, untouched.getId()).getStatus())
			.isEqualTo(SubscriptionStatus.ACTIVE);

		await().atMost(Duration.ofSeconds(20))
			.until(() -> endedFor(deleted).size() == 4 && reportsFor(deleted).size() == 1);
		assertThat(endedFor(deleted)).extracting(SubscriptionEnded::getSubscriptionId)
			.containsExactlyInAnyOrder(trialing.getId().toString(), active.getId().toString(),
					overdue.getId().toString(), paused.getId().toString());
		CustomerRevocationCompleted report = reportsFor(deleted).get(0);
		assertThat(report.getRevokedCount()).isEqualTo(4);
		assertThat(report.getService()).isEqualTo("subscription");
		assertThat(report.getCustomerEventId()).isEqualTo(deletion.getEventId());
		assertThat(report.getOrganizationId()).isEqualTo(this.organization.toString());
	}

	@Test
	void handlesTheSameCustomerDeletedDeliveredTwiceOnce() {
		UUID customer = knownCustomer();
		subscribe(customer);
		subscribe(customer);

		CustomerDeleted deletion = this.customerEvents.deleted(this.organization, customer);
		this.customerEvents.send(customer.toString(), deletion);
		UUID marker = UUID.randomUUID();
		this.customerEvents.created(this.organization, marker, customer.toString());

		await().atMost(Duration.ofSeconds(20)).until(() -> known(marker));
		await().atMost(Duration.ofSeconds(20)).until(() -> reportsFor(customer).size() >= 1);
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(10))
			.until(() -> reportsFor(customer).size() == 1 && endedFor(customer).size() == 2);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from inbox where consumer = 'subscription-service' " + "and event_id = ?::uuid",
				Integer.class, deletion.getEventId()))
			.isEqualTo(1);
	}

	@Test
	void keepsATombstoneWhenTheDeletionArrivesBeforeTheCreation() {
		UUID customer = UUID.randomUUID();

		this.customerEvents.deleted(this.organization, customer);
		this.customerEvents.created(this.organization, customer);

		await().atMost(Duration.ofSeconds(20)).until(() -> known(customer));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> subscribe(customer)))
				.isInstanceOf(CustomerAlreadyDeleted.class));
		assertThat(this.subscriptions.findByCustomer(this.organization, customer, null)).isEmpty();
	}

	@Test
	void revokesASubscriptionWhoseCreationCommitsWhileTheCustomersDeletionWaitsForIt() {
		UUID customer = knownCustomer();
		OpenTransaction creation = OpenTransaction.begin(this.transactions, this.jdbc, () -> subscribe(customer));

		this.customerEvents.deleted(this.organization, customer);
		await().atMost(Duration.ofSeconds(20)).until(creation::blocksAnother);
		creation.commit();

		await().atMost(Duration.ofSeconds(20)).until(() -> deleted(customer));
		assertThat(this.subscriptions.findByCustomer(this.organization, customer, null)).singleElement()
			.returns(SubscriptionStatus.REVOKED, Subscription::getStatus)
			.returns("customer_deleted", Subscription::getRevokedReason);
	}

	@Test
	void refusesASubscriptionWhoseCreationWaitsForTheCustomersDeletionToCommit() {
		UUID customer = knownCustomer();
		OpenTransaction deletion = OpenTransaction.begin(this.transactions, this.jdbc, () -> {
			this.knownCustomers.recordDeleted(new KnownCustomers.Deleted(customer, this.organization, Instant.now()));
			this.subscriptions.revokeAllOfDeletedCustomers(List.of(customer));
		});

		CompletableFuture<Subscription> creation = CompletableFuture.supplyAsync(() -> subscribe(customer));
		await().atMost(Duration.ofSeconds(20)).until(deletion::blocksAnother);
		deletion.commit();

		assertThatThrownBy(() -> creation.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(CustomerAlreadyDeleted.class);
		assertThat(this.subscriptions.findByCustomer(this.organization, customer, null)).isEmpty();
	}

	/**
	 * The consumer is stopped once a third of the subscriptions is revoked, while the
	 * first half of the deletions is still being sent and handled; stopping lets it
	 * finish the batch it has polled. The second half is sent while it is stopped, so the
	 * restart falls midway however fast the batches are.
	 */
	@Test
	void revokesAThousandCustomersSubscriptionsThroughAConsumerRestartWithoutLossOrDuplicates(TestReporter reporter) {
		List<UUID> customers = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			UUID customer = UUID.randomUUID();
			customers.add(customer);
			this.customerEvents.created(this.organization, customer);
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> knownCount(customers) == 1_000);
		Set<UUID> subscriptionIds = customers.stream()
			.flatMap(customer -> List.of(subscribe(customer), subscribe(customer), subscribe(customer)).stream())
			.map(Subscription::getId)
			.collect(Collectors.toSet());

		long started = System.nanoTime();
		customers.subList(0, 500).forEach(customer -> this.customerEvents.deleted(this.organization, customer));
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> revokedCount(customers) >= 1_000);
		MessageListenerContainer container = this.listeners.getListenerContainer(CustomerEventsListener.ID);
		container.stop();
		customers.subList(500, 1_000).forEach(customer -> this.customerEvents.deleted(this.organization, customer));
		long revokedWhileStopped = revokedCount(customers);
		assertThat(container.isRunning()).isFalse();
		assertThat(revokedWhileStopped).as("subscriptions revoked when the consumer stopped").isBetween(1_000L, 1_500L);
		container.start();
		await().atMost(Duration.ofSeconds(120)).until(() -> revokedCount(customers) == 3_000);
		double seconds = (System.nanoTime() - started) / 1e9;
		reporter.publishEntry("revocation",
				String.format(
						"Revoked 3,000 subscriptions of 1,000 deleted customers in %.1f s (consumer restarted at %d)",
						seconds, revokedWhileStopped));

		Set<String> customerIds = customers.stream().map(UUID::toString).collect(Collectors.toSet());
		await().atMost(Duration.ofSeconds(60))
			.until(() -> endedOf(customerIds).size() >= 3_000 && reportsOf(customerIds).size() >= 1_000);
		List<SubscriptionEnded> ended = endedOf(customerIds);
		List<CustomerRevocationCompleted> completed = reportsOf(customerIds);
		assertThat(ended).hasSize(3_000);
		assertThat(ended.stream().map(SubscriptionEnded::getSubscriptionId).collect(Collectors.toSet()))
			.isEqualTo(subscriptionIds.stream().map(UUID::toString).collect(Collectors.toSet()));
		assertThat(completed).hasSize(1_000).allSatisfy(report -> assertThat(report.getRevokedCount()).isEqualTo(3));
		assertThat(completed).extracting(CustomerRevocationCompleted::getCustomerId).doesNotHaveDuplicates();
		Map<String, Long> createdSequence = this.topics
			.values(Topic.SUBSCRIPTION_EVENTS.topicName(), SubscriptionCreated.class)
			.stream()
			.filter(created -> customerIds.contains(created.getCustomerId()))
			.collect(Collectors.toMap(SubscriptionCreated::getSubscriptionId, SubscriptionCreated::getSequence));
		assertThat(ended).allSatisfy(
				end -> assertThat(end.getSequence()).isEqualTo(createdSequence.get(end.getSubscriptionId()) + 1));
	}

	/**
	 * Both records have the customer's key, so they come in one poll of the restarted
	 * consumer, in two waves: the creation, then the deletion.
	 */
	@Test
	void endsDeletedWhenItsCreationAndDeletionComeInOnePoll() {
		UUID customer = UUID.randomUUID();

		CustomerDeleted deletion = whileStopped(() -> {
			this.customerEvents.created(this.organization, customer);
			return this.customerEvents.deleted(this.organization, customer);
		});

		await().atMost(Duration.ofSeconds(20)).until(() -> reportsFor(customer).size() == 1);
		assertThat(deleted(customer)).isTrue();
		assertThat(reportsFor(customer)).singleElement()
			.returns(0, CustomerRevocationCompleted::getRevokedCount)
			.returns(deletion.getEventId(), CustomerRevocationCompleted::getCustomerEventId);
		assertThatThrownBy(() -> subscribe(customer)).isInstanceOf(CustomerAlreadyDeleted.class);
	}

	/**
	 * The three deletions come in one poll of the restarted consumer; the one whose
	 * customer id is no UUID fails the batch, which is handled again one record at a
	 * time.
	 */
	@Test
	void deadLettersADeletionThatCannotBeHandledAloneAndCommitsTheOthersOfItsBatchOnce() {
		UUID first = knownCustomer();
		UUID second = knownCustomer();
		Subscription ofFirst = subscribe(first);
		Subscription ofSecond = subscribe(second);
		String malformedKey = "malformed-" + UUID.randomUUID();
		CustomerDeleted malformed = CustomerFixture.of(this.organization, UUID.randomUUID()).deleted().build();
		malformed.setCustomerId("not-a-uuid");

		whileStopped(() -> {
			this.customerEvents.deleted(this.organization, first);
			this.customerEvents.send(malformedKey, malformed);
			return this.customerEvents.deleted(this.organization, second);
		});

		await().atMost(Duration.ofSeconds(60))
			.until(() -> reportsFor(first).size() == 1 && reportsFor(second).size() == 1);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.topics.decoded(Topic.CUSTOMER_EVENTS.topicName() + ".subscription-service.DLT")
				.stream()
				.anyMatch(record -> malformedKey.equals(record.key())));
		assertThat(List.of(ofFirst, ofSecond))
			.extracting(subscription -> this.subscriptions.get(this.organization, subscription.getId()).getStatus())
			.containsOnly(SubscriptionStatus.REVOKED);
		assertThat(reportsFor(first)).singleElement().returns(1, CustomerRevocationCompleted::getRevokedCount);
		assertThat(reportsFor(second)).singleElement().returns(1, CustomerRevocationCompleted::getRevokedCount);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from inbox where consumer = 'subscription-service' " + "and event_id = ?::uuid",
				Integer.class, malformed.getEventId()))
			.isZero();
	}

	/**
	 * The good record that follows has the poison record's key, so it lands on the same
	 * partition, behind it: that it is handled proves the partition is not blocked.
	 */
	@Test
	void sendsAPoisonRecordToItsDeadLetterTopicAndGoesOn() {
		UUID next = UUID.randomUUID();
		String poisonKey = next.toString();

		this.customerEvents.send(poisonKey, "not avro at all".getBytes(StandardCharsets.UTF_8));
		this.customerEvents.created(this.organization, next);

		await().atMost(Duration.ofSeconds(20)).until(() -> known(next));
		ConsumerRecord<String, byte[]> deadLetter = await().atMost(Duration.ofSeconds(20))
			.until(() -> this.topics.decoded(Topic.CUSTOMER_EVENTS.topicName() + ".subscription-service.DLT")
				.stream()
				.filter(record -> poisonKey.equals(record.key()))
				.map(EventTopics.Decoded::record)
				.findFirst()
				.orElse(null), record -> record != null);
		assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
		assertThat(new String(deadLetter.headers().lastHeader("dlt-root-cause-fqcn").value(), StandardCharsets.UTF_8))
			.isEqualTo("dev.subscriptions.eventing.serde.UndecodableRecordException");
	}

	/**
	 * A record of a type the listener has no handler for (here one of
	 * subscription.events, as if customer-service published a new type) goes to the
	 * default handler: counted and skipped; the record behind it is handled.
	 */
	@Test
	void countsAndSkipsARecordOfATypeWithoutHandlerAndGoesOn() {
		UUID next = UUID.randomUUID();
		this.customerEvents.send(next.toString(), SubscriptionFixture.random().created().build());
		this.customerEvents.created(this.organization, next);

		await().atMost(Duration.ofSeconds(20)).until(() -> known(next));
		Counter skipped = this.meters.find(UnhandledRecords.METER)
			.tag("group", "subscription-service")
			.tag("topic", Topic.CUSTOMER_EVENTS.topicName())
			.tag("type", SubscriptionCreated.getClassSchema().getFullName())
			.counter();
		assertThat(skipped).isNotNull();
		assertThat(skipped.count()).isEqualTo(1);
	}

	/**
	 * Sends while the listener's container is stopped, so that the records come in the
	 * first poll after it starts again.
	 */
	private <T> T whileStopped(Supplier<T> sending) {
		MessageListenerContainer container = this.listeners.getListenerContainer(CustomerEventsListener.ID);
		container.stop();
		try {
			return sending.get();
		}
		finally {
			container.start();
		}
	}

	private UUID knownCustomer() {
		UUID customer = UUID.randomUUID();
		this.customerEvents.created(this.organization, customer);
		await().atMost(Duration.ofSeconds(20)).until(() -> known(customer));
		return customer;
	}

	private Subscription subscribe(UUID customer) {
		return this.subscriptions.create(this.organization, customer, UUID.randomUUID(), 999, EUR, 0);
	}

	private boolean known(UUID customer) {
		return this.jdbc.queryForObject("select count(*) from customer where id = ?", Integer.class, customer) == 1;
	}

	private boolean deleted(UUID customer) {
		return this.jdbc.queryForObject("select count(*) from customer where id = ? and deleted_at is not null",
				Integer.class, customer) == 1;
	}

	private long knownCount(List<UUID> customers) {
		return this.jdbc.queryForObject("select count(*) from customer where id = any(?)", Long.class,
				(Object) customers.toArray(UUID[]::new));
	}

	private long revokedCount(List<UUID> customers) {
		return this.jdbc.queryForObject(
				"select count(*) from subscription where customer_id = any(?) and status = 'REVOKED'", Long.class,
				(Object) customers.toArray(UUID[]::new));
	}

	private List<SubscriptionEnded> endedFor(UUID customer) {
		return this.topics.values(Topic.SUBSCRIPTION_EVENTS.topicName(), SubscriptionEnded.class)
			.stream()
			.filter(ended -> ended.getCustomerId().equals(customer.toString()))
			.filter(ended -> ended.getReason().equals("customer_deleted"))
			.toList();
	}

	private List<CustomerRevocationCompleted> reportsFor(UUID customer) {
		return reportsOf(Set.of(customer.toString()));
	}

	private List<SubscriptionEnded> endedOf(Set<String> customerIds) {
		return this.topics.values(Topic.SUBSCRIPTION_EVENTS.topicName(), SubscriptionEnded.class)
			.stream()
			.filter(ended -> customerIds.contains(ended.getCustomerId()))
			.toList();
	}

	private List<CustomerRevocationCompleted> reportsOf(Set<String> customerIds) {
		return this.topics.values(Topic.CUSTOMER_REVOCATIONS.topicName(), CustomerRevocationCompleted.class)
			.stream()
			.filter(report -> customerIds.contains(report.getCustomerId()))
			.toList();
	}

}
