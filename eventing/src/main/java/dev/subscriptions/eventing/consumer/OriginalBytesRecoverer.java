package dev.subscriptions.eventing.consumer;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

import dev.subscriptions.eventing.serde.WireFormat;

/**
 * Publishes a dead letter to {@code <topic><suffix>} with the bytes the record had on its
 * topic: for a record that did not decode, those Spring kept with the decoding failure;
 * for a record that decoded, those the deserializer kept in
 * {@link WireFormat#ORIGINAL_VALUE_HEADER} (the header itself is not published). The dead
 * letter adds the headers naming the innermost cause
 * ({@link DeadLetters#ROOT_CAUSE_CLASS_HEADER},
 * {@link DeadLetters#ROOT_CAUSE_MESSAGE_HEADER}) to Spring's {@code kafka_dlt-*} headers,
 * which name the outermost ones. Each dead letter Kafka acknowledged is counted in
 * {@link SentDeadLetters}.
 */
class OriginalBytesRecoverer extends DeadLetterPublishingRecoverer {

	private final String suffix;

	private final SentDeadLetters sent;

	OriginalBytesRecoverer(KafkaOperations<?, ?> template, String suffix, SentDeadLetters sent) {
		super(template, (record, exception) -> new TopicPartition(record.topic() + suffix, -1));
		this.suffix = suffix;
		this.sent = sent;
		setHeadersFunction((record, exception) -> rootCauseHeaders(exception));
	}

	/**
	 * Publishes the dead letter and waits for Kafka's acknowledgement (a failed send
	 * throws, and the record is tried again), then counts it.
	 */
	@Override
	public void accept(ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer, Exception exception) {
		super.accept(record, consumer, exception);
		this.sent.sent(groupOf(consumer), record.topic() + this.suffix, DeadLetters.classify(exception));
	}

	@Override
	protected ProducerRecord<Object, Object> createProducerRecord(ConsumerRecord<?, ?> record,
			TopicPartition topicPartition, Headers headers, byte @Nullable [] key, byte @Nullable [] value) {
		Header original = headers.lastHeader(WireFormat.ORIGINAL_VALUE_HEADER);
		headers.remove(WireFormat.ORIGINAL_VALUE_HEADER);
		byte @Nullable [] originalValue = (value != null) ? value : (original != null) ? original.value() : null;
		return super.createProducerRecord(record, topicPartition, headers, key, originalValue);
	}

	private static String groupOf(@Nullable Consumer<?, ?> consumer) {
		try {
			return (consumer != null) ? consumer.groupMetadata().groupId() : "none";
		}
		catch (RuntimeException ex) {
			return "none";
		}
	}

	private static Headers rootCauseHeaders(Exception exception) {
		Throwable root = DeadLetters.rootCause(exception);
		Headers headers = new RecordHeaders();
		headers.add(DeadLetters.ROOT_CAUSE_CLASS_HEADER, root.getClass().getName().getBytes(StandardCharsets.UTF_8));
		headers.add(DeadLetters.ROOT_CAUSE_MESSAGE_HEADER,
				String.valueOf(root.getMessage()).getBytes(StandardCharsets.UTF_8));
		return headers;
	}

}
