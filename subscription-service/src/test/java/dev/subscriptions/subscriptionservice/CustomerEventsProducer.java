package dev.subscriptions.subscriptionservice;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.CustomerFixture;

/**
 * Produces to customer.events as customer-service does: the contract fixtures' records in
 * Confluent's wire format.
 */
public final class CustomerEventsProducer implements AutoCloseable {

	public static final String TOPIC = Topic.CUSTOMER_EVENTS.topicName();

	private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
			Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers(), "linger.ms", 5),
			new StringSerializer(), new ByteArraySerializer());

	private final ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(
			SchemaRegistryClient.forUrl(SharedInfrastructure.schemaRegistry().confluentApiUrl()), true);

	public CustomerCreated created(UUID organization, UUID customer) {
		return created(organization, customer, customer.toString());
	}

	/**
	 * A customer's creation sent with another key than its id, so that it lands behind
	 * the records of that key.
	 */
	public CustomerCreated created(UUID organization, UUID customer, String key) {
		CustomerCreated event = CustomerFixture.of(organization, customer).created().build();
		send(key, event);
		return event;
	}

	public CustomerDeleted deleted(UUID organization, UUID customer) {
		CustomerDeleted event = CustomerFixture.of(organization, customer).deleted().build();
		send(customer.toString(), event);
		return event;
	}

	/** Sends an event (again, when it was sent before: a duplicate delivery). */
	public void send(String key, SpecificRecord event) {
		send(key, this.serializer.serialize(TOPIC, event));
	}

	public void send(String key, byte[] value) {
		this.producer.send(new ProducerRecord<>(TOPIC, key, value));
	}

	public void flush() {
		this.producer.flush();
	}

	/** Sends and waits until the broker has it. */
	public void sendNow(String key, byte[] value) {
		try {
			this.producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.producer.close();
	}

}
