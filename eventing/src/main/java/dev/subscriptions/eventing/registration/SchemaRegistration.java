package dev.subscriptions.eventing.registration;

import java.time.Duration;
import java.util.List;

import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.eventing.serde.SchemaRegistryUnavailableException;
import dev.subscriptions.eventing.serde.WireFormat;

/**
 * Registers the schemas of the events a service publishes when it starts, and sets each
 * subject's compatibility level, so that the registry refuses an incompatible version
 * from anyone. With {@code auto-register} off (a registry managed by a pipeline) it only
 * looks the schemas up, and the service does not start when one is missing.
 * <p>
 * Either way the ids are cached before the first request, in the client that the outbox's
 * serializer shares, so no registry call is made on the request path: the serializer
 * refuses an event type not declared here (see
 * {@code eventing.serializer.registered-only}). While the registry cannot answer
 * (unreachable, too slow, a 5xx, refused credentials, an answer that is not the
 * registry's) it retries, up to a time limit.
 */
public class SchemaRegistration implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(SchemaRegistration.class);

	/**
	 * Waits between attempts at an unavailable registry: 200 ms, doubled up to 5 s, until
	 * the start-up timeout.
	 */
	private static final BackOff RETRIES;

	static {
		ExponentialBackOff retries = new ExponentialBackOff(200, 2.0);
		retries.setMaxInterval(5000);
		RETRIES = retries;
	}

	private final SchemaRegistryClient registry;

	private final List<EventSchemas> published;

	private final boolean autoRegister;

	private final @Nullable String compatibility;

	private final Duration timeout;

	public SchemaRegistration(SchemaRegistryClient registry, List<EventSchemas> published, boolean autoRegister,
			@Nullable String compatibility, Duration timeout) {
		this.registry = registry;
		this.published = published;
		this.autoRegister = autoRegister;
		this.compatibility = compatibility;
		this.timeout = timeout;
	}

	@Override
	public void afterSingletonsInstantiated() {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		BackOffExecution retries = RETRIES.start();
		while (true) {
			try {
				registerAll();
				return;
			}
			catch (SchemaRegistryUnavailableException ex) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Schema registry unavailable for " + this.timeout, ex);
				}
				long wait = retries.nextBackOff();
				log.warn("Schema registry unavailable, retrying in {} ms: {}", wait, ex.getMessage());
				sleep(wait);
			}
		}
	}

	private void registerAll() {
		for (EventSchemas events : this.published) {
			for (Schema schema : events.schemas()) {
				String subject = WireFormat.subject(events.topic(), schema.getFullName());
				if (this.autoRegister) {
					int id = this.registry.register(subject, schema);
					if (this.compatibility != null && !this.compatibility.isBlank()) {
						this.registry.setCompatibility(subject, this.compatibility);
					}
					log.info("Schema of {} registered: id {}", subject, id);
				}
				else {
					log.info("Schema of {} found: id {}", subject, this.registry.lookUp(subject, schema));
				}
			}
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the schema registry", ex);
		}
	}

}
