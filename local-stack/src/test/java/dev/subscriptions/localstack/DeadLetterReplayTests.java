package dev.subscriptions.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.subscriptions.infrastructure.EmbeddedKafka;
import dev.subscriptions.infrastructure.KafkaSecurity;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.infrastructure.TopicContents;

/**
 * {@code local-stack.jar replay} against a real broker, with dead letters as the
 * consumers' error handler writes them.
 */
class DeadLetterReplayTests {

	private final String bootstrap = SharedInfrastructure.kafka().bootstrapServers();

	private final String source = "replay-source-" + UUID.randomUUID();

	private final String other = "replay-other-" + UUID.randomUUID();

	private final String deadLetters = this.source + ".DLT";

	private final PrintStream console = System.out;

	private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

	@BeforeEach
	void createTopics() throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrap))) {
			admin.createTopics(List.of(new NewTopic(this.source, 3, (short) 1), new NewTopic(this.other, 1, (short) 1),
					new NewTopic(this.deadLetters, 3, (short) 1)))
				.all()
				.get();
		}
		System.setOut(new PrintStream(this.printed, true, StandardCharsets.UTF_8));
	}

	@AfterEach
	void restoreConsole() {
		System.setOut(this.console);
	}

	@Test
	void sendsEachDeadLetterBackToItsTopicWithItsBytesKeyAndOwnHeadersOnlyOnce() throws Exception {
		byte[] value = { 0, 0, 0, 0, 9, 42, 7 };
		deadLetter("customer-1", value, this.source);
		deadLetter("customer-2", new byte[] { 1, 2, 3 }, this.source);

		DeadLetterReplay.main(new String[] { "replay", this.deadLetters, "--bootstrap-servers", this.bootstrap });
		DeadLetterReplay.main(new String[] { "replay", this.deadLetters, "--bootstrap-servers", this.bootstrap });

		List<ConsumerRecord<String, byte[]>> replayed = readAtLeast(this.source, 2);
		assertThat(replayed).hasSize(2);
		ConsumerRecord<String, byte[]> first = replayed.stream()
			.filter(record -> "customer-1".equals(record.key()))
			.findFirst()
			.orElseThrow();
		assertThat(first.value()).isEqualTo(value);
		assertThat(first.headers().toArray()).extracting(Header::key).containsExactly("event_type");
		assertThat(new String(first.headers().lastHeader("event_type").value(), StandardCharsets.UTF_8))
			.isEqualTo("CustomerDeleted");
		assertThat(this.printed.toString(StandardCharsets.UTF_8))
			.contains("Replayed 2 dead letters from " + this.deadLetters + " to " + this.source)
			.contains("Nothing to replay from " + this.deadLetters);
	}

	@Test
	void sendsDeadLettersToAnotherTopicWhenTold() throws Exception {
		deadLetter("customer-3", new byte[] { 4, 5 }, this.source);

		DeadLetterReplay.main(new String[] { "replay", this.deadLetters, "--to", this.other, "--bootstrap-servers",
				this.bootstrap, "--group", "replay-" + UUID.randomUUID() });

		assertThat(readAtLeast(this.other, 1)).extracting(ConsumerRecord::value).containsExactly(new byte[] { 4, 5 });
		assertThat(readAtLeast(this.source, 0)).isEmpty();
	}

	@Test
	void replaysOnASecuredClusterWithTheClientSettingsOfACommandConfigFile(@TempDir Path directory) throws Exception {
		try (EmbeddedKafka secured = EmbeddedKafka.start(0, 0, null,
				KafkaSecurity.scram("broker", Map.of("broker", "broker-s3cret", "operator", "operator-s3cret")))) {
			Map<String, Object> operator = new HashMap<>(KafkaSecurity.clientProperties("operator", "operator-s3cret"));
			operator.put("bootstrap.servers", secured.bootstrapServers());
			try (Admin admin = Admin.create(operator)) {
				admin
					.createTopics(List.of(new NewTopic(this.source, 1, (short) 1),
							new NewTopic(this.deadLetters, 1, (short) 1)))
					.all()
					.get();
			}
			deadLetter(operator, "customer-4", new byte[] { 6, 7 }, this.source);
			Properties settings = new Properties();
			KafkaSecurity.clientProperties("operator", "operator-s3cret")
				.forEach((name, value) -> settings.setProperty(name, value.toString()));
			Path commandConfig = directory.resolve("client.properties");
			try (Writer writer = Files.newBufferedWriter(commandConfig)) {
				settings.store(writer, "the operator's client settings");
			}

			DeadLetterReplay.main(new String[] { "replay", this.deadLetters, "--bootstrap-servers",
					secured.bootstrapServers(), "--command-config", commandConfig.toString() });

			assertThat(this.printed.toString(StandardCharsets.UTF_8))
				.contains("Replayed 1 dead letters from " + this.deadLetters + " to " + this.source);
			try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(operator, new StringDeserializer(),
					new ByteArrayDeserializer())) {
				TopicPartition partition = new TopicPartition(this.source, 0);
				consumer.assign(List.of(partition));
				consumer.seekToBeginning(List.of(partition));
				List<ConsumerRecord<String, byte[]>> replayed = new ArrayList<>();
				await().atMost(Duration.ofSeconds(20)).until(() -> {
					consumer.poll(Duration.ofMillis(200)).forEach(replayed::add);
					return !replayed.isEmpty();
				});
				assertThat(replayed).extracting(ConsumerRecord::value).containsExactly(new byte[] { 6, 7 });
			}
		}
	}

	private void deadLetter(String key, byte[] value, String originalTopic) throws Exception {
		deadLetter(Map.of("bootstrap.servers", this.bootstrap), key, value, originalTopic);
	}

	private void deadLetter(Map<String, Object> client, String key, byte[] value, String originalTopic)
			throws Exception {
		RecordHeaders headers = new RecordHeaders();
		headers.add("event_type", "CustomerDeleted".getBytes(StandardCharsets.UTF_8));
		headers.add("kafka_dlt-original-topic", originalTopic.getBytes(StandardCharsets.UTF_8));
		headers.add("kafka_dlt-original-offset", new byte[] { 0, 0, 0, 0, 0, 0, 0, 5 });
		headers.add("kafka_dlt-exception-message", "Refusing customer".getBytes(StandardCharsets.UTF_8));
		headers.add("dlt-root-cause-fqcn", "java.lang.IllegalStateException".getBytes(StandardCharsets.UTF_8));
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(client, new ByteArraySerializer(),
				new ByteArraySerializer())) {
			producer
				.send(new ProducerRecord<>(this.deadLetters, null, key.getBytes(StandardCharsets.UTF_8), value,
						headers))
				.get();
		}
	}

	/**
	 * Reads a topic from the beginning until it has {@code count} records, then a little
	 * longer for any more.
	 */
	private List<ConsumerRecord<String, byte[]>> readAtLeast(String topic, int count) {
		try (TopicContents.Follower follower = TopicContents.follow(this.bootstrap, topic)) {
			await().atMost(Duration.ofSeconds(20)).until(follower::poll, records -> records.size() >= count);
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(follower::poll, records -> true);
			return follower.poll();
		}
	}

}
