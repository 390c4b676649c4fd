package dev.subscriptions.subscriptionservice;

import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;

import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.CustomerFixture;

/**
 * Writes to customer.events as customer-service does: the contract fixtures' records,
 * written with {@link EventTopics}. Each write returns once the broker has it.
 * <p>
 * The integration tests have it injected ({@link SubscriptionServiceIntegrationTest}
 * imports it), so that it writes to the broker of their application context.
 */
public final class CustomerEventsProducer {

	public static final String TOPIC = Topic.CUSTOMER_EVENTS.topicName();

	private final EventTopics topics;

	public CustomerEventsProducer(EventTopics topics) {
		this.topics = topics;
	}

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
		this.topics.send(TOPIC, key, event);
	}

	/** Sends bytes as they are, e.g. a record that cannot be read. */
	public void send(String key, byte[] value) {
		this.topics.sendBytes(TOPIC, key, value);
	}

}
