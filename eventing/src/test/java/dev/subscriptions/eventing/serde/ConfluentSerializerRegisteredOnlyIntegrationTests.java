package dev.subscriptions.eventing.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.UUID;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.EventingProperties;
import dev.subscriptions.eventing.EventingTestApplication;
import dev.subscriptions.eventing.TestEvents;
import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;

/**
 * The outbox serializes inside the caller's transaction, so it makes no registry call: it
 * writes what was declared and registered at start-up, and refuses anything else at once.
 * (The other tests of this module turn it off, because they publish to topics they make
 * up.)
 */
@SpringBootTest(properties = { "eventing.serializer.registered-only=true", "eventing.relay.enabled=false" })
@Import(EmbeddedInfrastructure.class)
class ConfluentSerializerRegisteredOnlyIntegrationTests {

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	SchemaRegistryClient registry;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void isTheDefault() {
		assertThat(new EventingProperties().getSerializer().isRegisteredOnly()).isTrue();
	}

	@Test
	void appendsADeclaredEventTypeWithoutCallingTheRegistry() {
		String customer = UUID.randomUUID().toString();
		long requests = this.registry.requestCount();

		this.transactions.executeWithoutResult(status -> this.outbox.append(EventingTestApplication.PUBLISHED_TOPIC,
				customer, TestEvents.customerDeleted(customer)));

		assertThat(this.registry.requestCount()).isEqualTo(requests);
		assertThat(outboxRows(customer)).isOne();
	}

	@Test
	void refusesAtOnceATopicNotDeclaredAtStartUpWithoutCallingTheRegistry() {
		String topic = "undeclared-" + UUID.randomUUID();
		String customer = UUID.randomUUID().toString();
		long requests = this.registry.requestCount();

		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> this.transactions.executeWithoutResult(
					status -> this.outbox.append(topic, customer, TestEvents.customerDeleted(customer))))
			.withMessageContaining(topic + "-dev.subscriptions.events.customer.CustomerDeleted")
			.withMessageContaining("EventSchemas");
		assertThat(this.registry.requestCount()).isEqualTo(requests);
		assertThat(outboxRows(customer)).isZero();
	}

	@Test
	void refusesAtOnceAnEventTypeNotDeclaredForItsTopic() {
		String customer = UUID.randomUUID().toString();
		CustomerRevocationCompleted undeclared = TestEvents.customer(customer).revocationCompleted("test", 0).build();
		long requests = this.registry.requestCount();

		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> this.transactions.executeWithoutResult(
					status -> this.outbox.append(EventingTestApplication.PUBLISHED_TOPIC, customer, undeclared)))
			.withMessageContaining(
					EventingTestApplication.PUBLISHED_TOPIC + "-" + undeclared.getSchema().getFullName());
		assertThat(this.registry.requestCount()).isEqualTo(requests);
		assertThat(outboxRows(customer)).isZero();
	}

	private int outboxRows(String key) {
		return this.jdbc.queryForObject("select count(*) from outbox where aggregateid = ?", Integer.class, key);
	}

}
