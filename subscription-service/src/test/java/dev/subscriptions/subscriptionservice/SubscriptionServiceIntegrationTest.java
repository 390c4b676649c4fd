package dev.subscriptions.subscriptionservice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;

import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.web.test.TestIdentityProvider;
import dev.subscriptions.web.test.WithTestIdentityProvider;

/**
 * One application context for all integration tests of the service (one consumer group,
 * one database), against the infrastructure of {@link EmbeddedInfrastructure} and the
 * identity provider of {@link TestIdentityProvider} (the API takes tokens of
 * {@code TestTokens}; the actuator answers on the management port,
 * {@code @LocalManagementPort}), with a {@code RestTestClient} bound to the server (that
 * sends no token), and an {@link EventTopics} and a {@link CustomerEventsProducer} for
 * that broker and registry. The period-end job runs every second here, and both billing
 * webhooks have secrets ({@link #LEMON_SQUEEZY_SECRET}, {@link #STRIPE_SECRET}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "subscription-service.period-end.interval=PT1S",
				"subscription-service.lemon-squeezy.signing-secret="
						+ SubscriptionServiceIntegrationTest.LEMON_SQUEEZY_SECRET,
				"subscription-service.stripe.webhook-secret=" + SubscriptionServiceIntegrationTest.STRIPE_SECRET })
@AutoConfigureRestTestClient
@WithTestIdentityProvider
@Import({ EmbeddedInfrastructure.class, EventTopics.class, CustomerEventsProducer.class,
		SubscriptionServiceIntegrationTest.CustomerTopic.class })
public @interface SubscriptionServiceIntegrationTest {

	/** The Lemon Squeezy webhook's signing secret in these tests. */
	String LEMON_SQUEEZY_SECRET = "test-lemon-squeezy-secret";

	/** The Stripe webhook's signing secret in these tests. */
	String STRIPE_SECRET = "whsec_test_stripe_secret";

	/** customer-service owns customer.events; here the tests create it. */
	@TestConfiguration(proxyBeanMethods = false)
	class CustomerTopic {

		@Bean
		NewTopic customerEvents() {
			return TopicBuilder.name(Topic.CUSTOMER_EVENTS.topicName()).partitions(6).build();
		}

	}

}
