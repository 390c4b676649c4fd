package dev.subscriptions.eventing.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's leadership: a session-level advisory lock held by a connection of its own,
 * outside the pool, and never inside a transaction. The session's timeouts bound how long
 * a dead or stalled leader keeps the lock: its session sits idle (no heartbeat) and the
 * server ends it after {@code idle_session_timeout}, or TCP keepalives find the peer
 * gone; either way the lock is free again and another instance takes it at its next poll.
 */
class RelayLeadership {

	private static final Logger log = LoggerFactory.getLogger(RelayLeadership.class);

	private final LeaderConnections connections;

	private final OutboxRelay.Leadership settings;

	private final long lockKey;

	private Connection connection;

	private volatile boolean leader;

	private long lastBeatNanos;

	private boolean unreachable;

	RelayLeadership(LeaderConnections connections, OutboxRelay.Leadership settings, long lockKey) {
		this.connections = connections;
		this.settings = settings;
		this.lockKey = lockKey;
	}

	boolean isLeader() {
		return this.leader;
	}

	/**
	 * Confirms the leadership, or tries to take it. Runs one statement on the leader
	 * connection either way, so it is also a heartbeat.
	 * @return whether this relay leads now
	 */
	synchronized boolean hold() {
		if (this.leader) {
			if (confirm()) {
				return true;
			}
			lose("its lock session is gone");
		}
		return acquire();
	}

	/**
	 * Keeps the lock session busy while the relay waits (for Kafka, or between retries),
	 * if the last statement on it was longer than the heartbeat interval ago.
	 * @return whether this relay still leads
	 */
	synchronized boolean beatIfDue() {
		if (this.leader && System.nanoTime() - this.lastBeatNanos >= this.settings.heartbeatInterval().toNanos()) {
			if (!confirm()) {
				lose("its lock session is gone");
			}
		}
		return this.leader;
	}

	/** Gives the leadership up: closes the lock session, which frees the lock. */
	synchronized void release() {
		if (this.leader) {
			this.leader = false;
			log.info("Outbox relay gave up the leadership");
		}
		close();
	}

	private boolean confirm() {
		try (Statement statement = this.connection.createStatement(); ResultSet result = statement.executeQuery("""
				select count(*) from pg_locks
				where locktype = 'advisory' and pid = pg_backend_pid() and granted""")) {
			this.lastBeatNanos = System.nanoTime();
			return result.next() && result.getLong(1) > 0;
		}
		catch (SQLException ex) {
			log.debug("Outbox relay's lock session failed", ex);
			return false;
		}
	}

	private boolean acquire() {
		try {
			if (this.connection == null || this.connection.isClosed()) {
				this.connection = this.connections.open();
				configure(this.connection);
			}
			try (PreparedStatement statement = this.connection.prepareStatement("select pg_try_advisory_lock(?)")) {
				statement.setLong(1, this.lockKey);
				try (ResultSet result = statement.executeQuery()) {
					this.lastBeatNanos = System.nanoTime();
					this.leader = result.next() && result.getBoolean(1);
				}
			}
			if (this.unreachable) {
				log.info("Outbox relay reaches the database again");
				this.unreachable = false;
			}
			if (this.leader) {
				log.info("Outbox relay became the leader");
			}
			return this.leader;
		}
		catch (SQLException ex) {
			if (!this.unreachable) {
				log.warn("Outbox relay cannot open or use its lock session; retrying", ex);
				this.unreachable = true;
			}
			close();
			return false;
		}
	}

	private void configure(Connection connection) throws SQLException {
		connection.setAutoCommit(true);
		try (PreparedStatement statement = connection.prepareStatement("select set_config(?, ?, false)")) {
			set(statement, "idle_session_timeout", millis(this.settings.idleSessionTimeout()));
			set(statement, "idle_in_transaction_session_timeout",
					millis(this.settings.idleInTransactionSessionTimeout()));
			set(statement, "lock_timeout", millis(this.settings.lockTimeout()));
			set(statement, "statement_timeout", millis(this.settings.statementTimeout()));
			set(statement, "tcp_keepalives_idle", seconds(this.settings.tcpKeepalivesIdle()));
			set(statement, "tcp_keepalives_interval", seconds(this.settings.tcpKeepalivesInterval()));
			set(statement, "tcp_keepalives_count", String.valueOf(this.settings.tcpKeepalivesCount()));
		}
	}

	private static void set(PreparedStatement statement, String name, String value) throws SQLException {
		statement.setString(1, name);
		statement.setString(2, value);
		statement.executeQuery().close();
	}

	private static String millis(Duration duration) {
		return duration.toMillis() + "ms";
	}

	private static String seconds(Duration duration) {
		return Math.max(1, duration.toSeconds()) + "s";
	}

	private void lose(String reason) {
		this.leader = false;
		log.info("Outbox relay lost the leadership: {}", reason);
		close();
	}

	private void close() {
		if (this.connection != null) {
			try {
				this.connection.close();
			}
			catch (SQLException ex) {
				log.debug("Closing the outbox relay's lock session failed", ex);
			}
			this.connection = null;
		}
	}

}
