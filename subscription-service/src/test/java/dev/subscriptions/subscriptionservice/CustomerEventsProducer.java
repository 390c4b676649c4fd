package dev.subscriptions.subscriptionservice;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * Produces to customer.events as customer-service does: the schemas module's records in Confluent's wire format.
 */
public final class CustomerEventsProducer implements AutoCloseable {

	public static final String TOPIC = "customer.events";

	private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
			Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers(), "linger.ms", 5),
			new StringSerializer(), new ByteArraySerializer());

	private final ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(
			SchemaRegistryClient.forUrl(SharedInfrastructure.schemaRegistry().confluentApiUrl()), true);

	public CustomerCreated created(UUID organization, UUID customer) {
		return created(organization, customer, customer.toString());
	}

	/** A customer's creation sent with another key than its id, so that it lands behind the records of that key. */
	public CustomerCreated created(UUID organization, UUID customer, String key) {
		CustomerCreated event = CustomerCreated.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(now())
			.setOrganizationId(organization.toString())
			.setCustomerId(customer.toString())
			.setEmail(customer + "@example.com")
			.setName("Customer " + customer)
			.build();
		send(key, this.serializer.serialize(TOPIC, event));
		return event;
	}

	public byte[] deleted(UUID organization, UUID customer) {
		CustomerDeleted event = CustomerDeleted.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(now())
			.setOrganizationId(organization.toString())
			.setCustomerId(customer.toString())
			.setDeletedAt(now())
			.build();
		byte[] bytes = this.serializer.serialize(TOPIC, event);
		send(customer.toString(), bytes);
		return bytes;
	}

	public void send(String key, byte[] value) {
		this.producer.send(new ProducerRecord<>(TOPIC, key, value));
	}

	public void flush() {
		this.producer.flush();
	}

	public void sendNow(String key, byte[] value) {
		try {
			this.producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

	@Override
	public void close() {
		this.producer.close();
	}

}
