package dev.subscriptions.eventing.serde;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;

/**
 * A small client of Confluent's Schema Registry REST API (served by Confluent Schema Registry, Apicurio's
 * {@code /apis/ccompat/v7}, Redpanda and Karapace alike).
 * <p>
 * Ids are cached by subject and schema, schemas by id: once a schema is known, serializing and deserializing make no
 * registry call. One instance per registry URL is shared by the whole JVM ({@link #forUrl(String)}), so the schemas
 * registered at start-up are already cached when the first record is written.
 */
public final class SchemaRegistryClient {

	private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

	private static final Map<String, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

	private final ObjectMapper json = new ObjectMapper();

	private final String baseUrl;

	private final HttpClient http;

	private final Map<SubjectSchema, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

	private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

	private final AtomicLong requests = new AtomicLong();

	public SchemaRegistryClient(String baseUrl) {
		this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	}

	/** The client of the registry at {@code baseUrl}, shared by the JVM. */
	public static SchemaRegistryClient forUrl(String baseUrl) {
		if (baseUrl == null || baseUrl.isBlank()) {
			throw new IllegalArgumentException(WireFormat.SCHEMA_REGISTRY_URL + " is not set");
		}
		return CLIENTS.computeIfAbsent(baseUrl, SchemaRegistryClient::new);
	}

	/**
	 * The id of {@code schema} under {@code subject}, registering it first when {@code autoRegister} is set; from the
	 * cache after the first call.
	 */
	public int idFor(String subject, Schema schema, boolean autoRegister) {
		SubjectSchema key = new SubjectSchema(subject, schema);
		Integer id = this.idsBySubjectAndSchema.get(key);
		if (id == null) {
			id = autoRegister ? register(subject, schema) : lookUp(subject, schema);
		}
		return id;
	}

	/** Registers a schema under a subject ({@code POST /subjects/{subject}/versions}) and returns its id. */
	public int register(String subject, Schema schema) {
		JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
		return remember(subject, schema, answer.get("id").asInt());
	}

	/** The id of a schema already registered under a subject ({@code POST /subjects/{subject}}). */
	public int lookUp(String subject, Schema schema) {
		JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
		return remember(subject, schema, answer.get("id").asInt());
	}

	/** The schema with the given id ({@code GET /schemas/ids/{id}}); from the cache after the first call. */
	public Schema schemaById(int id) {
		Schema schema = this.schemasById.get(id);
		if (schema == null) {
			JsonNode answer = send("GET", "/schemas/ids/" + id, null);
			schema = new Schema.Parser().parse(answer.get("schema").asText());
			this.schemasById.put(id, schema);
		}
		return schema;
	}

	/** Sets a subject's compatibility level ({@code PUT /config/{subject}}), e.g. {@code FULL_TRANSITIVE}. */
	public void setCompatibility(String subject, String level) {
		send("PUT", "/config/" + encode(subject), this.json.createObjectNode().put("compatibility", level).toString());
	}

	/** How many HTTP requests this client has sent; lets tests prove that records are served from the cache. */
	public long requestCount() {
		return this.requests.get();
	}

	public String baseUrl() {
		return this.baseUrl;
	}

	private int remember(String subject, Schema schema, int id) {
		this.idsBySubjectAndSchema.put(new SubjectSchema(subject, schema), id);
		this.schemasById.putIfAbsent(id, schema);
		return id;
	}

	private String schemaBody(Schema schema) {
		return this.json.createObjectNode().put("schemaType", "AVRO").put("schema", schema.toString()).toString();
	}

	private JsonNode send(String method, String path, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(10))
			.header("Accept", CONTENT_TYPE + ", application/json");
		if (body != null) {
			request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		HttpResponse<String> response;
		try {
			this.requests.incrementAndGet();
			response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new SchemaRegistryUnavailableException(
					"Schema registry at " + this.baseUrl + " is unreachable: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SchemaRegistryUnavailableException("Interrupted while calling the schema registry", ex);
		}
		if (response.statusCode() >= 500 || response.statusCode() == 429 || response.statusCode() == 408) {
			throw new SchemaRegistryUnavailableException("Schema registry answered " + response.statusCode() + " to "
					+ method + " " + path + ": " + response.body(), null);
		}
		JsonNode answer = parse(response.body());
		if (response.statusCode() >= 400) {
			throw new SchemaRegistryException(method + " " + path + " refused: " + answer.path("message").asText(),
					response.statusCode(), answer.path("error_code").asInt());
		}
		return answer;
	}

	private JsonNode parse(String body) {
		try {
			return this.json.readTree(body.isEmpty() ? "{}" : body);
		}
		catch (IOException ex) {
			return this.json.createObjectNode().put("message", body);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private record SubjectSchema(String subject, Schema schema) {
	}

}
