package dev.subscriptions.benefitservice.grant.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.benefitservice.BenefitServiceIntegrationTest;
import dev.subscriptions.benefitservice.StatementLog;
import dev.subscriptions.benefitservice.benefit.BenefitManagement;
import dev.subscriptions.benefitservice.benefit.BenefitType;
import dev.subscriptions.benefitservice.grant.GrantManagement;
import dev.subscriptions.benefitservice.grant.GrantState;
import dev.subscriptions.benefitservice.grant.SubscriptionChange;
import dev.subscriptions.benefitservice.grant.SubscriptionChanged;
import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.infrastructure.OpenTransaction;
import dev.subscriptions.infrastructure.TopicContents;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.CustomerFixture;
import dev.subscriptions.schemas.fixtures.SubscriptionFixture;

/**
 * The two listeners handle a poll as a set: what a batch costs in statements (counted by
 * {@link StatementLog} on the calling thread, the listener called directly with records
 * as a poll returns them), and what becomes of a record that fails in a batch (through
 * Kafka, with the container's retries and dead letters).
 */
@BenefitServiceIntegrationTest
class BatchListenersIntegrationTests {

	private static final String CUSTOMER_DEAD_LETTERS = "customer.events.benefit-service.DLT";

	private static final AtomicLong offsets = new AtomicLong();

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Autowired
	SubscriptionEventsListener subscriptions;

	@Autowired
	CustomerEventsListener customers;

	@Autowired
	GrantManagement grants;

	@Autowired
	StatementLog statements;

	@Autowired
	EventTopics topics;

	private final UUID organization = UUID.randomUUID();

	private final UUID product = UUID.randomUUID();

	@BeforeEach
	void productWithThreeBenefits(@Autowired BenefitManagement benefits) {
		List<UUID> ids = new ArrayList<>();
		for (String key : List.of("reports", "api", "community")) {
			ids.add(benefits.create(this.organization, BenefitType.FEATURE_FLAG, key, null, null).getId());
		}
		benefits.mapProduct(this.organization, this.product, ids);
	}

	@AfterEach
	void stopRecording() {
		this.statements.stop();
	}

	@Test
	void endsTheSubscriptionsOfATombstonedCustomerInOneStatementForTheWholeWave() {
		UUID customer = UUID.randomUUID();
		List<SubscriptionFixture> subscriptions = List.of(subscription(customer), subscription(customer),
				subscription(customer));
		subscriptions.forEach(sub -> this.grants.apply(created(sub)));
		this.grants.revokeAllOfDeletedCustomer(customer);
		List<ConsumerRecord<String, Object>> ends = subscriptions.stream()
			.map(sub -> record(Topic.SUBSCRIPTION_EVENTS, sub.subscriptionId(),
					sub.ended().setReason(IncomingEvents.CUSTOMER_DELETED).build()))
			.toList();

		List<String> sent = this.statements.record();
		this.subscriptions.on(ends);

		assertThat(sent).singleElement().asString().contains("insert into inbox", "customer_tombstone");
		sent.clear();
		this.subscriptions.on(ends);
		assertThat(sent).hasSize(1);
		assertThat(this.grants.find(this.organization, customer, null, null)).hasSize(9)
			.allSatisfy(grant -> assertThat(grant.state()).isEqualTo(GrantState.REVOKED));
	}

	@Test
	void appliesTheChangesOfLiveCustomersUnderOneLockStatementPerWave() {
		List<SubscriptionFixture> subscriptions = List.of(subscription(UUID.randomUUID()),
				subscription(UUID.randomUUID()), subscription(UUID.randomUUID()));
		List<ConsumerRecord<String, Object>> creations = subscriptions.stream()
			.map(sub -> record(Topic.SUBSCRIPTION_EVENTS, sub.subscriptionId(), sub.created().build()))
			.toList();

		List<String> sent = this.statements.record();
		this.subscriptions.on(creations);

		assertThat(sent).filteredOn(sql -> sql.contains("pg_advisory_xact_lock")).hasSize(1);
		assertThat(sent).filteredOn(sql -> sql.contains("from customer_tombstone")).hasSize(2);
		assertThat(subscriptions).allSatisfy(
				sub -> assertThat(this.grants.find(this.organization, null, sub.subscriptionId(), GrantState.ACTIVE))
					.hasSize(3));
	}

