package dev.subscriptions.benefitservice.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.consumer.DeadLetters;
import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.benefitservice.BenefitServiceIntegrationTest;
import dev.subscriptions.benefitservice.benefit.BenefitManagement;
import dev.subscriptions.benefitservice.benefit.BenefitType;
import dev.subscriptions.infrastructure.OpenTransaction;
import dev.subscriptions.infrastructure.TopicContents;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.SubscriptionFixture;

/**
 * A transaction that holds a customer's lock and stalls does not hold up that customer's
 * other events for long: the server ends its session after the idle-in-transaction
 * timeout, and waits for the lock are bounded by the lock timeout, a transient failure
 * that the consumer retries (here, with two attempts allowed for failures of the record,
 * it would otherwise dead-letter the waiting event long before the holder is ended).
 * Timeouts are short here and set through the environment overrides of
 * {@code application.yml}.
 */
@BenefitServiceIntegrationTest
@TestPropertySource(properties = { "DATABASE_IDLE_IN_TRANSACTION_TIMEOUT=5s", "CUSTOMER_LOCK_TIMEOUT=500ms",
		"eventing.consumer.attempts=2" })
class CustomerLockTimeoutIntegrationTests {

	private static final String DEAD_LETTERS = "subscription.events.benefit-service.DLT";

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Autowired
	EventTopics topics;

	@Autowired
	GrantManagement grants;

	@Autowired
	BenefitManagement benefits;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DataSource dataSource;

	private final UUID organization = UUID.randomUUID();

	private final UUID product = UUID.randomUUID();

	private final UUID customer = UUID.randomUUID();

	@BeforeEach
	void productWithThreeBenefitsAndAConsumerAtWork() {
		List<UUID> ids = new ArrayList<>();
		for (String key : List.of("reports", "api", "community")) {
			ids.add(this.benefits.create(this.organization, BenefitType.FEATURE_FLAG, key, null, null).getId());
		}
		this.benefits.mapProduct(this.organization, this.product, ids);
		SubscriptionFixture first = SubscriptionFixture.of(this.organization, UUID.randomUUID(), this.product);
		this.topics.send(Topic.SUBSCRIPTION_EVENTS, first.subscriptionId(), first.created().build());
		await().atMost(Duration.ofSeconds(60)).until(() -> activeGrants(first.subscriptionId()) == 3);
	}

	@Test
	void endsAHolderOfTheCustomersLockIdleInTransactionAndThenHandlesTheCustomersWaitingEvent(TestReporter reporter) {
		UUID heldSubscription = UUID.randomUUID();
		OpenTransaction holder = OpenTransaction.begin(this.transactions, this.jdbc,
				() -> this.grants.apply(created(heldSubscription)));
		SubscriptionFixture waiting = SubscriptionFixture.of(this.organization, this.customer, this.product);

		this.topics.send(Topic.SUBSCRIPTION_EVENTS, waiting.subscriptionId(), waiting.created().build());
		Instant sent = Instant.now();

		Set<Instant> lockWaits = new HashSet<>();
		await().atMost(Duration.ofSeconds(4)).until(() -> {
			lockWaits.addAll(lockWaitsBlockedBy(holder));
			return lockWaits.size() >= 2;
		});
		assertThat(activeGrants(waiting.subscriptionId())).isZero();
		await().atMost(Duration.ofSeconds(30)).until(holder::sessionEnded);
		assertThat(catchThrowable(holder::commit)).isNotNull();
		await().atMost(Duration.ofSeconds(30)).until(() -> activeGrants(waiting.subscriptionId()) == 3);
		reporter.publishEntry("waiting event handled after (ms)",
				String.valueOf(Duration.between(sent, Instant.now()).toMillis()));
		reporter.publishEntry("lock waits seen in the first 4 s", String.valueOf(lockWaits.size()));
		assertThat(activeGrants(heldSubscription)).isZero();
		assertThat(deadLetterKeys()).doesNotContain(waiting.subscriptionId().toString());
	}

	@Test
	void failsAWaitForTheCustomersLockAfterTheLockTimeoutWithATransientFailure() {
		OpenTransaction holder = OpenTransaction.begin(this.transactions, this.jdbc,
				() -> this.grants.apply(created(UUID.randomUUID())));
		UUID waiting = UUID.randomUUID();

		assertThatExceptionOfType(CannotAcquireLockException.class)
			.isThrownBy(() -> this.grants.apply(created(waiting)))
			.isInstanceOf(TransientDataAccessException.class);

		holder.commit();
		assertThat(this.grants.apply(created(waiting))).isTrue();
		assertThat(activeGrants(waiting)).isEqualTo(3);
	}

	@Test
	void failsAWaitForTheCustomersOfABatchAfterTheLockTimeoutWithAFailureRetriedAsAnOutage() {
		OpenTransaction holder = OpenTransaction.begin(this.transactions, this.jdbc,
				() -> this.grants.apply(created(UUID.randomUUID())));
		UUID waiting = UUID.randomUUID();

		Throwable failure = catchThrowable(() -> this.grants.applyAll(List.of(created(waiting))));
		assertThat(failure).isInstanceOf(CannotAcquireLockException.class);
		assertThat(DeadLetters.classify(failure)).isEqualTo(DeadLetters.Failure.OUTAGE);
		assertThat(catchThrowable(() -> this.grants.revokeAllOfDeletedCustomers(List.of(this.customer))))
			.isInstanceOf(CannotAcquireLockException.class);

		holder.commit();
		this.grants.applyAll(List.of(created(waiting)));
		assertThat(activeGrants(waiting)).isEqualTo(3);
	}

	@Test
	void connectsWithTheSessionAndSocketTimeoutsOfTheEnvironment() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			assertThat(connection.getNetworkTimeout()).isEqualTo(30_000);
		}
		assertThat(this.jdbc.queryForObject("show idle_in_transaction_session_timeout", String.class)).isEqualTo("5s");
		assertThat(this.dataSource.unwrap(HikariDataSource.class).getDataSourceProperties())
			.containsEntry("tcpKeepAlive", "true");
	}

	private SubscriptionChanged created(UUID subscription) {
		return new SubscriptionChanged(SubscriptionChange.CREATED, this.organization, this.customer, subscription,
				this.product, 1, Instant.now());
	}

	private int activeGrants(UUID subscription) {
		return this.grants.find(this.organization, null, subscription, GrantState.ACTIVE).size();
	}

	/** When each current wait for a lock that {@code holder} holds began. */
	private List<Instant> lockWaitsBlockedBy(OpenTransaction holder) {
		return this.jdbc.query(
				"select waitstart from pg_locks where not granted and waitstart is not null"
						+ " and ? = any(pg_blocking_pids(pid))",
				(rs, row) -> rs.getTimestamp(1).toInstant(), holder.backendPid());
	}

	/**
	 * The keys of every record in the dead-letter topic of subscription events, read to
	 * its end.
	 */
	private List<String> deadLetterKeys() {
		return TopicContents.read(this.bootstrapServers, DEAD_LETTERS).stream().map(ConsumerRecord::key).toList();
	}

}
