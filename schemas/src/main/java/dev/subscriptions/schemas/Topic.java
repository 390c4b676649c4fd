package dev.subscriptions.schemas;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.avro.Schema;

import dev.subscriptions.events.billing.BillingSubscriptionChanged;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.events.subscription.SubscriptionActivated;
import dev.subscriptions.events.subscription.SubscriptionCanceled;
import dev.subscriptions.events.subscription.SubscriptionCreated;
import dev.subscriptions.events.subscription.SubscriptionEnded;
import dev.subscriptions.events.subscription.SubscriptionPastDue;
import dev.subscriptions.events.subscription.SubscriptionPaused;
import dev.subscriptions.events.subscription.SubscriptionResumed;
import dev.subscriptions.events.subscription.SubscriptionUncanceled;

/**
 * The topics of the platform and the event types each one carries.
 * <p>
 * Several event types share a topic so that the events of one aggregate stay in order.
 * Their schemas are registered under Confluent's {@code TopicRecordNameStrategy}: subject
 * {@code <topic>-<full record name>}.
 */
public enum Topic {

	/** Customer lifecycle; key = customer id. */
	CUSTOMER_EVENTS(Names.CUSTOMER_EVENTS, List.of(CustomerCreated.getClassSchema(), CustomerDeleted.getClassSchema())),

	/** Subscription lifecycle; key = subscription id. */
	SUBSCRIPTION_EVENTS(Names.SUBSCRIPTION_EVENTS,
			List.of(SubscriptionCreated.getClassSchema(), SubscriptionCanceled.getClassSchema(),
					SubscriptionUncanceled.getClassSchema(), SubscriptionPastDue.getClassSchema(),
					SubscriptionActivated.getClassSchema(), SubscriptionPaused.getClassSchema(),
					SubscriptionResumed.getClassSchema(), SubscriptionEnded.getClassSchema())),

	/**
	 * Each service's report that it revoked what a deleted customer had; key = customer
	 * id.
	 */
	CUSTOMER_REVOCATIONS(Names.CUSTOMER_REVOCATIONS, List.of(CustomerRevocationCompleted.getClassSchema())),

	/**
	 * What billing providers and other systems say of their subscriptions, written by
	 * subscription-service's webhooks and by other systems; key =
	 * {@code <provider>:<provider_subscription_id>}.
	 */
	BILLING_EVENTS(Names.BILLING_EVENTS, List.of(BillingSubscriptionChanged.getClassSchema()));

	private final String topicName;

	private final List<Schema> eventSchemas;

	Topic(String topicName, List<Schema> eventSchemas) {
		this.topicName = topicName;
		this.eventSchemas = eventSchemas;
	}

	/**
	 * The key of a record of {@link #BILLING_EVENTS}:
	 * {@code <provider>:<provider_subscription_id>}, so that the events of one provider
	 * subscription stay in order.
	 */
	public static String billingKey(String provider, String providerSubscriptionId) {
		return provider + ":" + providerSubscriptionId;
	}

	/** The Kafka topic name. */
	public String topicName() {
		return this.topicName;
	}

	/**
	 * The schemas of every event type published to this topic, in their current version.
	 */
	public List<Schema> eventSchemas() {
		return this.eventSchemas;
	}

	/** The topic of this name, if it is one of the platform's. */
	public static Optional<Topic> named(String topicName) {
		return Arrays.stream(values()).filter(topic -> topic.topicName.equals(topicName)).findFirst();
	}

	/**
	 * The registry subject of an event type on this topic
	 * ({@code TopicRecordNameStrategy}).
	 */
	public String subject(Schema eventSchema) {
		return subject(this.topicName, eventSchema);
	}

	/**
	 * The registry subject of an event type on any topic
	 * ({@code TopicRecordNameStrategy}).
	 */
	public static String subject(String topicName, Schema eventSchema) {
		return topicName + "-" + eventSchema.getFullName();
	}

	/**
	 * The topic names as compile-time constants, for annotations such as
	 * {@code @KafkaListener(topics = Topic.Names.CUSTOMER_EVENTS)}.
	 */
	public static final class Names {

		/** {@link Topic#CUSTOMER_EVENTS}. */
		public static final String CUSTOMER_EVENTS = "customer.events";

		/** {@link Topic#SUBSCRIPTION_EVENTS}. */
		public static final String SUBSCRIPTION_EVENTS = "subscription.events";

		/** {@link Topic#CUSTOMER_REVOCATIONS}. */
		public static final String CUSTOMER_REVOCATIONS = "customer.revocations";

		/** {@link Topic#BILLING_EVENTS}. */
		public static final String BILLING_EVENTS = "billing.events";

		private Names() {
		}

	}

}
