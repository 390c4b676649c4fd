package dev.subscriptions.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedInfrastructureIntegrationTests {

	@Test
	void runsPostgresql17WithADatabasePerLogin() throws Exception {
		String database = SharedInfrastructure.newDatabase("infra");

		try (Connection connection = SharedInfrastructure.postgresql().dataSource(database).getConnection();
				ResultSet result = connection.createStatement().executeQuery("show server_version_num")) {
			result.next();
			assertThat(result.getInt(1)).isBetween(170000, 179999);
		}
	}

	@Test
	void servesConfluentSchemaRegistryApi() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create(SharedInfrastructure.schemaRegistry().confluentApiUrl() + "/subjects"))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).startsWith("[");
	}

	@Test
	void keepsKafkaRecordsAcrossABrokerOutage() throws Exception {
		EmbeddedKafka kafka = SharedInfrastructure.kafka();
		Map<String, Object> config = Map.of("bootstrap.servers", kafka.bootstrapServers());
		try (Admin admin = Admin.create(config)) {
			admin.createTopics(List.of(new NewTopic("infra.outage", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
				new StringSerializer())) {
			producer.send(new ProducerRecord<>("infra.outage", "k", "before")).get(30, TimeUnit.SECONDS);
			kafka.interrupt();
			var restarted = java.util.concurrent.CompletableFuture.runAsync(kafka::resume,
					java.util.concurrent.CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS));
			producer.send(new ProducerRecord<>("infra.outage", "k", "during")).get(60, TimeUnit.SECONDS);
			restarted.join();
		}
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
				kafka.bootstrapServers(), "group.id", "infra", "auto.offset.reset", "earliest"),
				new StringDeserializer(), new StringDeserializer())) {
			consumer.subscribe(List.of("infra.outage"));
			List<String> values = new java.util.ArrayList<>();
			long deadline = System.currentTimeMillis() + 30_000;
			while (values.size() < 2 && System.currentTimeMillis() < deadline) {
				ConsumerRecords<String, String> records = consumer.poll(java.time.Duration.ofMillis(500));
				records.forEach(record -> values.add(record.value()));
			}
			assertThat(values).containsExactly("before", "during");
		}
	}

}
