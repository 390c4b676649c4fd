package dev.subscriptions.benefitservice.grant.messaging;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

import dev.subscriptions.benefitservice.BenefitServiceSettings;
import dev.subscriptions.eventing.EventingProperties;
import dev.subscriptions.eventing.registration.EventSchemas;
import dev.subscriptions.schemas.Topic;

/**
 * What benefit-service publishes (revocation reports) and where its dead letters go.
 */
@Configuration(proxyBeanMethods = false)
class GrantMessagingConfiguration {

	private final int partitions;

	private final String deadLetterSuffix;

	GrantMessagingConfiguration(BenefitServiceSettings settings, EventingProperties eventing) {
		this.partitions = settings.topic().partitions();
		this.deadLetterSuffix = eventing.getConsumer().getDeadLetterSuffix();
	}

	@Bean
	EventSchemas customerRevocationSchemas() {
		return new EventSchemas(Topic.CUSTOMER_REVOCATIONS.topicName(), Topic.CUSTOMER_REVOCATIONS.eventSchemas());
	}

	@Bean
	NewTopic customerRevocationsTopic() {
		return TopicBuilder.name(Topic.CUSTOMER_REVOCATIONS.topicName()).partitions(this.partitions).build();
	}

	@Bean
	NewTopic customerEventsDeadLetterTopic() {
		return deadLetterTopic(Topic.CUSTOMER_EVENTS);
	}

	@Bean
	NewTopic subscriptionEventsDeadLetterTopic() {
		return deadLetterTopic(Topic.SUBSCRIPTION_EVENTS);
	}

	private NewTopic deadLetterTopic(Topic topic) {
		return TopicBuilder.name(topic.topicName() + this.deadLetterSuffix).partitions(this.partitions).build();
	}

}
