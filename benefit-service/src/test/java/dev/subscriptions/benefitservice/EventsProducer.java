package dev.subscriptions.benefitservice;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.subscription.SubscriptionActivated;
import dev.subscriptions.events.subscription.SubscriptionCanceled;
import dev.subscriptions.events.subscription.SubscriptionCreated;
import dev.subscriptions.events.subscription.SubscriptionEnded;
import dev.subscriptions.events.subscription.SubscriptionPastDue;
import dev.subscriptions.events.subscription.SubscriptionPaused;
import dev.subscriptions.events.subscription.SubscriptionResumed;
import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * Produces the events benefit-service consumes, built with the schemas module, in Confluent's wire format.
 */
public final class EventsProducer implements AutoCloseable {

	private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
			Map.of("bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers(), "linger.ms", 5),
			new StringSerializer(), new ByteArraySerializer());

	private final ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(
			SchemaRegistryClient.forUrl(SharedInfrastructure.schemaRegistry().confluentApiUrl()), true);

	/** The facts of one subscription, and a counter for its event sequence. */
	public static final class Sub {

		public final UUID organization;

		public final UUID customer;

		public final UUID id = UUID.randomUUID();

		public final UUID product;

		private long sequence;

		public Sub(UUID organization, UUID customer, UUID product) {
			this.organization = organization;
			this.customer = customer;
			this.product = product;
		}

		long next() {
			return ++this.sequence;
		}

		/** The sequence number of the last event built for the subscription. */
		public long sequence() {
			return this.sequence;
		}

	}

	public byte[] created(Sub sub) {
		Instant now = now();
		return subscriptionEvent(sub, SubscriptionCreated.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(now)
			.setOrganizationId(sub.organization.toString())
			.setCustomerId(sub.customer.toString())
			.setSubscriptionId(sub.id.toString())
			.setProductId(sub.product.toString())
			.setSequence(sub.next())
			.setStatus("active")
			.setAmount(999)
			.setCurrency("EUR")
			.setCurrentPeriodStart(now)
			.setCurrentPeriodEnd(now.plus(30, ChronoUnit.DAYS))
			.build());
	}

	public byte[] paused(Sub sub, String mode) {
		return subscriptionEvent(sub, SubscriptionPaused.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(now())
			.setOrganizationId(sub.organization.toString())
			.setCustomerId(sub.customer.toString())
			.setSubscriptionId(sub.id.toString())
			.setProductId(sub.product.toString())
			.setSequence(sub.next())
			.setMode(mode)
			.build());
	}

	public byte[] resumed(Sub sub) {
		return subscriptionEvent(sub, SubscriptionResumed.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(now())
			.setOrganizationId(sub.organization.toString())
			.setCustomerId(sub.customer.toString())
			.setSubscriptionId(sub.id.toString())
			.setProductId(sub.product.toString())
			.setSequence(sub.next())
			.build());
	}

	public byte[] pastDue(Sub sub) {
		return subscriptionEvent(sub, SubscriptionPastDue.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(now())
			.setOrganizationId(sub.organization.toString())
			.setCustomerId(sub.customer.toString())
			.setSubscriptionId(sub.id.toString())
			.setProductId(sub.product.toString())
			.setSequence(sub.next())
			.setInvoiceId(UUID.randomUUID().toString())
			.build());
	}

	public byte[] activated(Sub sub) {
		return subscriptionEvent(sub, SubscriptionActivated.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(now())
			.setOrganizationId(sub.organization.toString())
			.setCustomerId(sub.customer.toString())
			.setSubscriptionId(sub.id.toString())
			.setProductId(sub.product.toString())
			.setSequence(sub.next())
			.build());
	}

	public byte[] canceledAtPeriodEnd(Sub sub) {
		return subscriptionEvent(sub, SubscriptionCanceled.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(now())
			.setOrganizationId(sub.organization.toString())
			.setCustomerId(sub.customer.toString())
			.setSubscriptionId(sub.id.toString())
			.setProductId(sub.product.toString())
			.setSequence(sub.next())
			.setAtPeriodEnd(true)
			.setEndsAt(now().plus(30, ChronoUnit.DAYS))
			.build());
	}

	public byte[] ended(Sub sub, String reason) {
		return subscriptionEvent(sub, SubscriptionEnded.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(now())
			.setOrganizationId(sub.organization.toString())
			.setCustomerId(sub.customer.toString())
			.setSubscriptionId(sub.id.toString())
			.setProductId(sub.product.toString())
			.setSequence(sub.next())
			.setReason(reason)
			.setEndedAt(now())
			.build());
	}

	public void customerDeleted(UUID organization, UUID customer) {
		CustomerDeleted event = CustomerDeleted.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(now())
			.setOrganizationId(organization.toString())
			.setCustomerId(customer.toString())
			.setDeletedAt(now())
			.build();
		send("customer.events", customer.toString(), this.serializer.serialize("customer.events", event));
	}

	/** Serializes a subscription event without sending it, so tests can choose order and repetitions. */
	private byte[] subscriptionEvent(Sub sub, SpecificRecord event) {
		return this.serializer.serialize("subscription.events", event);
	}

	public void send(String topic, String key, byte[] value) {
		this.producer.send(new ProducerRecord<>(topic, key, value));
		this.producer.flush();
	}

	public void sendSubscriptionEvent(Sub sub, byte[] value) {
		send("subscription.events", sub.id.toString(), value);
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

	@Override
	public void close() {
		this.producer.close();
	}

}
