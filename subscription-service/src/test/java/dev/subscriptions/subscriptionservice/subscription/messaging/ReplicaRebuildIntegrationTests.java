package dev.subscriptions.subscriptionservice.subscription.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.web.test.ApiResponses;
import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.subscriptionservice.CustomerEventsProducer;
import dev.subscriptions.subscriptionservice.SubscriptionServiceApplication;
import dev.subscriptions.web.security.ApiScopes;
import dev.subscriptions.web.test.TestIdentityProvider;
import dev.subscriptions.web.test.TestTokens;

/**
 * A replica rebuilt from customer.events: subscription-service, started on an empty
 * database under a new consumer group after customers were created and deleted, knows
 * every one of them.
 * <p>
 * customer.events is compacted: for a deleted customer it may keep only the
 * {@code CustomerDeleted} (its {@code CustomerCreated} compacted away), for a live one
 * only its {@code CustomerCreated}. Some deleted customers here have their whole history
 * on the topic and some only what compaction leaves of it.
 */
class ReplicaRebuildIntegrationTests {

	private static final String TOPIC = CustomerEventsProducer.TOPIC;

	private static final int CUSTOMERS = 10;

	private final Admin admin = Admin
		.create(Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers()));

	private final UUID organization = UUID.randomUUID();

	@AfterEach
	void close() {
		this.admin.close();
	}

	@Test
	void knowsEveryLiveAndDeletedCustomerWhenStartedOnAnEmptyDatabaseWithANewGroup() throws Exception {
		createCompactedTopicUnlessItExists();
		List<UUID> live = new ArrayList<>();
		List<UUID> deletedWithHistory = new ArrayList<>();
		List<UUID> deletedOnly = new ArrayList<>();
		CustomerEventsProducer events = new CustomerEventsProducer(EventTopics.shared());
		for (int i = 0; i < CUSTOMERS; i++) {
			live.add(created(events));
			UUID deleted = created(events);
			events.deleted(this.organization, deleted);
			deletedWithHistory.add(deleted);
			UUID compacted = UUID.randomUUID();
			events.deleted(this.organization, compacted);
			deletedOnly.add(compacted);
		}
		Map<TopicPartition, Long> end = endOffsets();
		String group = "replica-rebuild-" + UUID.randomUUID();

		try (ConfigurableApplicationContext service = startOnAnEmptyDatabase(group)) {
			await().atMost(Duration.ofSeconds(90)).until(() -> hasRead(group, end));
			RestTestClient client = TestTokens.authorized(RestTestClient.bindToServer()
				.baseUrl("http://localhost:" + service.getEnvironment().getProperty("local.server.port"))
				.build(), this.organization, ApiScopes.SUBSCRIPTIONS_WRITE);

			assertThat(live)
				.allSatisfy(customer -> assertThat(subscribe(client, customer).getStatus().value()).isEqualTo(201));
			assertThat(Stream.concat(deletedWithHistory.stream(), deletedOnly.stream())).allSatisfy(customer -> {
				EntityExchangeResult<Map<String, Object>> refused = subscribe(client, customer);
				assertThat(refused.getStatus().value()).isEqualTo(409);
				assertThat(refused.getResponseBody()).containsEntry("title", "Customer deleted");
			});
		}
	}

	private UUID created(CustomerEventsProducer events) {
		UUID customer = UUID.randomUUID();
		events.created(this.organization, customer);
		return customer;
	}

	/**
	 * customer-service creates it so in production; in this module's tests whichever test
	 * starts first does.
	 */
	private void createCompactedTopicUnlessItExists() throws Exception {
		try {
			this.admin
				.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1)
					.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
				.all()
				.get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw ex;
			}
		}
	}

	/**
	 * The service as it runs in production, with a new database and the given group,
	 * taking the tokens of {@link TestTokens}.
	 */
	private static ConfigurableApplicationContext startOnAnEmptyDatabase(String group) {
		String database = SharedInfrastructure.newDatabase("rebuild");
		return new SpringApplicationBuilder(SubscriptionServiceApplication.class).run("--server.port=0",
				"--management.server.port=0",
				"--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + TestIdentityProvider.issuer(),
				"--spring.datasource.url=" + SharedInfrastructure.postgresql().jdbcUrl(database),
				"--spring.datasource.username=" + database, "--spring.datasource.password=" + database,
				"--spring.kafka.bootstrap-servers=" + SharedInfrastructure.kafka().bootstrapServers(),
				"--eventing.schema-registry.url=" + SharedInfrastructure.schemaRegistry().confluentApiUrl(),
				"--spring.kafka.consumer.group-id=" + group);
	}

	private Map<TopicPartition, Long> endOffsets() throws Exception {
		List<TopicPartition> partitions = this.admin.describeTopics(List.of(TOPIC))
			.allTopicNames()
			.get(30, TimeUnit.SECONDS)
			.get(TOPIC)
			.partitions()
			.stream()
			.map(partition -> new TopicPartition(TOPIC, partition.partition()))
			.toList();
		return this.admin
			.listOffsets(partitions.stream()
				.collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest())))
			.all()
			.get(30, TimeUnit.SECONDS)
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
	}

	/**
	 * Whether the group has committed, on every partition, an offset at or past the given
	 * end: every record before it has been handled (the listener commits after the
	 * record's transaction).
	 */
	private boolean hasRead(String group, Map<TopicPartition, Long> end) throws Exception {
		Map<TopicPartition, OffsetAndMetadata> committed = this.admin.listConsumerGroupOffsets(group)
			.partitionsToOffsetAndMetadata()
			.get(30, TimeUnit.SECONDS);
		return end.entrySet().stream().allMatch(partition -> {
			OffsetAndMetadata offset = committed.get(partition.getKey());
			long position = (offset != null) ? offset.offset() : 0;
			return position >= partition.getValue();
		});
	}

	private static EntityExchangeResult<Map<String, Object>> subscribe(RestTestClient client, UUID customer) {
		return client.post()
			.uri("/subscriptions")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("customerId", customer.toString(), "productId", UUID.randomUUID().toString(), "amount", 1999,
					"currency", "EUR"))
			.exchange()
			.returnResult(ApiResponses.JSON);
	}

}
