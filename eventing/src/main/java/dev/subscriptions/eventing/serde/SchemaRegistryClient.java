package dev.subscriptions.eventing.serde;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A small client of Confluent's Schema Registry REST API (served by Confluent Schema
 * Registry, Apicurio's {@code /apis/ccompat/v7}, Redpanda and Karapace alike).
 * <p>
 * Ids are cached by subject and schema, schemas by id: once a schema is known,
 * serializing and deserializing make no registry call. One instance per registry URL and
 * {@link Settings} is shared by the whole JVM ({@link #forUrl(String, Settings)}), so the
 * schemas registered at start-up are already cached when the first record is written.
 * <p>
 * Answers are told apart as a consumer must tell them apart: a refusal in the registry's
 * own words (a JSON body with a Confluent error code such as 40403, "schema not found")
 * is a {@link SchemaRegistryException}; everything that says the registry cannot answer
 * now is a {@link SchemaRegistryUnavailableException}: no connection, a timeout, a 5xx,
 * 408 or 429, refused credentials (401, 403; fixing them heals the consumer without
 * losing records), a 404 without a Confluent error code (a wrong path or a proxy in the
 * way) and any answer that is not JSON, such as an HTML page of a proxy or load balancer,
 * whatever its status.
 */
public final class SchemaRegistryClient {

	private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

	private static final Map<CacheKey, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

	private final ObjectMapper json = new ObjectMapper();

	private final String baseUrl;

	private final Settings settings;

	private final HttpClient http;

	private final Map<SubjectSchema, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

	private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

	private final AtomicLong requests = new AtomicLong();

	public SchemaRegistryClient(String baseUrl) {
		this(baseUrl, Settings.DEFAULT);
	}

	public SchemaRegistryClient(String baseUrl, Settings settings) {
		this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		this.settings = settings;
		this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
	}

	/**
	 * The client of the registry at {@code baseUrl} without credentials and with default
	 * timeouts, shared by the JVM.
	 */
	public static SchemaRegistryClient forUrl(String baseUrl) {
		return forUrl(baseUrl, Settings.DEFAULT);
	}

	/**
	 * The client of the registry at {@code baseUrl} with {@code settings}, shared by the
	 * JVM.
	 */
	public static SchemaRegistryClient forUrl(String baseUrl, Settings settings) {
		if (baseUrl == null || baseUrl.isBlank()) {
			throw new IllegalArgumentException(WireFormat.SCHEMA_REGISTRY_URL + " is not set");
		}
		return CLIENTS.computeIfAbsent(new CacheKey(baseUrl, settings),
				key -> new SchemaRegistryClient(key.baseUrl(), key.settings()));
	}

	/**
	 * The client configured by Confluent's setting names in a serializer's or
	 * deserializer's configuration: {@code schema.registry.url} and those read by
	 * {@link Settings#fromConfigs(Map)}.
	 */
	public static SchemaRegistryClient forConfigs(Map<String, ?> configs) {
		return forUrl(Objects.toString(configs.get(WireFormat.SCHEMA_REGISTRY_URL), null),
				Settings.fromConfigs(configs));
	}

	/**
	 * The id of {@code schema} under {@code subject} when it was registered or looked up
	 * before, without a registry call; {@code null} otherwise.
	 */
	public Integer cachedIdFor(String subject, Schema schema) {
		return this.idsBySubjectAndSchema.get(new SubjectSchema(subject, schema));
	}

	/**
	 * The id of {@code schema} under {@code subject}, registering it first when
	 * {@code autoRegister} is set; from the cache after the first call.
	 */
	public int idFor(String subject, Schema schema, boolean autoRegister) {
		SubjectSchema key = new SubjectSchema(subject, schema);
		Integer id = this.idsBySubjectAndSchema.get(key);
		if (id == null) {
			id = autoRegister ? register(subject, schema) : lookUp(subject, schema);
		}
		return id;
	}

	/**
	 * Registers a schema under a subject ({@code POST /subjects/{subject}/versions}) and
	 * returns its id.
	 */
	public int register(String subject, Schema schema) {
		JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
		return remember(subject, schema, field(answer, "id", "POST /subjects/" + subject + "/versions").asInt());
	}

	/**
	 * The id of a schema already registered under a subject ({@code POST
	 * /subjects/{subject}}).
	 */
	public int lookUp(String subject, Schema schema) {
		JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
		return remember(subject, schema, field(answer, "id", "POST /subjects/" + subject).asInt());
	}

	/**
	 * The schema with the given id ({@code GET /schemas/ids/{id}}); from the cache after
	 * the first call.
	 */
	public Schema schemaById(int id) {
		Schema schema = this.schemasById.get(id);
		if (schema == null) {
			JsonNode answer = send("GET", "/schemas/ids/" + id, null);
			schema = new Schema.Parser().parse(field(answer, "schema", "GET /schemas/ids/" + id).asText());
			this.schemasById.put(id, schema);
		}
		return schema;
	}

	/**
	 * Sets a subject's compatibility level ({@code PUT /config/{subject}}), e.g.
	 * {@code FULL_TRANSITIVE}.
	 */
	public void setCompatibility(String subject, String level) {
		send("PUT", "/config/" + encode(subject), this.json.createObjectNode().put("compatibility", level).toString());
	}

	/**
	 * How many HTTP requests this client has sent; lets tests prove that records are
	 * served from the cache.
	 */
	public long requestCount() {
		return this.requests.get();
	}

	public String baseUrl() {
		return this.baseUrl;
	}

	public Settings settings() {
		return this.settings;
	}

	private int remember(String subject, Schema schema, int id) {
		this.idsBySubjectAndSchema.put(new SubjectSchema(subject, schema), id);
		this.schemasById.putIfAbsent(id, schema);
		return id;
	}

	private String schemaBody(Schema schema) {
		return this.json.createObjectNode().put("schemaType", "AVRO").put("schema", schema.toString()).toString();
	}

	private JsonNode send(String method, String path, @Nullable String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(this.settings.readTimeout())
			.header("Accept", CONTENT_TYPE + ", application/json");
		String authorization = this.settings.authorization();
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
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
					"Schema registry at " + this.baseUrl + " is unreachable: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SchemaRegistryUnavailableException("Interrupted while calling the schema registry", ex);
		}
		int status = response.statusCode();
		String answered = "Schema registry at " + this.baseUrl + " answered " + status + " to " + method + " " + path;
		JsonNode answer = parse(response.body());
		if (answer == null) {
			throw new SchemaRegistryUnavailableException(answered + " with a body that is not JSON ("
					+ response.headers().firstValue("Content-Type").orElse("no content type") + "): "
					+ abbreviate(response.body()), null);
		}
		if (status >= 500 || status == 408 || status == 429) {
			throw new SchemaRegistryUnavailableException(answered + ": " + abbreviate(response.body()), null);
		}
		if (status == 401 || status == 403) {
			throw new SchemaRegistryUnavailableException(
					answered + " (credentials missing or refused; see " + WireFormat.BASIC_AUTH_USER_INFO + " and "
							+ WireFormat.BEARER_AUTH_TOKEN + "): " + abbreviate(response.body()),
					null);
		}
		if (status >= 400) {
			int errorCode = answer.path("error_code").asInt();
			if (status == 404 && errorCode / 100 != 404) {
				throw new SchemaRegistryUnavailableException(answered + " without a registry error code"
						+ " (a wrong URL, or a proxy in the way?): " + abbreviate(response.body()), null);
			}
			throw new SchemaRegistryException(method + " " + path + " refused: " + answer.path("message").asText(),
					status, errorCode);
		}
		return answer;
	}

	/**
	 * The JSON of a body, {@code {}} for an empty one, {@code null} for one that is not
	 * JSON.
	 */
	private @Nullable JsonNode parse(String body) {
		if (body.isBlank()) {
			return this.json.createObjectNode();
		}
		try {
			JsonNode answer = this.json.readTree(body);
			return (answer != null && answer.isObject()) ? answer : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private JsonNode field(JsonNode answer, String name, String request) {
		JsonNode value = answer.get(name);
		if (value == null || value.isNull()) {
			throw new SchemaRegistryUnavailableException("Schema registry at " + this.baseUrl + " answered " + request
					+ " without \"" + name + "\": " + abbreviate(answer.toString()), null);
		}
		return value;
	}

	private static String abbreviate(String body) {
		String text = body.strip().replaceAll("\\s+", " ");
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private record SubjectSchema(String subject, Schema schema) {
	}

	private record CacheKey(String baseUrl, Settings settings) {
	}

	/**
	 * How to reach the registry: credentials and timeouts.
	 *
	 * @param userInfo {@code user:password} for HTTP basic authentication, or
	 * {@code null}
	 * @param bearerToken a token sent as {@code Authorization: Bearer}, or {@code null}
	 * @param connectTimeout how long to wait for a connection
	 * @param readTimeout how long to wait for an answer
	 */
	public record Settings(@Nullable String userInfo, @Nullable String bearerToken, Duration connectTimeout,
			Duration readTimeout) {

		/** No credentials, 5 s to connect, 10 s to answer. */
		public static final Settings DEFAULT = new Settings(null, null, Duration.ofSeconds(5), Duration.ofSeconds(10));

		private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m)");

		public Settings {
			userInfo = blankToNull(userInfo);
			bearerToken = blankToNull(bearerToken);
			if (userInfo != null && bearerToken != null) {
				throw new IllegalArgumentException("Set either basic auth user info or a bearer token, not both");
			}
			Objects.requireNonNull(connectTimeout, "connectTimeout");
			Objects.requireNonNull(readTimeout, "readTimeout");
		}

		/**
		 * Settings from Confluent's setting names: {@code basic.auth.credentials.source}
		 * ({@code USER_INFO}, the default here when {@code basic.auth.user.info} is set,
		 * or {@code URL} for {@code http://user:pass@host}),
		 * {@code basic.auth.user.info}, {@code bearer.auth.token},
		 * {@code http.connect.timeout.ms} and {@code http.read.timeout.ms} (milliseconds,
		 * or a duration such as {@code 5s}). Blank values count as unset.
		 */
		public static Settings fromConfigs(Map<String, ?> configs) {
			String source = string(configs, WireFormat.BASIC_AUTH_CREDENTIALS_SOURCE);
			String userInfo = string(configs, WireFormat.BASIC_AUTH_USER_INFO);
			if ("URL".equalsIgnoreCase(source)) {
				userInfo = URI.create(Objects.toString(configs.get(WireFormat.SCHEMA_REGISTRY_URL), "")).getUserInfo();
			}
			else if (source != null && !"USER_INFO".equalsIgnoreCase(source)) {
				throw new IllegalArgumentException(
						WireFormat.BASIC_AUTH_CREDENTIALS_SOURCE + " " + source + " is not supported (USER_INFO, URL)");
			}
			return new Settings(userInfo, string(configs, WireFormat.BEARER_AUTH_TOKEN),
					duration(configs, WireFormat.HTTP_CONNECT_TIMEOUT_MS, DEFAULT.connectTimeout()),
					duration(configs, WireFormat.HTTP_READ_TIMEOUT_MS, DEFAULT.readTimeout()));
		}

		/**
		 * The same settings as Confluent's setting names, the inverse of
		 * {@link #fromConfigs(Map)}.
		 */
		public Map<String, String> toConfigs() {
			Map<String, String> configs = new LinkedHashMap<>();
			if (this.userInfo != null) {
				configs.put(WireFormat.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
				configs.put(WireFormat.BASIC_AUTH_USER_INFO, this.userInfo);
			}
			if (this.bearerToken != null) {
				configs.put(WireFormat.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN");
				configs.put(WireFormat.BEARER_AUTH_TOKEN, this.bearerToken);
			}
			configs.put(WireFormat.HTTP_CONNECT_TIMEOUT_MS, Long.toString(this.connectTimeout.toMillis()));
			configs.put(WireFormat.HTTP_READ_TIMEOUT_MS, Long.toString(this.readTimeout.toMillis()));
			return configs;
		}

		@Nullable String authorization() {
			if (this.userInfo != null) {
				return "Basic " + Base64.getEncoder().encodeToString(this.userInfo.getBytes(StandardCharsets.UTF_8));
			}
			return (this.bearerToken != null) ? "Bearer " + this.bearerToken : null;
		}

		/** Never prints the credentials. */
		@Override
		public String toString() {
			return "Settings[basicAuth=" + (this.userInfo != null) + ", bearerToken=" + (this.bearerToken != null)
					+ ", connectTimeout=" + this.connectTimeout + ", readTimeout=" + this.readTimeout + "]";
		}

		private static @Nullable String string(Map<String, ?> configs, String name) {
			Object value = configs.get(name);
			return (value != null) ? blankToNull(value.toString()) : null;
		}

		private static Duration duration(Map<String, ?> configs, String name, Duration fallback) {
			String value = string(configs, name);
			if (value == null) {
				return fallback;
			}
			if (value.chars().allMatch(Character::isDigit)) {
				return Duration.ofMillis(Long.parseLong(value));
			}
			Matcher simple = SIMPLE_DURATION.matcher(value);
			if (simple.matches()) {
				long amount = Long.parseLong(simple.group(1));
				return switch (simple.group(2)) {
					case "ms" -> Duration.ofMillis(amount);
					case "s" -> Duration.ofSeconds(amount);
					default -> Duration.ofMinutes(amount);
				};
			}
			return Duration.parse(value);
		}

		private static @Nullable String blankToNull(@Nullable String value) {
			return (value == null || value.isBlank()) ? null : value;
		}

	}

}
