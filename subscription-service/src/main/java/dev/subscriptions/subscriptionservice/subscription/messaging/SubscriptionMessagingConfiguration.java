package dev.subscriptions.subscriptionservice.subscription.messaging;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

import dev.subscriptions.eventing.registration.EventSchemas;
import dev.subscriptions.schemas.Topic;

/**
 * The topics subscription-service writes to, and the event types it publishes there.
 */
@Configuration(proxyBeanMethods = false)
class SubscriptionMessagingConfiguration {

	@Bean
	EventSchemas subscriptionEventSchemas() {
		return new EventSchemas(Topic.SUBSCRIPTION_EVENTS.topicName(), Topic.SUBSCRIPTION_EVENTS.eventSchemas());
	}

	@Bean
	EventSchemas customerRevocationSchemas() {
		return new EventSchemas(Topic.CUSTOMER_REVOCATIONS.topicName(), Topic.CUSTOMER_REVOCATIONS.eventSchemas());
	}

	@Bean
	NewTopic subscriptionEventsTopic(@Value("${subscription-service.topic.partitions:6}") int partitions) {
		return TopicBuilder.name(Topic.SUBSCRIPTION_EVENTS.topicName()).partitions(partitions).build();
	}

	@Bean
	NewTopic customerRevocationsTopic(@Value("${subscription-service.topic.partitions:6}") int partitions) {
		return TopicBuilder.name(Topic.CUSTOMER_REVOCATIONS.topicName()).partitions(partitions).build();
	}

	/** Where records of customer.events that this service cannot process go. */
	@Bean
	NewTopic customerEventsDeadLetterTopic(@Value("${eventing.consumer.dead-letter-suffix}") String suffix,
			@Value("${subscription-service.topic.partitions:6}") int partitions) {
		return TopicBuilder.name(Topic.CUSTOMER_EVENTS.topicName() + suffix).partitions(partitions).build();
	}

}
