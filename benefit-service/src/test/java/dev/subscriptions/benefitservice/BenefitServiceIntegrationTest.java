package dev.subscriptions.benefitservice;

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
import dev.subscriptions.web.test.TestIdentityProvider;
import dev.subscriptions.web.test.WithTestIdentityProvider;

/**
 * One application context for the service's integration tests, against the infrastructure
 * of {@link EmbeddedInfrastructure} and the identity provider of
 * {@link TestIdentityProvider} (tokens from
 * {@link dev.subscriptions.web.test.TestTokens}), with a
 * {@link org.springframework.test.web.servlet.client.RestTestClient} bound to the running
 * server (its public port; the actuator answers on {@code @LocalManagementPort}) and an
 * {@link EventTopics} for that broker and registry; a {@link StatementLog} counts the
 * statements sent.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@WithTestIdentityProvider
@Import({ EmbeddedInfrastructure.class, EventTopics.class, BenefitServiceIntegrationTest.ConsumedTopics.class,
		BenefitServiceIntegrationTest.Statements.class })
public @interface BenefitServiceIntegrationTest {

	/** The statements of the application's connections, recorded per thread. */
	@TestConfiguration(proxyBeanMethods = false)
	class Statements {

		@Bean
		static StatementLog statementLog() {
			return new StatementLog();
		}

	}

	/** The topics other services own; here the tests create them. */
	@TestConfiguration(proxyBeanMethods = false)
	class ConsumedTopics {

		@Bean
		NewTopic customerEvents() {
			return TopicBuilder.name("customer.events").partitions(6).build();
		}

		@Bean
		NewTopic subscriptionEvents() {
			return TopicBuilder.name("subscription.events").partitions(6).build();
		}

	}

}
