package dev.subscriptions.customerservice.customer.messaging;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

import dev.subscriptions.eventing.registration.EventSchemas;
import dev.subscriptions.schemas.Topic;

/**
 * The topic customer-service owns, and the event types it publishes there.
 */
@Configuration(proxyBeanMethods = false)
class CustomerMessagingConfiguration {

	@Bean
	EventSchemas customerEventSchemas() {
		return new EventSchemas(Topic.CUSTOMER_EVENTS.topicName(), Topic.CUSTOMER_EVENTS.eventSchemas());
	}

	/**
	 * Created at start-up when missing; the replication factor is the broker's default unless configured.
	 * <p>
	 * Compacted (key = customer id): Kafka keeps at least the last record of every customer for good, so a replica
	 * rebuilt from the topic learns every customer, a live one by its {@code CustomerCreated} and a deleted one by its
	 * {@code CustomerDeleted}, always the last record of its key (a deleted customer changes no more). With
	 * {@code spring.kafka.admin.modify-topic-configs} the policy is also set on a topic that exists with another one.
	 */
	@Bean
	NewTopic customerEventsTopic(@Value("${customer-service.topic.partitions:6}") int partitions,
			@Value("${customer-service.topic.replicas:-1}") short replicas) {
		TopicBuilder topic = TopicBuilder.name(Topic.CUSTOMER_EVENTS.topicName())
			.partitions(partitions)
			.config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
		return (replicas > 0) ? topic.replicas(replicas).build() : topic.build();
	}

	/** The downstream services report here; created by whichever service starts first. */
	@Bean
	NewTopic customerRevocationsTopic(@Value("${customer-service.topic.partitions:6}") int partitions) {
		return TopicBuilder.name(Topic.CUSTOMER_REVOCATIONS.topicName()).partitions(partitions).build();
	}

	@Bean
	NewTopic customerRevocationsDeadLetterTopic(@Value("${eventing.consumer.dead-letter-suffix}") String suffix,
			@Value("${customer-service.topic.partitions:6}") int partitions) {
		return TopicBuilder.name(Topic.CUSTOMER_REVOCATIONS.topicName() + suffix).partitions(partitions).build();
	}

}
