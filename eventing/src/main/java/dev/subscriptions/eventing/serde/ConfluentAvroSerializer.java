package dev.subscriptions.eventing.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Writes Avro records in Confluent's wire format ({@link WireFormat}) with subjects named
 * by {@code TopicRecordNameStrategy}, so several event types can share one topic.
 * <p>
 * A drop-in for {@code io.confluent.kafka.serializers.KafkaAvroSerializer} configured
 * with
 * {@code value.subject.name.strategy=io.confluent.kafka.serializers.subject.TopicRecordNameStrategy}:
 * it reads the same settings ({@code schema.registry.url}, {@code auto.register.schemas},
 * the registry's credentials and timeouts) and writes the same bytes.
 * <p>
 * With {@code registeredOnly} (setting {@link WireFormat#REGISTERED_ONLY}) it makes no
 * registry call at all: it writes the records whose subject and schema were registered or
 * looked up before, as {@code SchemaRegistration} does at start-up, and refuses every
 * other record at once with a {@link SerializationException} that names the subject. That
 * is how the outbox serializes: inside the caller's database transaction, where waiting
 * for a registry would hold the transaction open and a registry outage would fail the
 * user's request.
 */
public class ConfluentAvroSerializer implements Serializer<Object> {

	private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

	private SchemaRegistryClient registry;

	private boolean autoRegister = true;

	private boolean registeredOnly;

	public ConfluentAvroSerializer() {
	}

	/** A serializer for code that does not configure it through Kafka properties. */
	public ConfluentAvroSerializer(SchemaRegistryClient registry, boolean autoRegister) {
		this(registry, autoRegister, false);
	}

	/**
	 * A serializer for code that does not configure it through Kafka properties.
	 * @param registry the registry client
	 * @param autoRegister register a schema that the subject does not have yet
	 * @param registeredOnly write only schemas already cached by {@code registry}, with
	 * no registry call
	 */
	public ConfluentAvroSerializer(SchemaRegistryClient registry, boolean autoRegister, boolean registeredOnly) {
		this.registry = registry;
		this.autoRegister = autoRegister;
		this.registeredOnly = registeredOnly;
	}

	@Override
	public void configure(Map<String, ?> configs, boolean isKey) {
		Object strategy = configs.get(isKey ? "key.subject.name.strategy" : WireFormat.VALUE_SUBJECT_NAME_STRATEGY);
		if (strategy != null && !WireFormat.TOPIC_RECORD_NAME_STRATEGY.equals(strategy.toString())) {
			throw new IllegalArgumentException("Only " + WireFormat.TOPIC_RECORD_NAME_STRATEGY + " is supported");
		}
		this.registry = SchemaRegistryClient.forConfigs(configs);
		Object autoRegister = configs.get(WireFormat.AUTO_REGISTER_SCHEMAS);
		this.autoRegister = (autoRegister == null) || Boolean.parseBoolean(autoRegister.toString());
		Object registeredOnly = configs.get(WireFormat.REGISTERED_ONLY);
		this.registeredOnly = (registeredOnly != null) && Boolean.parseBoolean(registeredOnly.toString());
	}

	@Override
	public byte @Nullable [] serialize(String topic, @Nullable Object data) {
		if (data == null) {
			return null;
		}
		if (!(data instanceof IndexedRecord record)) {
			throw new SerializationException("Not an Avro record: " + data.getClass().getName());
		}
		Schema schema = record.getSchema();
		int id = idFor(WireFormat.subject(topic, schema.getFullName()), schema);
		ByteArrayOutputStream out = new ByteArrayOutputStream(128);
		out.write(WireFormat.MAGIC_BYTE);
		out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
		BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
		try {
			this.writers.computeIfAbsent(schema, ConfluentAvroSerializer::writerFor).write(record, encoder);
			encoder.flush();
		}
		catch (IOException | RuntimeException ex) {
			throw new SerializationException("Could not write " + schema.getFullName() + " for topic " + topic, ex);
		}
		return out.toByteArray();
	}

	private int idFor(String subject, Schema schema) {
		if (!this.registeredOnly) {
			return this.registry.idFor(subject, schema, this.autoRegister);
		}
		Integer id = this.registry.cachedIdFor(subject, schema);
		if (id == null) {
			throw new SerializationException("The schema of " + schema.getFullName() + " was not registered under "
					+ subject + " at start-up; declare it in an EventSchemas bean for its topic (this serializer "
					+ "makes no registry call, it runs inside business transactions)");
		}
		return id;
	}

	@SuppressWarnings("unchecked")
	private static DatumWriter<Object> writerFor(Schema schema) {
		return (SpecificRecord.class.isAssignableFrom(specificClassOrObject(schema)))
				? (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(schema)
				: new GenericDatumWriter<>(schema);
	}

	private static Class<?> specificClassOrObject(Schema schema) {
		Class<?> type = org.apache.avro.specific.SpecificData.get().getClass(schema);
		return (type != null) ? type : Object.class;
	}

}
