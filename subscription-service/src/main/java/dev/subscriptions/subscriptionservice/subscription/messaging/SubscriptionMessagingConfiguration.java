package dev.subscriptions.subscriptionservice.subscription.messaging;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

import dev.subscriptions.eventing.EventingProperties;
import dev.subscriptions.eventing.registration.EventSchemas;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.subscriptionservice.SubscriptionServiceSettings;

/**
 * The topics subscription-service writes to, and the event types it publishes there.
 * {@code billing.events} is among them: the webhooks write to it, other systems too, and
 * registering its schema at start-up spares them registering it.
 */
@Configuration(proxyBeanMethods = false)
class SubscriptionMessagingConfiguration {

	private final int partitions;

	SubscriptionMessagingConfiguration(SubscriptionServiceSettings settings) {
		this.partitions = settings.topic().partitions();
	}

	@Bean
	EventSchemas subscriptionEventSchemas() {
		return new EventSchemas(Topic.SUBSCRIPTION_EVENTS.topicName(), Topic.SUBSCRIPTION_EVENTS.eventSchemas());
	}

	@Bean
	EventSchemas customerRevocationSchemas() {
		return new EventSchemas(Topic.CUSTOMER_REVOCATIONS.topicName(), Topic.CUSTOMER_REVOCATIONS.eventSchemas());
	}

	@Bean
	EventSchemas billingEventSchemas() {
		return new EventSchemas(Topic.BILLING_EVENTS.topicName(), Topic.BILLING_EVENTS.eventSchemas());
	}

	@Bean
	NewTopic subscriptionEventsTopic() {
		return TopicBuilder.name(Topic.SUBSCRIPTION_EVENTS.topicName()).partitions(this.partitions).build();
	}

	@Bean
	NewTopic customerRevocationsTopic() {
		return TopicBuilder.name(Topic.CUSTOMER_REVOCATIONS.topicName()).partitions(this.partitions).build();
	}

	@Bean
	NewTopic billingEventsTopic() {
		return TopicBuilder.name(Topic.BILLING_EVENTS.topicName()).partitions(this.partitions).build();
	}

	/** Where records of billing.events that this service cannot process go. */
	@Bean
	NewTopic billingEventsDeadLetterTopic(EventingProperties eventing) {
		return TopicBuilder.name(Topic.BILLING_EVENTS.topicName() + eventing.getConsumer().getDeadLetterSuffix())
			.partitions(this.partitions)
			.build();
	}

	/** Where records of customer.events that this service cannot process go. */
	@Bean
	NewTopic customerEventsDeadLetterTopic(EventingProperties eventing) {
		return TopicBuilder.name(Topic.CUSTOMER_EVENTS.topicName() + eventing.getConsumer().getDeadLetterSuffix())
			.partitions(this.partitions)
			.build();
	}

}
