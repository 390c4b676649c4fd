package dev.subscriptions.eventing.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import dev.subscriptions.eventing.TestEvents;
import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * Our bytes are Confluent's bytes: checked against the layout Confluent documents and a
 * real registry (Apicurio's Confluent-compatible API).
 */
class ConfluentWireFormatIntegrationTests {

	private final SchemaRegistryClient registry = new SchemaRegistryClient(
			SharedInfrastructure.schemaRegistry().confluentApiUrl());

	private final ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(this.registry, true);

	private final ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer(this.registry);

	@Test
	void readsARecordAssembledByHandFromConfluentsLayout() throws IOException {
		String topic = uniqueTopic();
		CustomerCreated event = TestEvents.customerCreated(UUID.randomUUID().toString(), "Ada Lovelace");
		int id = this.registry.register(topic + "-" + CustomerCreated.getClassSchema().getFullName(),
				CustomerCreated.getClassSchema());

		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.write(0);
		bytes.write(new byte[] { (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id });
		bytes.write(avroBinary(CustomerCreated.getClassSchema(), asGeneric(event)));

		assertThat(this.deserializer.deserialize(topic, bytes.toByteArray())).isEqualTo(event);
	}

	@Test
	void writesConfluentsLayoutWithTheIdTheRegistryGivesForItsSchema() throws IOException {
		String topic = uniqueTopic();
		CustomerCreated event = TestEvents.customerCreated(UUID.randomUUID().toString(), "Grace Hopper");

		byte[] bytes = this.serializer.serialize(topic, event);

		String subject = topic + "-dev.subscriptions.events.customer.CustomerCreated";
		int registeredId = new SchemaRegistryClient(this.registry.baseUrl()).lookUp(subject,
				CustomerCreated.getClassSchema());
		assertThat(bytes[0]).isZero();
		assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registeredId);
		GenericRecord body = new GenericDatumReader<GenericRecord>(CustomerCreated.getClassSchema()).read(null,
				DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
		assertThat(body.get("customer_id")).hasToString(event.getCustomerId());
		assertThat(body.get("name")).hasToString("Grace Hopper");
	}

	@Test
	void readsRecordsWrittenWithAnOlderAndANewerVersionIntoTheCurrentClass() throws IOException {
		String topic = uniqueTopic();
		Schema current = CustomerCreated.getClassSchema();
		Schema older = withFields(current,
				current.getFields().stream().filter(field -> !field.name().equals("external_id")).toList());
		List<Schema.Field> newerFields = new ArrayList<>(current.getFields());
		newerFields.add(new Schema.Field("locale", Schema.create(Schema.Type.STRING), null, "en"));
		Schema newer = withFields(current, newerFields);
		assertThat(older.getField("external_id")).isNull();
		assertThat(newer.getField("locale")).isNotNull();

		GenericRecord oldRecord = new GenericData.Record(older);
		fill(oldRecord, "Old Writer");
		GenericRecord newRecord = new GenericData.Record(newer);
		fill(newRecord, "New Writer");
		newRecord.put("external_id", "crm-42");
		newRecord.put("locale", "de");

		CustomerCreated fromOlder = (CustomerCreated) this.deserializer.deserialize(topic,
				this.serializer.serialize(topic, oldRecord));
		CustomerCreated fromNewer = (CustomerCreated) this.deserializer.deserialize(topic,
				this.serializer.serialize(topic, newRecord));

		assertThat(fromOlder.getName()).isEqualTo("Old Writer");
		assertThat(fromOlder.getExternalId()).isNull();
		assertThat(fromNewer.getName()).isEqualTo("New Writer");
		assertThat(fromNewer.getExternalId()).isEqualTo("crm-42");
	}

	@Test
	void registryRefusesAnIncompatibleVersion() {
		String subject = uniqueTopic() + "-dev.subscriptions.events.customer.CustomerCreated";
		this.registry.register(subject, CustomerCreated.getClassSchema());
		this.registry.setCompatibility(subject, "FULL_TRANSITIVE");
		Schema incompatible = new Schema.Parser().parse(CustomerCreated.getClassSchema()
			.toString()
			.replace("]}", ",{\"name\":\"plan\",\"type\":\"string\"}]}"));

		assertThatExceptionOfType(SchemaRegistryException.class)
			.isThrownBy(() -> this.registry.register(subject, incompatible))
			.satisfies(refusal -> assertThat(refusal.status()).isEqualTo(409));
	}

	@Test
	void makesNoRegistryCallPerRecord() {
		String topic = uniqueTopic();
		SchemaRegistryClient counted = new SchemaRegistryClient(this.registry.baseUrl());
		ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(counted, true);
		ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer(counted);

		for (int i = 0; i < 1_000; i++) {
			byte[] bytes = serializer.serialize(topic,
					TestEvents.customerCreated(UUID.randomUUID().toString(), "n" + i));
			deserializer.deserialize(topic, bytes);
		}

		assertThat(counted.requestCount()).isEqualTo(1);
	}

	@Test
	void refusesARecordWithoutMagicByteAsUndecodable() {
		assertThatExceptionOfType(UndecodableRecordException.class)
			.isThrownBy(() -> this.deserializer.deserialize("t", "{\"json\": true}".getBytes()));
		assertThatExceptionOfType(UndecodableRecordException.class)
			.isThrownBy(() -> this.deserializer.deserialize("t", new byte[] { 0, 0 }));
	}

	@Test
	void refusesGarbageAfterAValidHeaderAsUndecodable() {
		String topic = uniqueTopic();
		byte[] valid = this.serializer.serialize(topic, TestEvents.customerCreated(UUID.randomUUID().toString(), "x"));
		byte[] garbage = new byte[] { 0, valid[1], valid[2], valid[3], valid[4], (byte) 0xff, (byte) 0xff, 1, 2 };

		assertThatExceptionOfType(UndecodableRecordException.class)
			.isThrownBy(() -> this.deserializer.deserialize(topic, garbage));
	}

	@Test
	void refusesAnUnknownSchemaIdAsUndecodable() {
		byte[] unknownId = new byte[] { 0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 'a' };

		assertThatExceptionOfType(UndecodableRecordException.class)
			.isThrownBy(() -> this.deserializer.deserialize("t", unknownId))
			.withMessageContaining("unknown to the registry");
	}

	@Test
	void reportsAnUnreachableRegistryAsUnavailableNotAsPoison() {
		ConfluentAvroDeserializer cutOff = new ConfluentAvroDeserializer(
				new SchemaRegistryClient("http://localhost:9/apis/ccompat/v7"));

		assertThatExceptionOfType(SchemaRegistryUnavailableException.class)
			.isThrownBy(() -> cutOff.deserialize("t", new byte[] { 0, 0, 0, 0, 1, 2, 'a' }));
	}

	@Test
	void isConfiguredWithConfluentsSettingNames() {
		ConfluentAvroSerializer configured = new ConfluentAvroSerializer();
		configured.configure(Map.of("schema.registry.url", this.registry.baseUrl(), "auto.register.schemas", "true",
				"value.subject.name.strategy", "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"),
				false);
		ConfluentAvroDeserializer reader = new ConfluentAvroDeserializer();
		reader.configure(Map.of("schema.registry.url", this.registry.baseUrl(), "specific.avro.reader", "true"), false);
		String topic = uniqueTopic();
		CustomerCreated event = TestEvents.customerCreated(UUID.randomUUID().toString(), "Configured");

		assertThat(reader.deserialize(topic, configured.serialize(topic, event))).isEqualTo(event);
	}

	private static Schema withFields(Schema schema, List<Schema.Field> fields) {
		return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false,
				fields.stream().map(field -> new Schema.Field(field, field.schema())).toList());
	}

	private static void fill(GenericRecord record, String name) {
		CustomerCreated template = TestEvents.customerCreated(UUID.randomUUID().toString(), name);
		record.put("event_id", template.getEventId());
		record.put("occurred_at", template.getOccurredAt().toEpochMilli());
		record.put("organization_id", template.getOrganizationId());
		record.put("customer_id", template.getCustomerId());
		record.put("email", template.getEmail());
		record.put("name", template.getName());
	}

	private static GenericRecord asGeneric(CustomerCreated event) {
		GenericRecord record = new GenericData.Record(CustomerCreated.getClassSchema());
		fill(record, event.getName());
		record.put("event_id", event.getEventId());
		record.put("occurred_at", event.getOccurredAt().toEpochMilli());
		record.put("customer_id", event.getCustomerId());
		record.put("email", event.getEmail());
		return record;
	}

	private static byte[] avroBinary(Schema schema, GenericRecord record) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
		new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
		encoder.flush();
		return out.toByteArray();
	}

	private static String uniqueTopic() {
		return "wire-format-" + UUID.randomUUID();
	}

}
