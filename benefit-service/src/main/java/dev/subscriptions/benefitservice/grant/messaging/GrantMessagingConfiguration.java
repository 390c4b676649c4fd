package dev.subscriptions.benefitservice.grant.messaging;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

import dev.subscriptions.eventing.registration.EventSchemas;
import dev.subscriptions.schemas.Topic;

/**
 * What benefit-service publishes (revocation reports) and where its dead letters go.
 */
@Configuration(proxyBeanMethods = false)
class GrantMessagingConfiguration {

	@Bean
	EventSchemas customerRevocationSchemas() {
		return new EventSchemas(Topic.CUSTOMER_REVOCATIONS.topicName(), Topic.CUSTOMER_REVOCATIONS.eventSchemas());
	}

	@Bean
	NewTopic customerRevocationsTopic(@Value("${benefit-service.topic.partitions:6}") int partitions) {
		return TopicBuilder.name(Topic.CUSTOMER_REVOCATIONS.topicName()).partitions(partitions).build();
	}

	@Bean
	NewTopic customerEventsDeadLetterTopic(@Value("${eventing.consumer.dead-letter-suffix}") String suffix,
			@Value("${benefit-service.topic.partitions:6}") int partitions) {
		return TopicBuilder.name(Topic.CUSTOMER_EVENTS.topicName() + suffix).partitions(partitions).build();
	}

	@Bean
	NewTopic subscriptionEventsDeadLetterTopic(@Value("${eventing.consumer.dead-letter-suffix}") String suffix,
			@Value("${benefit-service.topic.partitions:6}") int partitions) {
		return TopicBuilder.name(Topic.SUBSCRIPTION_EVENTS.topicName() + suffix).partitions(partitions).build();
	}

}
