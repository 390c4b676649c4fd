package dev.subscriptions.eventing.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.transaction.CannotCreateTransactionException;

import dev.subscriptions.eventing.consumer.DeadLetters.Failure;
import dev.subscriptions.eventing.serde.SchemaRegistryUnavailableException;
import dev.subscriptions.eventing.serde.UndecodableRecordException;

/**
 * Which failures are poison, which repeat and which are outages, for exceptions as
 * Spring's PostgreSQL translation and the listener container wrap them.
 */
class ConsumerFailureClassificationTests {

	private final SQLErrorCodeSQLExceptionTranslator postgresql = new SQLErrorCodeSQLExceptionTranslator("PostgreSQL");

	@ParameterizedTest(name = "SQLSTATE {0} is {1}")
	@CsvSource({ "57014, DETERMINISTIC", "22012, DETERMINISTIC", "22001, DETERMINISTIC", "22P02, DETERMINISTIC",
			"23505, DETERMINISTIC", "23503, DETERMINISTIC", "23514, DETERMINISTIC", "42P01, DETERMINISTIC",
			"08006, OUTAGE", "08001, OUTAGE", "08003, OUTAGE", "40001, OUTAGE", "40P01, OUTAGE", "55P03, OUTAGE",
			"57P01, OUTAGE", "53300, OUTAGE", "25006, OUTAGE" })
	void classifiesADatabaseErrorBySqlState(String state, Failure expected) {
		DataAccessException translated = translated(new SQLException("failed with " + state, state));

		assertThat(DeadLetters.classify(inListener(translated))).isEqualTo(expected);
	}

	@Test
	void boundsAStatementTimeoutThatSpringTranslatesAsTransient() {
		DataAccessException translated = translated(
				new SQLException("canceling statement due to statement timeout", "57014"));

		assertThat(translated).isInstanceOf(QueryTimeoutException.class)
			.isInstanceOf(TransientDataAccessException.class);
		assertThat(DeadLetters.classify(inListener(translated))).isEqualTo(Failure.DETERMINISTIC);
		assertThat(DeadLetters.classify(new QueryTimeoutException("no SQLSTATE"))).isEqualTo(Failure.DETERMINISTIC);
	}

	@Test
	void waitsForADatabaseThatRefusesConnections() {
		CannotCreateTransactionException noConnection = new CannotCreateTransactionException("no connection",
				new SQLTransientConnectionException("HikariPool-1 - Connection is not available", (String) null,
						new ConnectException("Connection refused")));

		assertThat(DeadLetters.classify(inListener(noConnection))).isEqualTo(Failure.OUTAGE);
	}

	@Test
	void waitsForTheRegistryAndKafka() {
		DeserializationException registryDown = new DeserializationException("failed to deserialize", new byte[] { 0 },
				false, new SchemaRegistryUnavailableException("registry answered 503", null));

		assertThat(DeadLetters.classify(inListener(registryDown))).isEqualTo(Failure.OUTAGE);
		assertThat(DeadLetters.classify(inListener(new TimeoutException("send timed out")))).isEqualTo(Failure.OUTAGE);
	}

	@Test
	void deadLettersUndecodableRecordsAtOnce() {
		DeserializationException undecodable = new DeserializationException("failed to deserialize",
				new byte[] { 1, 2 }, false, new UndecodableRecordException("no magic byte"));
		DeserializationException otherDeserializer = new DeserializationException("failed to deserialize",
				new byte[] { 1, 2 }, false, new org.apache.kafka.common.errors.SerializationException("Unknown magic"));

		assertThat(DeadLetters.classify(undecodable)).isEqualTo(Failure.POISON);
		assertThat(DeadLetters.classify(otherDeserializer)).isEqualTo(Failure.POISON);
	}

	@Test
	void boundsTheHandlersOwnExceptions() {
		assertThat(DeadLetters.classify(inListener(new IllegalStateException("refused"))))
			.isEqualTo(Failure.DETERMINISTIC);
		assertThat(DeadLetters.classify(inListener(new org.apache.kafka.common.errors.SerializationException(
				"an event type the handler appends was not registered"))))
			.isEqualTo(Failure.DETERMINISTIC);
	}

	/** As {@code JdbcTemplate} translates it. */
	private DataAccessException translated(SQLException exception) {
		DataAccessException translated = this.postgresql.translate("handling a record", "select 1", exception);
		return (translated != null) ? translated
				: new UncategorizedSQLException("handling a record", "select 1", exception);
	}

	private static ListenerExecutionFailedException inListener(Exception exception) {
		return new ListenerExecutionFailedException("Listener method threw", "eventing-tests", exception);
	}

}