	/**
	 * A wave of a creation for one customer and an end for another, whose lock a
	 * deletion's transaction holds: both types reach one handler call, which waits for
	 * both customers' locks and commits once the holder does, rather than failing at once
	 * and having the whole batch retried as an outage.
	 */
	@Test
	void waitsForEveryCustomerOfAWaveOfSeveralEventTypesAndCommitsOnceTheirLockIsFree(
			@Autowired TransactionTemplate transactions, @Autowired JdbcTemplate jdbc) throws Exception {
		SubscriptionFixture toEnd = subscription(UUID.randomUUID());
		this.subscriptions
			.on(List.of(record(Topic.SUBSCRIPTION_EVENTS, toEnd.subscriptionId(), toEnd.created().build())));
		SubscriptionFixture toCreate = subscription(UUID.randomUUID());
		OpenTransaction holder = OpenTransaction.begin(transactions, jdbc,
				() -> this.grants.apply(created(subscription(toEnd.customerId()))));
		List<ConsumerRecord<String, Object>> wave = List.of(
				record(Topic.SUBSCRIPTION_EVENTS, toCreate.subscriptionId(), toCreate.created().build()),
				record(Topic.SUBSCRIPTION_EVENTS, toEnd.subscriptionId(), toEnd.ended().build()));

		CompletableFuture<Void> handled = CompletableFuture.runAsync(() -> this.subscriptions.on(wave));

		await().atMost(Duration.ofSeconds(8)).until(holder::blocksAnother);
		assertThat(handled).isNotDone();
		holder.commit();
		handled.get(30, TimeUnit.SECONDS);
		assertThat(this.grants.find(this.organization, null, toCreate.subscriptionId(), GrantState.ACTIVE)).hasSize(3);
		assertThat(this.grants.find(this.organization, null, toEnd.subscriptionId(), null)).hasSize(3)
			.allSatisfy(grant -> assertThat(grant.state()).isEqualTo(GrantState.REVOKED));
	}

	/**
	 * A wave of deletions costs the same statements whatever its size: the inbox, the
	 * lock timeout and the sorted locks, the tombstones, the revocation with its counts,
	 * and the reports' one batch into the outbox.
	 */
	@Test
	void deletesAWaveOfCustomersInSixStatementsAndReportsEachCount() {
		List<CustomerFixture> deleted = List.of(CustomerFixture.of(this.organization, UUID.randomUUID()),
				CustomerFixture.of(this.organization, UUID.randomUUID()),
				CustomerFixture.of(this.organization, UUID.randomUUID()));
		for (int i = 0; i < deleted.size(); i++) {
			for (int n = 0; n <= i; n++) {
				this.grants.apply(created(subscription(deleted.get(i).customerId())));
			}
		}
		List<ConsumerRecord<String, Object>> deletions = deleted.stream()
			.map(customer -> record(Topic.CUSTOMER_EVENTS, customer.customerId(), customer.deleted().build()))
			.toList();

		List<String> sent = this.statements.record();
		this.customers.on(deletions);
		this.statements.stop();

		assertThat(sent).hasSize(6);
		for (int i = 0; i < deleted.size(); i++) {
			UUID customer = deleted.get(i).customerId();
			assertThat(this.grants.entitlements(this.organization, customer)).isEmpty();
			assertThat(revocationReport(customer).getRevokedCount()).isEqualTo(3 * (i + 1));
		}
	}

