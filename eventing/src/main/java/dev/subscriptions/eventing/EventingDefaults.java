package dev.subscriptions.eventing;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertyResolver;
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
 * <li>The Kafka clients' SASL settings from the {@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_USERNAME} and
 * {@code KAFKA_SASL_PASSWORD} environment variables, where set
 * ({@link #kafkaSecurity(PropertyResolver)}).</li>
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

	/** The SASL mechanism of {@code KAFKA_SASL_USERNAME} without a mechanism named. */
	public static final String DEFAULT_SASL_MECHANISM = "SCRAM-SHA-512";

	private static final String KAFKA_PROPERTIES = "spring.kafka.properties.";

	private static final String CONSUMER = "spring.kafka.consumer.";

	private static final String CONSUMER_PROPERTIES = CONSUMER + "properties.";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getPropertySources().contains(NAME)) {
			Map<String, Object> defaults = defaults();
			defaults.putAll(kafkaSecurity(environment));
			environment.getPropertySources().addLast(new MapPropertySource(NAME, defaults));
		}
	}

	/**
	 * {@code spring.kafka.security.protocol} and {@code spring.kafka.properties.sasl.*}
	 * from {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM} (default
	 * {@value #DEFAULT_SASL_MECHANISM}), {@code KAFKA_SASL_USERNAME} and
	 * {@code KAFKA_SASL_PASSWORD}, where they are set: a JAAS entry written out of a user
	 * name and a password, with its quotes and backslashes escaped. Nothing for a
	 * variable that is unset or blank, so that a PLAINTEXT cluster needs none;
	 * credentials without a security protocol are refused, since Kafka would ignore them.
	 */
	static Map<String, Object> kafkaSecurity(PropertyResolver environment) {
		Map<String, Object> security = new LinkedHashMap<>();
		String protocol = environment.getProperty("KAFKA_SECURITY_PROTOCOL", "").trim();
		if (!protocol.isEmpty()) {
			security.put("spring.kafka.security.protocol", protocol);
		}
		String username = environment.getProperty("KAFKA_SASL_USERNAME", "");
		if (!username.isBlank() && protocol.isEmpty()
				&& !environment.containsProperty("spring.kafka.security.protocol")) {
			throw new IllegalStateException("KAFKA_SASL_USERNAME is set but no security protocol: set "
					+ "KAFKA_SECURITY_PROTOCOL to SASL_SSL (or SASL_PLAINTEXT), or the client would connect "
					+ "without SASL and be refused");
		}
		if (!username.isBlank()) {
			String mechanism = environment.getProperty("KAFKA_SASL_MECHANISM", "").trim();
			mechanism = mechanism.isEmpty() ? DEFAULT_SASL_MECHANISM : mechanism;
			String password = environment.getProperty("KAFKA_SASL_PASSWORD", "");
			security.put(KAFKA_PROPERTIES + "sasl.mechanism", mechanism);
			security.put(KAFKA_PROPERTIES + "sasl.jaas.config", loginModule(mechanism) + " required username=\""
					+ escaped(username) + "\" password=\"" + escaped(password) + "\";");
		}
		return security;
	}

	private static String loginModule(String mechanism) {
		if (mechanism.startsWith("SCRAM-")) {
			return "org.apache.kafka.common.security.scram.ScramLoginModule";
		}
		if (mechanism.equals("PLAIN")) {
			return "org.apache.kafka.common.security.plain.PlainLoginModule";
		}
		throw new IllegalStateException("KAFKA_SASL_MECHANISM " + mechanism
				+ " takes no user name and password (SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN do); set"
				+ " spring.kafka.properties.sasl.jaas.config instead");
	}

	private static String escaped(String value) {
		return value.replace("\\", "\\\\").replace("\"", "\\\"");
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
