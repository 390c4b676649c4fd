package dev.subscriptions.subscriptionservice.subscription.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.events.subscription.SubscriptionPastDue;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionEvent;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionEvent.Header;

/**
 * Keeps the domain's event types and the schemas of {@code subscription.events} in step
 * (as spring-petclinic's {@code I18nPropertiesSyncTest} keeps its message files): each
 * domain type reaches the outbox as a schema of the topic through the real publisher,
 * dispatched by Spring, and each schema of the topic is produced by a domain type.
 */
class SubscriptionEventContractTests {

	private static final Header HEADER = new Header(UUID.randomUUID(), Instant.parse("2026-11-23T10:00:00Z"),
			UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 7);

	@Test
	void startsEverySchemaOfTheTopicWithTheHeaderFields() {
		assertThat(Topic.SUBSCRIPTION_EVENTS.eventSchemas()).isNotEmpty().allSatisfy(schema -> {
			assertThat(schema.getFields().subList(0, SubscriptionEventPublisher.HEADER_FIELDS.size()))
				.as(schema.getFullName())
				.extracting(Schema.Field::name)
				.containsExactlyElementsOf(SubscriptionEventPublisher.HEADER_FIELDS);
			assertThat(schema.getField("occurred_at").schema().getLogicalType().getName())
				.isEqualTo("timestamp-millis");
			assertThat(schema.getField("sequence").schema().getType()).isEqualTo(Schema.Type.LONG);
		});
	}

	@Test
	void publishesEveryDomainEventTypeAsASchemaOfTheTopicAndEverySchemaOfTheTopicFromADomainType() throws Exception {
		List<SpecificRecord> appended = new ArrayList<>();
		List<Schema> produced = new ArrayList<>();
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.registerBean(Outbox.class, () -> new RecordingOutbox(appended));
			context.registerBean(SubscriptionEventPublisher.class);
			context.refresh();

			for (Class<?> type : SubscriptionEvent.class.getPermittedSubclasses()) {
				appended.clear();
				context.publishEvent(sample(type));

				assertThat(appended).as("what the publisher appends for %s", type.getSimpleName()).singleElement();
				SpecificRecord record = appended.get(0);
				assertThat(Topic.SUBSCRIPTION_EVENTS.eventSchemas()).as(type.getSimpleName())
					.contains(record.getSchema());
				assertThat(record.get(record.getSchema().getField("event_id").pos()))
					.isEqualTo(HEADER.eventId().toString());
				assertThat(record.get(record.getSchema().getField("subscription_id").pos()))
					.isEqualTo(HEADER.subscriptionId().toString());
				assertThat(record.get(record.getSchema().getField("sequence").pos())).isEqualTo(HEADER.sequence());
				produced.add(record.getSchema());
			}
		}

		assertThat(produced).doesNotHaveDuplicates()
			.containsExactlyInAnyOrderElementsOf(Topic.SUBSCRIPTION_EVENTS.eventSchemas());
	}

	@Test
	void writesWhetherTheGraceOfAnOverdueSubscriptionIsOver() {
		List<SpecificRecord> appended = new ArrayList<>();
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.registerBean(Outbox.class, () -> new RecordingOutbox(appended));
			context.registerBean(SubscriptionEventPublisher.class);
			context.refresh();

			context.publishEvent(new SubscriptionEvent.PastDue(HEADER, UUID.randomUUID(), true));
			context.publishEvent(new SubscriptionEvent.PastDue(HEADER, UUID.randomUUID(), false));
		}

		assertThat(appended).extracting(record -> ((SubscriptionPastDue) record).getGraceOver())
			.containsExactly(true, false);
	}

	/**
	 * An event of {@code type} with {@link #HEADER} and some value of each of its other
	 * components.
	 */
	private static Object sample(Class<?> type) throws Exception {
		RecordComponent[] components = type.getRecordComponents();
		Constructor<?> constructor = type
			.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
		return constructor
			.newInstance(Arrays.stream(components).map(component -> valueOf(component.getType())).toArray());
	}

	private static Object valueOf(Class<?> type) {
		if (type == Header.class) {
			return HEADER;
		}
		if (type == UUID.class) {
			return UUID.randomUUID();
		}
		if (type == Instant.class) {
			return HEADER.occurredAt().plusSeconds(60);
		}
		if (type == String.class) {
			return "some_reason";
		}
		if (type == long.class) {
			return 1999L;
		}
		if (type == boolean.class) {
			return true;
		}
		if (type.isEnum()) {
			return type.getEnumConstants()[0];
		}
		throw new IllegalArgumentException("No sample value of " + type + "; add one here");
	}

	/** The outbox as far as the publisher sees it: what it is given to append. */
	static final class RecordingOutbox extends Outbox {

		private final List<SpecificRecord> appended;

		RecordingOutbox(List<SpecificRecord> appended) {
			super(null, null, null);
			this.appended = appended;
		}

		@Override
		public UUID append(String topic, String key, SpecificRecord event) {
			assertThat(topic).isEqualTo(Topic.SUBSCRIPTION_EVENTS.topicName());
			assertThat(key).isEqualTo(HEADER.subscriptionId().toString());
			this.appended.add(event);
			return HEADER.eventId();
		}

	}

}