	@Test
	void commitsTheDeletionsBeforeARecordThatFailsAndThrowsAtItsIndex() {
		CustomerFixture first = CustomerFixture.of(this.organization, UUID.randomUUID());
		CustomerFixture last = CustomerFixture.of(this.organization, UUID.randomUUID());
		this.grants.apply(created(subscription(first.customerId())));
		this.grants.apply(created(subscription(last.customerId())));
		CustomerDeleted broken = CustomerFixture.random().deleted().setCustomerId("not-a-customer-id").build();

		assertThatExceptionOfType(BatchListenerFailedException.class)
			.isThrownBy(() -> this.customers
				.on(List.of(record(Topic.CUSTOMER_EVENTS, first.customerId(), first.deleted().build()),
						record(Topic.CUSTOMER_EVENTS, UUID.randomUUID(), broken),
						record(Topic.CUSTOMER_EVENTS, last.customerId(), last.deleted().build()))))
			.satisfies(failure -> assertThat(failure.getIndex()).isEqualTo(1));

		assertThat(this.grants.entitlements(this.organization, first.customerId())).isEmpty();
		assertThat(this.grants.entitlements(this.organization, last.customerId())).hasSize(3);
	}

	/**
	 * One key (so one partition, in order) for a deletion, one that fails for good and
	 * another: the failing one is retried alone and dead-lettered alone, the two others
	 * commit.
	 */
	@Test
	void deadLettersAFailingDeletionAloneWhileTheOthersOfItsBatchCommit() {
		CustomerFixture before = CustomerFixture.of(this.organization, UUID.randomUUID());
		CustomerFixture after = CustomerFixture.of(this.organization, UUID.randomUUID());
		this.grants.apply(created(subscription(before.customerId())));
		this.grants.apply(created(subscription(after.customerId())));
		String key = UUID.randomUUID().toString();
		CustomerDeleted broken = CustomerFixture.random().deleted().setCustomerId("not-a-customer-id").build();

		this.topics.send(Topic.CUSTOMER_EVENTS.topicName(), key, before.deleted().build(), broken,
				after.deleted().build());

		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(List.of(before, after))
				.allSatisfy(customer -> assertThat(this.grants.entitlements(this.organization, customer.customerId()))
					.isEmpty()));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> TopicContents.read(this.bootstrapServers, CUSTOMER_DEAD_LETTERS)
				.stream()
				.anyMatch(record -> key.equals(record.key())));
		assertThat(TopicContents.read(this.bootstrapServers, CUSTOMER_DEAD_LETTERS))
			.filteredOn(record -> key.equals(record.key()))
			.singleElement()
			.satisfies(record -> assertThat(new String(record.value(), StandardCharsets.ISO_8859_1))
				.contains("not-a-customer-id"));
		assertThat(revocationReport(before.customerId()).getRevokedCount()).isEqualTo(3);
	}

	private SubscriptionFixture subscription(UUID customer) {
		return SubscriptionFixture.of(this.organization, customer, this.product);
	}

	private SubscriptionChanged created(SubscriptionFixture sub) {
		return new SubscriptionChanged(SubscriptionChange.CREATED, this.organization, sub.customerId(),
				sub.subscriptionId(), this.product, 1, Instant.now());
	}

	/** A record as a poll of {@code topic} returns it (partition 0, a fresh offset). */
	private static ConsumerRecord<String, Object> record(Topic topic, Object key, SpecificRecord value) {
		return new ConsumerRecord<>(topic.topicName(), 0, offsets.incrementAndGet(), key.toString(), value);
	}

	private CustomerRevocationCompleted revocationReport(UUID customer) {
		return await().atMost(Duration.ofSeconds(20))
			.until(() -> this.topics.decoded(Topic.CUSTOMER_REVOCATIONS.topicName())
				.stream()
				.filter(record -> customer.toString().equals(record.key()))
				.map(record -> record.value(CustomerRevocationCompleted.class))
				.findFirst()
				.orElse(null), Objects::nonNull);
	}

}
