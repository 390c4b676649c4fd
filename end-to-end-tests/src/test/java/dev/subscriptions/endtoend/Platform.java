package dev.subscriptions.endtoend;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.subscriptions.infrastructure.ServiceProcess;
import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * The platform under test, once per JVM: the three services as separate processes from
 * their executable jars, each with its own database and login, on the shared Kafka broker
 * and schema registry, each trusting the {@link AuthorizationServer} and serving its
 * actuator on a management port of its own.
 */
public final class Platform {

	private static final Path ROOT = Path.of("..");

	private static final Path LOGS = Path.of("target", "service-logs");

	/** customer-service's database, for tests that act as its operators. */
	public static final String customerDatabase = SharedInfrastructure.newDatabase("customer");

	public static final ServiceProcess customers = service("customer-service", customerDatabase)
		.withJvmOption("-Deventing.relay.unknown-topic-grace=PT3S");

	/**
	 * The Lemon Squeezy signing secret subscription-service has: the local stack's, so
	 * that the README's signed webhooks run unchanged against this platform.
	 */
	static final String LEMON_SQUEEZY_SIGNING_SECRET = "local-lemon-squeezy-secret";

	/** The Stripe webhook secret subscription-service has: the local stack's. */
	static final String STRIPE_WEBHOOK_SECRET = "whsec_local_stripe_secret";

	/**
	 * subscription-service with both webhook secrets, handed over as system properties
	 * named like the environment variables its {@code application.yml} reads.
	 */
	public static final ServiceProcess subscriptions = service("subscription-service",
			SharedInfrastructure.newDatabase("subscription"))
		.withJvmOption("-DLEMON_SQUEEZY_SIGNING_SECRET=" + LEMON_SQUEEZY_SIGNING_SECRET)
		.withJvmOption("-DSTRIPE_WEBHOOK_SECRET=" + STRIPE_WEBHOOK_SECRET);

	public static final ServiceProcess benefits = service("benefit-service",
			SharedInfrastructure.newDatabase("benefit"));

	static {
		List<ServiceProcess> all = List.of(customers, subscriptions, benefits);
		all.forEach(ServiceProcess::start);
		for (ServiceProcess service : all) {
			service.awaitHealthy(Duration.ofMinutes(4));
		}
		all.forEach(SharedInfrastructure::closedBeforeInfrastructure);
	}

	private Platform() {
	}

	/** Starts the services if they are not running yet. */
	public static void start() {
	}

	private static ServiceProcess service(String name, String database) {
		return AuthorizationServer
			.trustedBy(ServiceProcess.of(ROOT, name, 0, SharedInfrastructure.postgresql(), database,
					SharedInfrastructure.kafka().bootstrapServers(),
					SharedInfrastructure.schemaRegistry().confluentApiUrl(), LOGS))
			.withJvmOption("-XX:TieredStopAtLevel=1");
	}

}
