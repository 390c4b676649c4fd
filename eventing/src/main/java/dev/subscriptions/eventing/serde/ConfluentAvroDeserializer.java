package dev.subscriptions.eventing.serde;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Reads records in Confluent's wire format ({@link WireFormat}).
 * <p>
 * The writer schema is fetched by id (once, then cached); the record is read into the
 * generated class of the same full name with Avro schema resolution, so records written
 * with an older or a newer compatible version read alike. A record type with no generated
 * class on the classpath is returned as a {@code GenericRecord}.
 * <p>
 * Failures are told apart, because a consumer must treat them differently:
 * {@link UndecodableRecordException} for poison (no magic byte, a schema id the registry
 * answers with error code 40403, a body that does not decode),
 * {@link SchemaRegistryUnavailableException} for every other registry failure, even a
 * 4xx: a registry that cannot answer now must not turn good records into dead letters.
 * <p>
 * A record decoded with its headers at hand (as Kafka's consumer and Spring's
 * {@code ErrorHandlingDeserializer} call it) keeps its bytes in the header
 * {@link WireFormat#ORIGINAL_VALUE_HEADER}, so that a dead letter can carry exactly what
 * was produced, even when it was written with a newer schema than the consumer's. The
 * header shares the array the consumer allocated for the value; nothing is copied.
 * <p>
 * A drop-in for {@code io.confluent.kafka.serializers.KafkaAvroDeserializer} with
 * {@code specific.avro.reader=true}, configured by the same settings, registry
 * credentials and timeouts included ({@link SchemaRegistryClient.Settings}).
 */
public class ConfluentAvroDeserializer implements Deserializer<Object> {

	private static final int UNKNOWN_SCHEMA_ERROR_CODE = 40403;

	private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

	private SchemaRegistryClient registry;

	private boolean specific = true;

	public ConfluentAvroDeserializer() {
	}

	/** A deserializer for code that does not configure it through Kafka properties. */
	public ConfluentAvroDeserializer(SchemaRegistryClient registry) {
		this.registry = registry;
	}

	@Override
	public void configure(Map<String, ?> configs, boolean isKey) {
		this.registry = SchemaRegistryClient.forConfigs(configs);
		Object specific = configs.get(WireFormat.SPECIFIC_AVRO_READER);
		this.specific = (specific == null) || Boolean.parseBoolean(specific.toString());
	}

	@Override
	public @Nullable Object deserialize(String topic, @Nullable Headers headers, byte @Nullable [] data) {
		Object record = deserialize(topic, data);
		if (data != null && headers != null) {
			headers.remove(WireFormat.ORIGINAL_VALUE_HEADER);
			headers.add(WireFormat.ORIGINAL_VALUE_HEADER, data);
		}
		return record;
	}

	@Override
	public @Nullable Object deserialize(String topic, byte @Nullable [] data) {
		if (data == null) {
			return null;
		}
		if (data.length < WireFormat.HEADER_LENGTH || data[0] != WireFormat.MAGIC_BYTE) {
			throw new UndecodableRecordException("Record on " + topic + " is not in Confluent's wire format"
					+ " (no magic byte 0 followed by a 4-byte schema id)");
		}
		int id = ByteBuffer.wrap(data, 1, 4).getInt();
		DatumReader<Object> reader = this.readers.computeIfAbsent(id, this::readerFor);
		BinaryDecoder decoder = DecoderFactory.get()
			.binaryDecoder(data, WireFormat.HEADER_LENGTH, data.length - WireFormat.HEADER_LENGTH, null);
		try {
			Object record = reader.read(null, decoder);
			if (!decoder.isEnd()) {
				throw new UndecodableRecordException("Record on " + topic + " has bytes left over after schema " + id);
			}
			return record;
		}
		catch (UndecodableRecordException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new UndecodableRecordException("Record on " + topic + " does not decode with schema " + id, ex);
		}
	}

	@SuppressWarnings("unchecked")
	private DatumReader<Object> readerFor(int id) {
		Schema writer;
		try {
			writer = this.registry.schemaById(id);
		}
		catch (SchemaRegistryException ex) {
			if (ex.errorCode() == UNKNOWN_SCHEMA_ERROR_CODE) {
				throw new UndecodableRecordException("Schema id " + id + " is unknown to the registry", ex);
			}
			throw new SchemaRegistryUnavailableException("Schema registry could not give schema id " + id
					+ ", and did not say it is unknown (error code 40403): " + ex.getMessage(), null);
		}
		if (this.specific) {
			Class<?> type = SpecificData.get().getClass(writer);
			if (type != null) {
				Schema reader = SpecificData.get().getSchema(type);
				return (DatumReader<Object>) (DatumReader<?>) new SpecificDatumReader<>(writer, reader);
			}
		}
		return new GenericDatumReader<>(writer);
	}

}
