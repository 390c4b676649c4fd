package dev.subscriptions.customerservice.deletion.messaging;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

import dev.subscriptions.customerservice.CustomerServiceSettings;
import dev.subscriptions.eventing.EventingProperties;
import dev.subscriptions.schemas.Topic;

/**
 * The topic the downstream services report on, and its dead letters for what
 * customer-service cannot read.
 */
@Configuration(proxyBeanMethods = false)
class RevocationMessagingConfiguration {

	/** The downstream services report here; created by whichever service starts first. */
	@Bean
	NewTopic customerRevocationsTopic(CustomerServiceSettings settings) {
		return TopicBuilder.name(Topic.CUSTOMER_REVOCATIONS.topicName())
			.partitions(settings.topic().partitions())
			.build();
	}

	@Bean
	NewTopic customerRevocationsDeadLetterTopic(CustomerServiceSettings settings, EventingProperties eventing) {
		return TopicBuilder.name(Topic.CUSTOMER_REVOCATIONS.topicName() + eventing.getConsumer().getDeadLetterSuffix())
			.partitions(settings.topic().partitions())
			.build();
	}

}
