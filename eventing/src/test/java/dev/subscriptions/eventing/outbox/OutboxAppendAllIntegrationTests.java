package dev.subscriptions.eventing.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.EventingTestApplication;
import dev.subscriptions.eventing.TestEvents;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;

/**
 * {@link Outbox#appendAll} against real PostgreSQL, with the driver's
 * {@code reWriteBatchedInserts} (as the services run it) and without: positions in the
 * order of the list, the headers of each event, one wake-up of the relay per commit, and
 * the events published.
 */
@SpringBootTest
@Import(EmbeddedInfrastructure.class)
class OutboxAppendAllIntegrationTests {

	private static final String TOPIC = EventingTestApplication.PUBLISHED_TOPIC;

	private final String bootstrapServers;

	@Autowired
	Environment environment;

	@Autowired
	Serializer<Object> eventSerializer;

	OutboxAppendAllIntegrationTests(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	@ParameterizedTest(name = "reWriteBatchedInserts={0}")
	@ValueSource(booleans = { true, false })
	void appendsEventsInTheOrderGivenWithTheirHeadersAndSignalsOncePerCommit(boolean rewrite) {
		SingleConnectionDataSource dataSource = dataSource(rewrite);
		try {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
			CountingSignal signal = new CountingSignal();
			Outbox outbox = new Outbox(jdbc, this.eventSerializer, signal);
			String first = UUID.randomUUID().toString();
			String second = UUID.randomUUID().toString();
			CustomerCreated created = TestEvents.customerCreated(first, "First");
			CustomerDeleted deleted = TestEvents.customerDeleted(first);
			CustomerCreated other = TestEvents.customerCreated(second, "Second");

			List<UUID> positionsOrder = transactions.execute(status -> {
				List<UUID> ids = outbox.appendAll(List.of(new Outbox.Event(TOPIC, first, created),
						new Outbox.Event(TOPIC, second, other), new Outbox.Event(TOPIC, first, deleted)));
				assertThat(ids).containsExactly(UUID.fromString(created.getEventId()),
						UUID.fromString(other.getEventId()), UUID.fromString(deleted.getEventId()));
				assertThat(signal.count()).isZero();
				return jdbc.queryForList("select id from outbox where id = any(?) order by position", UUID.class,
						(Object) ids.toArray(UUID[]::new));
			});

			assertThat(positionsOrder).containsExactly(UUID.fromString(created.getEventId()),
					UUID.fromString(other.getEventId()), UUID.fromString(deleted.getEventId()));
			assertThat(signal.count()).isEqualTo(1);
			List<ConsumerRecord<String, byte[]>> published = await().atMost(Duration.ofSeconds(20))
				.until(() -> TopicContents.read(this.bootstrapServers, TOPIC)
					.stream()
					.filter(record -> first.equals(record.key()) || second.equals(record.key()))
					.toList(), records -> records.size() == 3);
			assertThat(published.stream().filter(record -> first.equals(record.key()))).extracting(
					record -> header(record, Outbox.EVENT_TYPE_HEADER) + " " + header(record, Outbox.EVENT_ID_HEADER))
				.containsExactly("CustomerCreated " + created.getEventId(), "CustomerDeleted " + deleted.getEventId());
		}
		finally {
			dataSource.destroy();
		}
	}

	@ParameterizedTest(name = "reWriteBatchedInserts={0}")
	@ValueSource(booleans = { true, false })
	void appendsNothingAndSignalsNothingWhenTheTransactionRollsBack(boolean rewrite) {
		SingleConnectionDataSource dataSource = dataSource(rewrite);
		try {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
			CountingSignal signal = new CountingSignal();
			Outbox outbox = new Outbox(jdbc, this.eventSerializer, signal);
			String key = UUID.randomUUID().toString();
			CustomerDeleted deleted = TestEvents.customerDeleted(key);

			transactions.executeWithoutResult(status -> {
				outbox.appendAll(List.of(new Outbox.Event(TOPIC, key, deleted)));
				status.setRollbackOnly();
			});

			assertThat(signal.count()).isZero();
			assertThat(jdbc.queryForObject("select count(*) from outbox where id = ?", Integer.class,
					UUID.fromString(deleted.getEventId())))
				.isZero();
			List<UUID> none = transactions.execute(status -> outbox.appendAll(List.of()));
			assertThat(none).isEmpty();
			assertThat(signal.count()).isZero();
			assertThatIllegalStateException()
				.isThrownBy(() -> outbox.appendAll(List.of(new Outbox.Event(TOPIC, key, deleted))))
				.withMessageContaining("inside the transaction");
		}
		finally {
			dataSource.destroy();
		}
	}

	/** A connection of its own to the test's database, with or without the rewrite. */
	private SingleConnectionDataSource dataSource(boolean rewrite) {
		SingleConnectionDataSource dataSource = new SingleConnectionDataSource(
				this.environment.getRequiredProperty("spring.datasource.url"),
				this.environment.getRequiredProperty("spring.datasource.username"),
				this.environment.getRequiredProperty("spring.datasource.password"), true);
		Properties properties = new Properties();
		properties.setProperty("reWriteBatchedInserts", Boolean.toString(rewrite));
		dataSource.setConnectionProperties(properties);
		return dataSource;
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	private static final class CountingSignal extends OutboxSignal {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public void eventsCommitted() {
			this.count.incrementAndGet();
			super.eventsCommitted();
		}

		int count() {
			return this.count.get();
		}

	}

}
