package dev.subscriptions.eventing.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/**
 * Which send failures the relay retries and which park the row.
 */
class OutboxSendFailureTests {

	@Test
	void retriesWhatHealsByWaiting() {
		assertThat(SendFailure.of(new NotEnoughReplicasException("isr"), false)).isEqualTo(SendFailure.RETRIABLE);
		assertThat(SendFailure.of(new NotLeaderOrFollowerException("moved"), false)).isEqualTo(SendFailure.RETRIABLE);
		assertThat(SendFailure.of(new TimeoutException("Expiring 3 record(s)"), false))
			.isEqualTo(SendFailure.RETRIABLE);
		assertThat(SendFailure.of(new KafkaException("Producer is closed forcefully."), false))
			.isEqualTo(SendFailure.RETRIABLE);
		assertThat(SendFailure.RETRIABLE.parksAtOnce()).isFalse();
	}

	@Test
	void asksAboutTheTopicWhenItsMetadataDidNotCome() {
		assertThat(SendFailure.of(new TimeoutException("Topic t not present in metadata after 1000 ms."), true))
			.isEqualTo(SendFailure.UNKNOWN_TOPIC);
		assertThat(SendFailure.of(new UnknownTopicOrPartitionException("gone"), false))
			.isEqualTo(SendFailure.UNKNOWN_TOPIC);
		assertThat(SendFailure.UNKNOWN_TOPIC.parksAtOnce()).isFalse();
	}

	@Test
	void parksWhatNeverHeals() {
		assertThat(SendFailure.of(new ExecutionException(new RecordTooLargeException("2 MB")), false))
			.isEqualTo(SendFailure.RECORD_TOO_LARGE);
		assertThat(SendFailure.of(new InvalidTopicException("bad name"), true)).isEqualTo(SendFailure.INVALID_TOPIC);
		assertThat(SendFailure.of(new TopicAuthorizationException("denied"), false))
			.isEqualTo(SendFailure.TOPIC_AUTHORIZATION);
		assertThat(SendFailure.of(new KafkaException(new SerializationException("no")), true))
			.isEqualTo(SendFailure.SERIALIZATION);
		assertThat(SendFailure.RECORD_TOO_LARGE.parksAtOnce()).isTrue();
		assertThat(SendFailure.RECORD_TOO_LARGE.cause()).isEqualTo("record_too_large");
	}

}
