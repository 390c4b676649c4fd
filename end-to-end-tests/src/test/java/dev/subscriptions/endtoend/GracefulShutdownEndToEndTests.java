package dev.subscriptions.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.infrastructure.ServiceProcess;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.schemas.Topic;

/**
 * SIGTERM while Kafka is up: every event committed before the web server stopped is
 * published before the process exits, not at its next start. customer-service runs alone
 * here, from its jar, with a relay that publishes one row per batch so that a backlog is
 * waiting when the signal comes (and a drain timeout that a slow test machine cannot
 * miss).
 */
class GracefulShutdownEndToEndTests {

	@Test
	void publishesEveryEventCommittedBeforeSigtermBeforeItExits(TestReporter reporter) throws Exception {
		String database = SharedInfrastructure.newDatabase("shutdown_customer");
		ServiceProcess customers = AuthorizationServer
			.trustedBy(ServiceProcess.of(Path.of(".."), "customer-service", 0, SharedInfrastructure.postgresql(),
					database, SharedInfrastructure.kafka().bootstrapServers(),
					SharedInfrastructure.schemaRegistry().confluentApiUrl(),
					Path.of("target", "service-logs", "graceful-shutdown")))
			.withJvmOption("-XX:TieredStopAtLevel=1")
			.withJvmOption("-Deventing.relay.batch-size=1")
			.withJvmOption("-Deventing.relay.drain-timeout=30s")
			.start()
			.awaitHealthy(Duration.ofMinutes(4));
		UUID organization = UUID.randomUUID();
		Api api = Api.customerService(customers.baseUrl(), organization);
		Set<String> created = ConcurrentHashMap.newKeySet();
		ExecutorService pool = Executors.newFixedThreadPool(16);
		List<CompletableFuture<Void>> requests;
		try {
			requests = IntStream.range(0, 600)
				.mapToObj(i -> CompletableFuture.runAsync(() -> create(api, organization, i, created), pool))
				.toList();
			await().atMost(Duration.ofSeconds(60)).until(() -> created.size() >= 300);
			customers.terminate(Duration.ofSeconds(60));
			CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
		}
		finally {
			pool.shutdownNow();
			customers.close();
		}

		Integer waiting = new JdbcTemplate(SharedInfrastructure.postgresql().dataSource(database))
			.queryForObject("select count(*) from outbox", Integer.class);
		reporter.publishEntry("graceful shutdown", created.size()
				+ " customers created before SIGTERM stopped the server; " + waiting + " outbox rows left");
		assertThat(waiting).isZero();
		assertThat(customersCreatedOnTopic(created)).containsExactlyInAnyOrderElementsOf(created);
	}

	/**
	 * Creates a customer; requests refused because the server is shutting down are not
	 * counted.
	 */
	private static void create(Api customers, UUID organization, int i, Set<String> created) {
		customers.tryCreateCustomer("shutdown" + i + "-" + organization + "@example.com").ifPresent(created::add);
	}

	/** The customers of {@code ids} that have a CustomerCreated on customer.events. */
	private Set<String> customersCreatedOnTopic(Set<String> ids) {
		Set<String> found = new HashSet<>();
		for (EventTopics.Decoded record : EventTopics.shared().decoded(Topic.CUSTOMER_EVENTS.topicName())) {
			if (ids.contains(record.key()) && record.value() instanceof CustomerCreated) {
				found.add(record.key());
			}
		}
		return found;
	}

}
