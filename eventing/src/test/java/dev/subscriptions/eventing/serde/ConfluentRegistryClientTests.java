package dev.subscriptions.eventing.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.subscriptions.eventing.TestEvents;
import dev.subscriptions.events.customer.CustomerCreated;

/**
 * How the registry client and the serde read the registry's answers, against a stand-in
 * registry whose answers a test chooses: what is poison, what is an outage, credentials
 * and timeouts.
 */
class ConfluentRegistryClientTests {

	private static final int SCHEMA_ID = 7;

	private final StandInRegistry registry = new StandInRegistry();

	@AfterEach
	void stopRegistry() {
		this.registry.close();
	}

	@Test
	void sendsBasicAuthCredentialsConfiguredWithConfluentsSettings() throws IOException {
		this.registry.answer(200, "application/vnd.schemaregistry.v1+json", schemaAnswer());
		ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer();
		deserializer.configure(Map.of("schema.registry.url", this.registry.url(), "basic.auth.credentials.source",
				"USER_INFO", "basic.auth.user.info", "reader:s3cret"), false);
		CustomerCreated event = TestEvents.customerCreated(UUID.randomUUID().toString(), "Authenticated");

		assertThat(deserializer.deserialize("t", framed(event))).isEqualTo(event);
		assertThat(this.registry.authorization)
			.isEqualTo("Basic " + Base64.getEncoder().encodeToString("reader:s3cret".getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void sendsABearerToken() {
		this.registry.answer(200, "application/json", "{\"id\": 3}");
		ConfluentAvroSerializer serializer = new ConfluentAvroSerializer();
		serializer.configure(Map.of("schema.registry.url", this.registry.url(), "bearer.auth.credentials.source",
				"STATIC_TOKEN", "bearer.auth.token", "t0ken"), false);

		byte[] bytes = serializer.serialize("t", TestEvents.customerCreated(UUID.randomUUID().toString(), "Bearer"));

		assertThat(bytes[4]).isEqualTo((byte) 3);
		assertThat(this.registry.authorization).isEqualTo("Bearer t0ken");
	}

	@Test
	void keepsTheBytesOfADecodedRecordInAHeader() throws IOException {
		this.registry.answer(200, "application/json", schemaAnswer());
		ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer(client(Duration.ofSeconds(5)));
		byte[] bytes = framed(TestEvents.customerCreated(UUID.randomUUID().toString(), "Kept"));
		RecordHeaders headers = new RecordHeaders();

		deserializer.deserialize("t", headers, bytes);

		assertThat(headers.lastHeader(WireFormat.ORIGINAL_VALUE_HEADER).value()).isSameAs(bytes);
	}

	@Test
	void readsOnlyErrorCode40403AsAnUnknownSchemaId() {
		this.registry.answer(404, "application/json", "{\"error_code\":40403,\"message\":\"Schema 7 not found\"}");

		assertThatExceptionOfType(UndecodableRecordException.class).isThrownBy(this::deserializeSchema7)
			.withMessageContaining("unknown to the registry");
	}

	@ParameterizedTest(name = "{0} {1}: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			401 | application/json | {"error_code":40101,"message":"Unauthorized"}
			403 | application/json | {"error_code":40301,"message":"Forbidden"}
			404 | application/json | {"error_code":404,"message":"HTTP 404 Not Found"}
			404 | text/plain       |
			404 | application/json | {"error_code":40401,"message":"Subject not found"}
			503 | application/json | {"error_code":50301,"message":"down"}
			500 | application/json | {"error_code":50001,"message":"Error in the backend data store"}
			200 | text/html        | <html><body>Maintenance</body></html>
			502 | text/html        | <html><body>Bad gateway</body></html>
			200 | application/json | {"unexpected": true}
			""")
	void reportsEveryOtherFailedAnswerAsUnavailableNotAsPoison(int status, String contentType, String body) {
		this.registry.answer(status, contentType, (body != null) ? body : "");

		assertThatExceptionOfType(SchemaRegistryUnavailableException.class).isThrownBy(this::deserializeSchema7);
	}

	@Test
	void givesUpOnASlowRegistryAfterTheReadTimeout() {
		this.registry.answer(200, "application/json", schemaAnswer());
		this.registry.delay = Duration.ofSeconds(5);
		ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer(client(Duration.ofMillis(300)));

		Instant start = Instant.now();
		assertThatExceptionOfType(SchemaRegistryUnavailableException.class)
			.isThrownBy(() -> deserializer.deserialize("t", new byte[] { 0, 0, 0, 0, SCHEMA_ID, 2, 'a' }));
		assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(3));
	}

	@Test
	void sharesOneClientPerUrlCredentialsAndTimeouts() {
		String url = this.registry.url();
		SchemaRegistryClient.Settings reader = new SchemaRegistryClient.Settings("reader:a", null,
				Duration.ofSeconds(1), Duration.ofSeconds(2));

		assertThat(SchemaRegistryClient.forUrl(url))
			.isSameAs(SchemaRegistryClient.forUrl(url, SchemaRegistryClient.Settings.DEFAULT));
		assertThat(SchemaRegistryClient.forUrl(url, reader))
			.isSameAs(SchemaRegistryClient.forConfigs(Map.of("schema.registry.url", url, "basic.auth.user.info",
					"reader:a", "http.connect.timeout.ms", "1000", "http.read.timeout.ms", "2s")));
		assertThat(SchemaRegistryClient.forUrl(url, reader)).isNotSameAs(SchemaRegistryClient.forUrl(url))
			.isNotSameAs(SchemaRegistryClient.forUrl(url,
					new SchemaRegistryClient.Settings("reader:b", null, Duration.ofSeconds(1), Duration.ofSeconds(2))));
	}

	@Test
	void writesItsSettingsAsConfluentsSettingsWithoutPrintingSecrets() {
		SchemaRegistryClient.Settings settings = new SchemaRegistryClient.Settings("user:pa55", null,
				Duration.ofSeconds(3), Duration.ofSeconds(4));

		assertThat(SchemaRegistryClient.Settings.fromConfigs(settings.toConfigs())).isEqualTo(settings);
		assertThat(
				SchemaRegistryClient.Settings.fromConfigs(Map.of("basic.auth.user.info", " ", "bearer.auth.token", "")))
			.isEqualTo(SchemaRegistryClient.Settings.DEFAULT);
		assertThat(settings.toString()).doesNotContain("pa55");
	}

	private Object deserializeSchema7() {
		return new ConfluentAvroDeserializer(client(Duration.ofSeconds(5))).deserialize("t",
				new byte[] { 0, 0, 0, 0, SCHEMA_ID, 2, 'a' });
	}

	private SchemaRegistryClient client(Duration readTimeout) {
		return new SchemaRegistryClient(this.registry.url(),
				new SchemaRegistryClient.Settings(null, null, Duration.ofSeconds(1), readTimeout));
	}

	private static String schemaAnswer() {
		return new ObjectMapper().createObjectNode()
			.put("schema", CustomerCreated.getClassSchema().toString())
			.toString();
	}

	private static byte[] framed(CustomerCreated event) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(new byte[] { 0, 0, 0, 0, SCHEMA_ID });
		BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
		new SpecificDatumWriter<CustomerCreated>(CustomerCreated.class).write(event, encoder);
		encoder.flush();
		return out.toByteArray();
	}

	/**
	 * Answers every request with the status, content type and body a test chose, after a
	 * delay it chose.
	 */
	private static final class StandInRegistry implements AutoCloseable {

		private final HttpServer server;

		private volatile int status = 200;

		private volatile String contentType = "application/json";

		private volatile String body = "{}";

		private volatile Duration delay = Duration.ZERO;

		private final CountDownLatch closed = new CountDownLatch(1);

		private volatile String authorization;

		StandInRegistry() {
			try {
				this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			this.server.createContext("/", this::answer);
			this.server.setExecutor(Executors.newCachedThreadPool());
			this.server.start();
		}

		String url() {
			return "http://localhost:" + this.server.getAddress().getPort() + "/apis/ccompat/v7";
		}

		void answer(int status, String contentType, String body) {
			this.status = status;
			this.contentType = contentType;
			this.body = body;
		}

		private void answer(HttpExchange exchange) throws IOException {
			try (exchange) {
				this.authorization = exchange.getRequestHeaders().getFirst("Authorization");
				exchange.getRequestBody().readAllBytes();
				this.closed.await(this.delay.toMillis(), TimeUnit.MILLISECONDS);
				byte[] bytes = this.body.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", this.contentType);
				exchange.sendResponseHeaders(this.status, (bytes.length == 0) ? -1 : bytes.length);
				if (bytes.length > 0) {
					try (OutputStream out = exchange.getResponseBody()) {
						out.write(bytes);
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void close() {
			this.closed.countDown();
			this.server.stop(0);
		}

	}

}
