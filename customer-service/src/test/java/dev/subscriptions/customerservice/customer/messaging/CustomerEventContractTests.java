package dev.subscriptions.customerservice.customer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import dev.subscriptions.customerservice.customer.CustomerEvent;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.CustomerFixture;

/**
 * Keeps the domain's customer events, the mapper and the schemas of
 * {@code customer.events} in step (as spring-petclinic's {@code I18nPropertiesSyncTest}
 * keeps its message files). The compiler already refuses a domain event without a mapper
 * method ({@link CustomerEvent.Visitor}); what it cannot see is whether the Avro type a
 * method returns is a schema of the topic, and whether every schema of the topic has an
 * event that maps to it.
 */
class CustomerEventContractTests {

	private final CustomerEventMapper mapper = new CustomerEventMapper();

	@Test
	void mapsEveryCustomerEventToASchemaOfCustomerEvents() {
		for (Class<?> event : CustomerEvent.class.getPermittedSubclasses()) {
			assertThat(Topic.CUSTOMER_EVENTS.eventSchemas()).as("the schema %s maps to", event.getSimpleName())
				.contains(schemaMappedFrom(event));
		}
	}

	@Test
	void hasACustomerEventForEverySchemaOfCustomerEvents() {
		Set<Schema> mapped = new HashSet<>();
		for (Class<?> event : CustomerEvent.class.getPermittedSubclasses()) {
			mapped.add(schemaMappedFrom(event));
		}

		assertThat(mapped).containsExactlyInAnyOrderElementsOf(Topic.CUSTOMER_EVENTS.eventSchemas());
	}

	@Test
	void mapsEveryFieldOfTheDomainEvents() {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		CustomerEvent.Created created = new CustomerEvent.Created(UUID.randomUUID(), now, UUID.randomUUID(),
				UUID.randomUUID(), "ada@example.com", "Ada", "crm-1");
		CustomerEvent.Deleted deleted = new CustomerEvent.Deleted(UUID.randomUUID(), now, UUID.randomUUID(),
				UUID.randomUUID(), now.plusSeconds(1));

		assertThat(this.mapper.toRecord(created))
			.isEqualTo(CustomerFixture.of(created.organizationId(), created.customerId())
				.created()
				.setEventId(created.eventId().toString())
				.setOccurredAt(now)
				.setEmail("ada@example.com")
				.setName("Ada")
				.setExternalId("crm-1")
				.build());
		assertThat(this.mapper.toRecord(deleted))
			.isEqualTo(CustomerFixture.of(deleted.organizationId(), deleted.customerId())
				.deleted()
				.setEventId(deleted.eventId().toString())
				.setOccurredAt(now)
				.setDeletedAt(now.plusSeconds(1))
				.build());
	}

	/**
	 * The schema of the Avro type that the mapper's method for {@code event} declares it
	 * returns.
	 */
	private static Schema schemaMappedFrom(Class<?> event) {
		List<Method> methods = Arrays.stream(CustomerEventMapper.class.getDeclaredMethods())
			.filter(method -> !method.isBridge() && !Modifier.isStatic(method.getModifiers()))
			.filter(method -> Arrays.equals(method.getParameterTypes(), new Class<?>[] { event }))
			.toList();
		assertThat(methods).as("mapper methods for %s", event.getSimpleName()).hasSize(1);
		Class<?> record = methods.get(0).getReturnType();
		assertThat(record).as("the Avro type %s maps to", event.getSimpleName())
			.isAssignableTo(SpecificRecord.class)
			.isNotEqualTo(SpecificRecord.class);
		return SpecificData.get().getSchema(record);
	}

}
