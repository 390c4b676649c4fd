package dev.subscriptions.eventing.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.generic.GenericContainer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.support.KafkaNull;

/**
 * Where the default handler of a class-level {@code @KafkaListener} hands the records it
 * has no handler for: an event type added to the topic later, one of another service's,
 * or a record without value (a tombstone: the platform's topics are compacted, and other
 * teams may write to them). Each is logged at debug and counted as
 * {@value #METER}{@code {group,topic,type}}, then skipped (its offset is committed like
 * any other). <pre class="code">
 * &#64;KafkaHandler(isDefault = true)
 * public void unhandled(&#64;Payload(required = false) &#64;Nullable Object value,
 * 		&#64;Header(KafkaHeaders.RECEIVED_TOPIC) String topic) {
 * 	this.unhandled.skip(GROUP, topic, value);
 * }
 * </pre> Spring Kafka (4.1) hands a tombstone to the default handler as
 * {@link KafkaNull#INSTANCE}, with or without {@code @Payload(required = false)}: no
 * error, no retry, no dead letter. The payload is declared not required all the same, so
 * that a {@code null} payload is not refused as a missing required one; both count as
 * {@value #TOMBSTONE}.
 */
public class UnhandledRecords {

	/** The counter of skipped records. */
	public static final String METER = "kafka.listener.unhandled";

	/** The {@code type} tag of a record without value (a tombstone). */
	public static final String TOMBSTONE = "tombstone";

	private static final Log logger = LogFactory.getLog(UnhandledRecords.class);

	private final MeterRegistry meters;

	public UnhandledRecords(MeterRegistry meters) {
		this.meters = meters;
	}

	/**
	 * Skips a record that {@code group}'s listener of {@code topic} has no handler for.
	 * @param value the record's value: an Avro record is counted by its schema's full
	 * name, a missing value ({@code null} or {@link KafkaNull}) as {@value #TOMBSTONE},
	 * anything else by its class
	 */
	public void skip(String group, String topic, @Nullable Object value) {
		String type = type(value);
		if (logger.isDebugEnabled()) {
			logger.debug("Skipping a " + type + " from " + topic + " in group " + group
					+ (TOMBSTONE.equals(type) ? ": no value" : ": no handler for it"));
		}
		Counter.builder(METER)
			.description("Records a listener skipped because it has no handler for their type, or they have no value")
			.tag("group", group)
			.tag("topic", topic)
			.tag("type", type)
			.register(this.meters)
			.increment();
	}

	private static String type(@Nullable Object value) {
		if (value instanceof GenericContainer avro) {
			return avro.getSchema().getFullName();
		}
		return (value != null && !(value instanceof KafkaNull)) ? value.getClass().getName() : TOMBSTONE;
	}

}
