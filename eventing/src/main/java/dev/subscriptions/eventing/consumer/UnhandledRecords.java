package dev.subscriptions.eventing.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.generic.GenericContainer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Where the default handler of a class-level {@code @KafkaListener} hands the records it
 * has no handler for: an event type added to the topic later, or one of another
 * service's. Each is logged at debug and counted as
 * {@value #METER}{@code {group,topic,type}}, then skipped (its offset is committed like
 * any other). <pre class="code">
 * &#64;KafkaHandler(isDefault = true)
 * public void unhandled(Object value, &#64;Header(KafkaHeaders.RECEIVED_TOPIC) String topic) {
 * 	this.unhandled.skip(GROUP, topic, value);
 * }
 * </pre>
 */
public class UnhandledRecords {

	/** The counter of skipped records. */
	public static final String METER = "kafka.listener.unhandled";

	private static final Log logger = LogFactory.getLog(UnhandledRecords.class);

	private final MeterRegistry meters;

	public UnhandledRecords(MeterRegistry meters) {
		this.meters = meters;
	}

	/**
	 * Skips a record that {@code group}'s listener of {@code topic} has no handler for.
	 * @param value the record's value: an Avro record is counted by its schema's full
	 * name, anything else by its class
	 */
	public void skip(String group, String topic, @Nullable Object value) {
		String type = type(value);
		if (logger.isDebugEnabled()) {
			logger.debug("Skipping a " + type + " from " + topic + " in group " + group + ": no handler for it");
		}
		Counter.builder(METER)
			.description("Records a listener skipped because it has no handler for their type")
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
		return (value != null) ? value.getClass().getName() : "null";
	}

}
