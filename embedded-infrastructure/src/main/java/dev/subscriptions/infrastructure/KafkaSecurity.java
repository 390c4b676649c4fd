package dev.subscriptions.infrastructure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link EmbeddedKafka} broker whose client listener requires SASL_PLAINTEXT with
 * SCRAM-SHA-512: its users are created when its storage is formatted (so a log directory
 * formatted without them has none), and the broker talks to itself as {@code brokerUser}.
 * <p>
 * Authentication only: no authorizer, so every user that authenticates may do everything.
 * The KRaft controller listener stays PLAINTEXT on localhost.
 *
 * @param brokerUser the user the broker authenticates as on its own listener, one of
 * {@code users}
 * @param users password by user name
 */
public record KafkaSecurity(String brokerUser, Map<String, String> users) {

	/** The SASL mechanism of every user. */
	public static final String MECHANISM = "SCRAM-SHA-512";

	/** The security protocol of the client listener. */
	public static final String PROTOCOL = "SASL_PLAINTEXT";

	public KafkaSecurity {
		users = Map.copyOf(users);
		if (!users.containsKey(brokerUser)) {
			throw new IllegalArgumentException("The broker user " + brokerUser + " is none of " + users.keySet());
		}
	}

	/**
	 * SCRAM-SHA-512 users, {@code brokerUser} among them.
	 * @param brokerUser the broker's own user
	 * @param users password by user name
	 */
	public static KafkaSecurity scram(String brokerUser, Map<String, String> users) {
		return new KafkaSecurity(brokerUser, users);
	}

	/**
	 * The client settings of a user, as {@code spring.kafka.security.protocol} and
	 * {@code spring.kafka.properties.*} take them: {@code security.protocol},
	 * {@code sasl.mechanism} and {@code sasl.jaas.config}.
	 */
	public static Map<String, Object> clientProperties(String user, String password) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("security.protocol", PROTOCOL);
		properties.put("sasl.mechanism", MECHANISM);
		properties.put("sasl.jaas.config", jaasConfig(user, password));
		return properties;
	}

	/**
	 * The {@code sasl.jaas.config} of a SCRAM user, with {@code "} and {@code \} in the
	 * user name and password escaped.
	 */
	public static String jaasConfig(String user, String password) {
		return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + escaped(user)
				+ "\" password=\"" + escaped(password) + "\";";
	}

	/** The client settings of the broker's own user. */
	public Map<String, Object> brokerClientProperties() {
		return clientProperties(this.brokerUser, this.users.get(this.brokerUser));
	}

	/**
	 * The broker's listener settings: its client listener on SASL_PLAINTEXT, the
	 * controller listener on PLAINTEXT.
	 */
	Map<String, String> brokerProperties(int clientPort, int controllerPort) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("listeners",
				PROTOCOL + "://localhost:" + clientPort + ",CONTROLLER://localhost:" + controllerPort);
		properties.put("advertised.listeners", PROTOCOL + "://localhost:" + clientPort);
		properties.put("listener.security.protocol.map", PROTOCOL + ":" + PROTOCOL + ",CONTROLLER:PLAINTEXT");
		properties.put("inter.broker.listener.name", PROTOCOL);
		properties.put("sasl.enabled.mechanisms", MECHANISM);
		properties.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
		properties.put("listener.name." + PROTOCOL.toLowerCase() + "." + MECHANISM.toLowerCase() + ".sasl.jaas.config",
				jaasConfig(this.brokerUser, this.users.get(this.brokerUser)));
		return properties;
	}

	/**
	 * The users as {@code kafka-storage format --add-scram} takes them, for
	 * {@code Formatter.setScramArguments}.
	 */
	List<String> scramArguments() {
		List<String> arguments = new ArrayList<>();
		this.users
			.forEach((user, password) -> arguments.add(MECHANISM + "=[name=" + user + ",password=" + password + "]"));
		return arguments;
	}

	private static String escaped(String value) {
		return value.replace("\\", "\\\\").replace("\"", "\\\"");
	}

	@Override
	public String toString() {
		return "KafkaSecurity[" + MECHANISM + " users " + this.users.keySet() + "]";
	}

}
