package dev.subscriptions.eventing.serde;

/**
 * Confluent's wire format: magic byte {@code 0}, the schema id as a 4-byte big-endian
 * integer, then the Avro binary encoding of the record with that schema. It is what
 * {@code io.confluent.kafka.serializers.KafkaAvroSerializer} writes, so Confluent's
 * serializers in any language read and write the same bytes.
 */
public final class WireFormat {

	/** The first byte of every record. */
	public static final byte MAGIC_BYTE = 0;

	/** Magic byte plus schema id. */
	public static final int HEADER_LENGTH = 5;

	/** Confluent's setting for the registry's base URL. */
	public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

	/** Confluent's setting: register a schema that the subject does not have yet. */
	public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

	/**
	 * Confluent's setting: read into generated classes rather than {@code GenericRecord}.
	 */
	public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

	/**
	 * Confluent's setting for how subjects are named; only the topic-and-record-name
	 * strategy is supported.
	 */
	public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

	/**
	 * The one subject name strategy supported: subject =
	 * {@code <topic>-<full record name>}.
	 */
	public static final String TOPIC_RECORD_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy";

	/**
	 * Confluent's setting: where basic auth credentials come from, {@code USER_INFO} or
	 * {@code URL}.
	 */
	public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";

	/**
	 * Confluent's setting: {@code user:password} for the registry's basic authentication.
	 */
	public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

	/**
	 * Confluent's setting: where the bearer token comes from; only {@code STATIC_TOKEN}
	 * is supported.
	 */
	public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";

	/** Confluent's setting: a static bearer token for the registry. */
	public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";

	/**
	 * Confluent's setting: how long to wait for a connection to the registry, in
	 * milliseconds.
	 */
	public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";

	/**
	 * Confluent's setting: how long to wait for the registry's answer, in milliseconds.
	 */
	public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";

	/**
	 * Not one of Confluent's settings: when {@code true}, a serializer writes only
	 * records whose subject and schema were registered (or looked up) before, typically
	 * at start-up, and refuses all others without calling the registry.
	 */
	public static final String REGISTERED_ONLY = "eventing.registered.only";

	/**
	 * The header in which {@link ConfluentAvroDeserializer} keeps the bytes of a record
	 * it decoded, so that a dead letter can carry them unchanged.
	 */
	public static final String ORIGINAL_VALUE_HEADER = "eventing-original-value";

	private WireFormat() {
	}

	/** The subject of a record type on a topic under {@code TopicRecordNameStrategy}. */
	public static String subject(String topic, String recordFullName) {
		return topic + "-" + recordFullName;
	}

}
