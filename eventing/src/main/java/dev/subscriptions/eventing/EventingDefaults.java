package dev.subscriptions.eventing;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

import dev.subscriptions.eventing.serde.ConfluentAvroDeserializer;
import dev.subscriptions.eventing.serde.WireFormat;

/**
 * The settings every service would otherwise repeat, as the lowest-precedence property
 * source: whatever a service's {@code application.yml}, its environment or a test sets
 * wins, key by key.
 * <ul>
 * <li>The Kafka consumer reads string keys and Avro values in Confluent's wire format as
 * their generated classes ({@code SpecificRecord}), through an
 * {@code ErrorHandlingDeserializer} so that a record that cannot be decoded goes to the
 * error handler instead of failing the poll; with the registry's URL, credentials and
 * timeouts from {@code eventing.schema-registry.*}, as the outbox's serializer has them;
 * a new consumer group starts at the earliest offset.</li>
 * <li>{@code eventing.schema-registry.*} from the {@code SCHEMA_REGISTRY_URL},
 * {@code SCHEMA_REGISTRY_AUTO_REGISTER}, {@code SCHEMA_REGISTRY_USER_INFO} and
 * {@code SCHEMA_REGISTRY_BEARER_TOKEN} environment variables, with the defaults of
 * {@link EventingProperties}.</li>
 * <li>A listener container whose consumer's credentials are refused (SASL or
 * authorization) retries every {@value #AUTH_EXCEPTION_RETRY_INTERVAL} instead of
 * stopping for good, so that a rotated credential or a late ACL does not leave the
 * service without consumers.</li>
 * <li>The actuator endpoints exposed over HTTP: {@value #EXPOSED_ENDPOINTS}.</li>
 * </ul>
 * Runs after the configuration files are loaded, so that it can add itself behind them.
 */
public class EventingDefaults implements EnvironmentPostProcessor, Ordered {

	/** The name of the property source. */
	public static final String NAME = "eventingDefaults";

	/**
	 * The actuator endpoints a service exposes over HTTP, eventing's operators' endpoints
	 * ({@code outbox}, {@code kafkalag}) included.
	 */
	public static final String EXPOSED_ENDPOINTS = "health,info,metrics,prometheus,outbox,kafkalag";

	/**
	 * How long a listener container waits after its consumer's credentials were refused
	 * before it tries again
	 * ({@code spring.kafka.listener.auth-exception-retry-interval}).
	 */
	public static final String AUTH_EXCEPTION_RETRY_INTERVAL = "10s";

	private static final String CONSUMER = "spring.kafka.consumer.";

	private static final String CONSUMER_PROPERTIES = CONSUMER + "properties.";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getPropertySources().contains(NAME)) {
			environment.getPropertySources().addLast(new MapPropertySource(NAME, defaults()));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/** The defaults, by property name; values may hold placeholders. */
	public static Map<String, Object> defaults() {
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put(CONSUMER + "auto-offset-reset", "earliest");
		defaults.put(CONSUMER + "key-deserializer", StringDeserializer.class.getName());
		defaults.put(CONSUMER + "value-deserializer", ErrorHandlingDeserializer.class.getName());
		defaults.put(CONSUMER_PROPERTIES + ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS,
				ConfluentAvroDeserializer.class.getName());
		defaults.put(CONSUMER_PROPERTIES + WireFormat.SCHEMA_REGISTRY_URL, "${eventing.schema-registry.url}");
		defaults.put(CONSUMER_PROPERTIES + WireFormat.SPECIFIC_AVRO_READER, "true");
		defaults.put(CONSUMER_PROPERTIES + WireFormat.BASIC_AUTH_USER_INFO, "${eventing.schema-registry.user-info:}");
		defaults.put(CONSUMER_PROPERTIES + WireFormat.BEARER_AUTH_TOKEN, "${eventing.schema-registry.bearer-token:}");
		defaults.put(CONSUMER_PROPERTIES + WireFormat.HTTP_CONNECT_TIMEOUT_MS,
				"${eventing.schema-registry.connect-timeout:}");
		defaults.put(CONSUMER_PROPERTIES + WireFormat.HTTP_READ_TIMEOUT_MS,
				"${eventing.schema-registry.read-timeout:}");
		defaults.put("spring.kafka.listener.auth-exception-retry-interval", AUTH_EXCEPTION_RETRY_INTERVAL);
		defaults.put("eventing.schema-registry.url",
				"${SCHEMA_REGISTRY_URL:" + EventingProperties.SchemaRegistry.DEFAULT_URL + "}");
		defaults.put("eventing.schema-registry.auto-register", "${SCHEMA_REGISTRY_AUTO_REGISTER:true}");
		defaults.put("eventing.schema-registry.user-info", "${SCHEMA_REGISTRY_USER_INFO:}");
		defaults.put("eventing.schema-registry.bearer-token", "${SCHEMA_REGISTRY_BEARER_TOKEN:}");
		defaults.put("management.endpoints.web.exposure.include", EXPOSED_ENDPOINTS);
		return defaults;
	}

}
