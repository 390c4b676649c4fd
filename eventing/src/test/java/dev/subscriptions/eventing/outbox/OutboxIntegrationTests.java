package dev.subscriptions.eventing.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.EventingTestApplication;
import dev.subscriptions.eventing.TestEvents;
import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;

@SpringBootTest
@Import(EmbeddedInfrastructure.class)
class OutboxIntegrationTests {

	private static final String TOPIC = EventingTestApplication.PUBLISHED_TOPIC;

	private final String bootstrapServers;

	private final ConfluentAvroDeserializer deserializer;

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transactions;

	OutboxIntegrationTests(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
			@Value("${eventing.schema-registry.url}") String registryUrl) {
		this.bootstrapServers = bootstrapServers;
		this.deserializer = new ConfluentAvroDeserializer(SchemaRegistryClient.forUrl(registryUrl));
	}

	@Test
	void publishesAnAppendedEventWithKeyAndHeadersOnceItsTransactionCommits() {
		String customerId = UUID.randomUUID().toString();
		CustomerDeleted event = TestEvents.customerDeleted(customerId);

		this.transactions.executeWithoutResult(status -> this.outbox.append(TOPIC, customerId, event));

		ConsumerRecord<String, byte[]> published = await().atMost(Duration.ofSeconds(20))
			.until(() -> find(published(), customerId), record -> record != null);
		assertThat(this.deserializer.deserialize(TOPIC, published.value())).isEqualTo(event);
		assertThat(header(published, "event_type")).isEqualTo("CustomerDeleted");
		assertThat(header(published, "event_id")).isEqualTo(event.getEventId());
	}

	@Test
	void publishesNothingWhenTheTransactionRollsBack() {
		String rolledBack = UUID.randomUUID().toString();
		String committed = UUID.randomUUID().toString();

		this.transactions.executeWithoutResult(status -> {
			this.outbox.append(TOPIC, rolledBack, TestEvents.customerDeleted(rolledBack));
			status.setRollbackOnly();
		});
		this.transactions.executeWithoutResult(
				status -> this.outbox.append(TOPIC, committed, TestEvents.customerDeleted(committed)));

		List<ConsumerRecord<String, byte[]>> records = await().atMost(Duration.ofSeconds(20))
			.until(this::published, all -> find(all, committed) != null);
		assertThat(records).extracting(ConsumerRecord::key).doesNotContain(rolledBack);
	}

	@Test
	void refusesToAppendOutsideATransaction() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.outbox.append(TOPIC, "k", TestEvents.customerDeleted(UUID.randomUUID().toString())))
			.withMessageContaining("inside the transaction");
	}

	/**
	 * An idle relay publishes right after the commit (it is woken, not polled): the
	 * measured commit-to-consumer time stays far below the poll interval of one second.
	 */
	@Test
	void publishesRightAfterTheCommitWhenIdle(TestReporter reporter) throws Exception {
		Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
		AtomicBoolean reading = new AtomicBoolean(true);
		Thread consumer = new Thread(() -> {
			try (TopicContents.Follower reader = TopicContents.follow(this.bootstrapServers, TOPIC)) {
				int seen = 0;
				while (reading.get()) {
					List<ConsumerRecord<String, byte[]>> records = reader.poll();
					long now = System.nanoTime();
					for (; seen < records.size(); seen++) {
						arrivedAt.putIfAbsent(records.get(seen).key(), now);
					}
				}
			}
		});
		consumer.start();
		List<Long> latencies = new ArrayList<>();
		try {
			for (int i = 0; i < 200; i++) {
				String key = UUID.randomUUID().toString();
				long[] committedAt = new long[1];
				this.transactions.executeWithoutResult(status -> {
					TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
						@Override
						public void afterCommit() {
							committedAt[0] = System.nanoTime();
						}
					});
					this.outbox.append(TOPIC, key, TestEvents.customerDeleted(key));
				});
				await().atMost(Duration.ofSeconds(10)).until(() -> arrivedAt.containsKey(key));
				latencies.add(arrivedAt.get(key) - committedAt[0]);
			}
		}
		finally {
			reading.set(false);
			consumer.join();
		}

		List<Long> sorted = latencies.stream().sorted().toList();
		double p50 = sorted.get(sorted.size() / 2) / 1e6;
		double p99 = sorted.get((int) (sorted.size() * 0.99)) / 1e6;
		reporter.publishEntry(String.format("Idle commit-to-consumer latency over %d events: p50 %.1f ms, p99 %.1f ms",
				sorted.size(), p50, p99));
		assertThat(p50).isLessThan(250);
	}

	private List<ConsumerRecord<String, byte[]>> published() {
		return TopicContents.read(this.bootstrapServers, TOPIC);
	}

	private static ConsumerRecord<String, byte[]> find(List<ConsumerRecord<String, byte[]>> records, String key) {
		return records.stream().filter(record -> key.equals(record.key())).findFirst().orElse(null);
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
