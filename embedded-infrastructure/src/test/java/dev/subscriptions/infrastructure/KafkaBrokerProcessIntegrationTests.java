package dev.subscriptions.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerProcessIntegrationTests {

	@TempDir
	Path directory;

	@Test
	void keepsItsRecordsAcrossAStopAndAKillOnTheSamePort() throws Exception {
		try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(this.directory.resolve("kafka"),
				this.directory.resolve("kafka.log"))) {
			String topic = "restarts-" + UUID.randomUUID();
			try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
				admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
			}
			send(broker, topic, "before the stop");

			broker.stop();
			assertThat(broker.isAlive()).isFalse();
			broker.start();
			send(broker, topic, "after the stop");
			broker.kill();
			assertThat(broker.isAlive()).isFalse();
			broker.start();

			assertThat(read(broker, topic)).containsExactly("before the stop", "after the stop");
		}
	}

	@Test
	void exitsWhenTheBrokerCannotStartInsteadOfLeavingItsStarterWaiting() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("localhost"))) {
			assertThatIllegalStateException()
				.isThrownBy(() -> KafkaBrokerProcess.start(taken.getLocalPort(), Ports.free(),
						this.directory.resolve("kafka"), this.directory.resolve("kafka.log")))
				.withMessageContaining("exited with 1");
		}
		assertThat(this.directory.resolve("kafka.log")).content().contains("The Kafka broker did not start");
	}

	private static void send(KafkaBrokerProcess broker, String topic, String value) throws Exception {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all"), new StringSerializer(),
				new StringSerializer())) {
			producer.send(new ProducerRecord<>(topic, "key", value)).get(30, TimeUnit.SECONDS);
		}
	}

	private static List<String> read(KafkaBrokerProcess broker, String topic) {
		List<String> values = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of("bootstrap.servers", broker.bootstrapServers(), "enable.auto.commit", false),
				new StringDeserializer(), new StringDeserializer())) {
			TopicPartition partition = new TopicPartition(topic, 0);
			consumer.assign(List.of(partition));
			consumer.seekToBeginning(List.of(partition));
			long end = consumer.endOffsets(List.of(partition)).get(partition);
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (consumer.position(partition) < end && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
					values.add(record.value());
				}
			}
		}
		return values;
	}

}
