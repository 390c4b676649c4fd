package dev.subscriptions.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.infrastructure.ServiceProcess;
import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * SIGTERM while Kafka is up: every event committed before the web server stopped is published before the process
 * exits, not at its next start. customer-service runs alone here, from its jar, with a relay that publishes one row per
 * batch so that a backlog is waiting when the signal comes (and a drain timeout that a slow test machine cannot miss).
 */
class GracefulShutdownEndToEndTests {

	private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void publishesEveryEventCommittedBeforeSigtermBeforeItExits() throws Exception {
		String database = SharedInfrastructure.newDatabase("shutdown_customer");
		ServiceProcess customers = ServiceProcess
			.of(Path.of(".."), "customer-service", 0, SharedInfrastructure.postgresql(), database,
					SharedInfrastructure.kafka().bootstrapServers(),
					SharedInfrastructure.schemaRegistry().confluentApiUrl(),
					Path.of("target", "service-logs", "graceful-shutdown"))
			.withJvmOption("-XX:TieredStopAtLevel=1")
			.withJvmOption("-Deventing.relay.batch-size=1")
			.withJvmOption("-Deventing.relay.drain-timeout=30s")
			.start()
			.awaitHealthy(Duration.ofMinutes(4));
		UUID organization = UUID.randomUUID();
		Set<String> created = ConcurrentHashMap.newKeySet();
		ExecutorService pool = Executors.newFixedThreadPool(16);
		List<CompletableFuture<Void>> requests;
		try {
			requests = java.util.stream.IntStream.range(0, 600)
				.mapToObj(i -> CompletableFuture.runAsync(() -> create(customers, organization, i, created), pool))
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
		System.out.printf("%d customers created before SIGTERM stopped the server; %d outbox rows left%n",
				created.size(), waiting);
		assertThat(waiting).isZero();
		assertThat(customersCreatedOnTopic(created)).containsExactlyInAnyOrderElementsOf(created);
	}

	/** Creates a customer; requests refused because the server is shutting down are not counted. */
	private void create(ServiceProcess customers, UUID organization, int i, Set<String> created) {
		String body = """
				{"organizationId": "%s", "email": "shutdown%d-%s@example.com", "name": "Shutdown %d"}"""
			.formatted(organization, i, organization, i);
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(URI.create(customers.baseUrl() + "/customers"))
						.header("Content-Type", "application/json")
						.timeout(Duration.ofSeconds(30))
						.POST(HttpRequest.BodyPublishers.ofString(body))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			Matcher id = ID.matcher(response.body());
			if (response.statusCode() == 201 && id.find()) {
				created.add(id.group(1));
			}
		}
		catch (IOException ex) {
			// refused or cut off by the shutdown: the client does not know the outcome, so the test does not count it
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The customers of {@code ids} that have a CustomerCreated on customer.events. */
	private Set<String> customersCreatedOnTopic(Set<String> ids) {
		Set<String> found = new HashSet<>();
		for (ConsumerRecord<String, byte[]> record : Topics.read("customer.events")) {
			if (ids.contains(record.key()) && Topics.decode(record) instanceof CustomerCreated) {
				found.add(record.key());
			}
		}
		return found;
	}

}
