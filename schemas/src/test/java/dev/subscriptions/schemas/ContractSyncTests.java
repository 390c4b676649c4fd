package dev.subscriptions.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.schemas.fixtures.ContractFixtures;
import dev.subscriptions.schemas.fixtures.CustomerFixture;

/**
 * Keeps the lists of the contract in step (as spring-petclinic's
 * {@code I18nPropertiesSyncTest} keeps its message files): the schema files, the event
 * types of each {@link Topic}, their published versions and the fixtures.
 */
class ContractSyncTests {

	private static final Path SOURCES = Path.of("src", "main", "avro");

	private static final Path PUBLISHED = Path.of("published");

	private static final List<String> CUSTOMER_HEADER = List.of("event_id", "occurred_at", "organization_id",
			"customer_id");

	private static final List<String> SUBSCRIPTION_HEADER = List.of("event_id", "occurred_at", "organization_id",
			"customer_id", "subscription_id", "product_id", "sequence");

	private static final List<String> BILLING_HEADER = List.of("event_id", "occurred_at", "provider",
			"provider_subscription_id");

	@Test
	void listsEverySchemaFileUnderExactlyOneTopic() {
		List<String> listed = Arrays.stream(Topic.values())
			.flatMap(topic -> topic.eventSchemas().stream())
			.map(Schema::getFullName)
			.toList();

		assertThat(listed).doesNotHaveDuplicates();
		assertThat(listed).containsExactlyInAnyOrderElementsOf(schemaFiles());
	}

	@Test
	void publishesOnlyEventTypesOfTheirTopic() {
		for (Path topicDirectory : list(PUBLISHED)) {
			Topic topic = Topic.named(topicDirectory.getFileName().toString()).orElse(null);
			assertThat(topic).as("published/%s is not a topic", topicDirectory.getFileName()).isNotNull();
			assertThat(list(topicDirectory)).map(type -> type.getFileName().toString())
				.isSubsetOf(topic.eventSchemas().stream().map(Schema::getFullName).toList());
		}
	}

	@Test
	void hasAFixtureForEveryEventTypeOfEveryTopic() {
		assertThat(ContractFixtures.oneOfEach()).map(record -> record.getSchema().getFullName())
			.containsExactlyInAnyOrderElementsOf(Arrays.stream(Topic.values())
				.flatMap(topic -> topic.eventSchemas().stream())
				.map(Schema::getFullName)
				.toList());
	}

	@Test
	void buildsFixturesThatReadBackEqualThroughTheirSchema() {
		for (SpecificRecord record : ContractFixtures.oneOfEach()) {
			assertThat(roundTrip(record)).as(record.getSchema().getName()).isEqualTo(record);
		}
	}

	@Test
	void startsEveryEventWithTheFieldsOfItsTopicsHeader() {
		for (Topic topic : Topic.values()) {
			List<String> header = switch (topic) {
				case SUBSCRIPTION_EVENTS -> SUBSCRIPTION_HEADER;
				case BILLING_EVENTS -> BILLING_HEADER;
				case CUSTOMER_EVENTS, CUSTOMER_REVOCATIONS -> CUSTOMER_HEADER;
			};
			for (Schema schema : topic.eventSchemas()) {
				assertThat(schema.getFields()).as(schema.getName())
					.map(Schema.Field::name)
					.startsWith(header.toArray(String[]::new));
			}
		}
	}

	@Test
	void answersADeletionWithAReportPairedByItsEventId() {
		CustomerDeleted deleted = CustomerFixture.random().deleted().build();
		Instant completedAt = Instant.parse("2026-12-01T10:15:30.123Z");

		CustomerRevocationCompleted report = RevocationReport.completed(deleted, "benefit", 3, completedAt);

		assertThat(report.getCustomerEventId()).isEqualTo(deleted.getEventId());
		assertThat(report.getCustomerId()).isEqualTo(deleted.getCustomerId());
		assertThat(report.getOrganizationId()).isEqualTo(deleted.getOrganizationId());
		assertThat(report.getEventId()).isNotEqualTo(deleted.getEventId());
		assertThat(report.getService()).isEqualTo("benefit");
		assertThat(report.getRevokedCount()).isEqualTo(3);
		assertThat(report.getCompletedAt()).isEqualTo(completedAt);
		assertThat(report.getOccurredAt()).isEqualTo(completedAt);
	}

	@Test
	void findsTopicsByName() {
		assertThat(Topic.named(Topic.Names.SUBSCRIPTION_EVENTS)).contains(Topic.SUBSCRIPTION_EVENTS);
		assertThat(Topic.named("subscription.events.benefit-service.DLT")).isEmpty();
		assertThat(Arrays.stream(Topic.values()).map(Topic::topicName)).containsExactly(Topic.Names.CUSTOMER_EVENTS,
				Topic.Names.SUBSCRIPTION_EVENTS, Topic.Names.CUSTOMER_REVOCATIONS, Topic.Names.BILLING_EVENTS);
	}

	private static Set<String> schemaFiles() {
		return list(SOURCES).stream().map(file -> {
			try {
				return new Schema.Parser().parse(file.toFile()).getFullName();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}).collect(Collectors.toSet());
	}

	private static List<Path> list(Path directory) {
		try (Stream<Path> entries = Files.list(directory)) {
			return entries.sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static <R extends SpecificRecord> R roundTrip(R record) {
		try {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
			new SpecificDatumWriter<R>(record.getSchema()).write(record, encoder);
			encoder.flush();
			return new SpecificDatumReader<R>((Class<R>) record.getClass()).read(null,
					DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
