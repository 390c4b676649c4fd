package dev.subscriptions.customerservice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.infrastructure.EmbeddedInfrastructure;
import dev.subscriptions.web.test.TestIdentityProvider;
import dev.subscriptions.web.test.WithTestIdentityProvider;

/**
 * One application context for all integration tests of the service (one consumer group,
 * one database), against the infrastructure of {@link EmbeddedInfrastructure}, with a
 * {@code RestTestClient} on its public port, an {@link EventTopics} for that broker and
 * registry, a {@link StatementLog} of the database, and the {@link TestIdentityProvider}
 * whose tokens it accepts (the tests get them from {@code TestTokens}). The actuator
 * answers on the management port ({@code @LocalManagementPort}). customer-service creates
 * the topics it reads and writes itself.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@Import({ EmbeddedInfrastructure.class, EventTopics.class, StatementLog.class })
@WithTestIdentityProvider
public @interface CustomerServiceIntegrationTest {

}
