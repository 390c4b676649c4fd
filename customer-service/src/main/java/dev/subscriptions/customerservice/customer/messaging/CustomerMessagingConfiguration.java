package dev.subscriptions.customerservice.customer.messaging;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

import dev.subscriptions.customerservice.CustomerServiceSettings;
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
	 * Created at start-up when missing; the replication factor is the broker's default
	 * unless configured.
	 * <p>
	 * Compacted (key = customer id): Kafka keeps at least the last record of every
	 * customer for good, so a replica rebuilt from the topic learns every customer, a
	 * live one by its {@code CustomerCreated} and a deleted one by its
	 * {@code CustomerDeleted}, always the last record of its key (a deleted customer
	 * changes no more). With {@code spring.kafka.admin.modify-topic-configs} the policy
	 * is also set on a topic that exists with another one.
	 */
	@Bean
	NewTopic customerEventsTopic(CustomerServiceSettings settings) {
		CustomerServiceSettings.Topics topics = settings.topic();
		TopicBuilder topic = TopicBuilder.name(Topic.CUSTOMER_EVENTS.topicName())
			.partitions(topics.partitions())
			.config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
		return (topics.replicas() > 0) ? topic.replicas(topics.replicas()).build() : topic.build();
	}

}
