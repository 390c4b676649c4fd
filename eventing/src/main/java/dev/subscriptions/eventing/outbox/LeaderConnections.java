package dev.subscriptions.eventing.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * Opens the relay's leader connection: a JDBC connection of its own, outside the pool,
 * whose session holds the relay's advisory lock for as long as it lives.
 */
@FunctionalInterface
public interface LeaderConnections {

	/** Opens a new connection. */
	Connection open() throws SQLException;

	/**
	 * Connections to the database at a JDBC URL, with pgjdbc's {@code socketTimeout} (so
	 * that no read on it waits longer, whatever the server or the network do) and
	 * {@code tcpKeepAlive}. Settings in the URL win.
	 */
	static LeaderConnections to(String url, @Nullable String username, @Nullable String password,
			Duration socketTimeout, Duration connectTimeout) {
		return () -> {
			Properties properties = new Properties();
			if (username != null) {
				properties.setProperty("user", username);
			}
			if (password != null) {
				properties.setProperty("password", password);
			}
			properties.setProperty("socketTimeout", String.valueOf(Math.max(1, socketTimeout.toSeconds())));
			properties.setProperty("connectTimeout", String.valueOf(Math.max(1, connectTimeout.toSeconds())));
			properties.setProperty("loginTimeout", String.valueOf(Math.max(1, connectTimeout.toSeconds())));
			properties.setProperty("tcpKeepAlive", "true");
			properties.setProperty("ApplicationName", "outbox-relay-leader");
			return DriverManager.getConnection(url, properties);
		};
	}

}
