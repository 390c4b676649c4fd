package dev.subscriptions.eventing.consumer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands between a consumer and the real registry, and can answer in the ways a registry,
 * or what stands in front of it, answers when it is not well.
 * <p>
 * The real registry's address is asked for on each request, not when the proxy starts:
 * the proxy's own address goes into the application context's properties, the registry's
 * comes out of them.
 */
final class RegistryProxy {

	private static final String REGISTRY_JSON = "application/vnd.schemaregistry.v1+json";

	private static final String PROXY_PAGE = "<html><head><title>Service unavailable</title></head>"
			+ "<body><h1>Please try again later</h1></body></html>";

	private final HttpServer server;

	private final Supplier<String> target;

	private final HttpClient client = HttpClient.newHttpClient();

	private final AtomicLong requests = new AtomicLong();

	private volatile Answer answer = Answer.FORWARD;

	RegistryProxy(Supplier<String> target) {
		this.target = target;
		try {
			this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/", this::forward);
		this.server.setExecutor(Executors.newFixedThreadPool(2));
		this.server.start();
	}

	String url() {
		return "http://localhost:" + this.server.getAddress().getPort();
	}

	void answer(Answer answer) {
		this.answer = answer;
	}

	/** How many requests reached the proxy. */
	long requests() {
		return this.requests.get();
	}

	private void forward(HttpExchange exchange) throws IOException {
		this.requests.incrementAndGet();
		try (exchange) {
			Answer answer = this.answer;
			if (answer != Answer.FORWARD) {
				respond(exchange, answer.status, answer.contentType, answer.body.getBytes(StandardCharsets.UTF_8));
				return;
			}
			HttpRequest.Builder request = HttpRequest
				.newBuilder(URI.create(this.target.get() + exchange.getRequestURI().toString()))
				.method(exchange.getRequestMethod(),
						HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
			String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
			if (contentType != null) {
				request.header("Content-Type", contentType);
			}
			HttpResponse<byte[]> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			respond(exchange, response.statusCode(), REGISTRY_JSON, response.body());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
		exchange.getResponseHeaders().add("Content-Type", contentType);
		exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
		if (body.length > 0) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	/** What the proxy answers. */
	enum Answer {

		/** The real registry's answer. */
		FORWARD(0, REGISTRY_JSON, ""),

		/** The registry wants credentials. */
		UNAUTHORIZED(401, REGISTRY_JSON, "{\"error_code\":40101,\"message\":\"Unauthorized\"}"),

		/** The registry is down for a while. */
		UNAVAILABLE(503, REGISTRY_JSON, "{\"error_code\":50301,\"message\":\"down for a test\"}"),

		/**
		 * A 404 as a router answers a path it does not know, with a generic error code
		 * but not 40403.
		 */
		NOT_FOUND_WITHOUT_40403(404, REGISTRY_JSON, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}"),

		/** A 404 with no body at all. */
		NOT_FOUND_EMPTY(404, "text/plain", ""),

		/** A proxy's maintenance page, answered with 200. */
		HTML_OK(200, "text/html", PROXY_PAGE),

		/** A load balancer's error page. */
		HTML_BAD_GATEWAY(502, "text/html", PROXY_PAGE);

		private final int status;

		private final String contentType;

		private final String body;

		Answer(int status, String contentType, String body) {
			this.status = status;
			this.contentType = contentType;
			this.body = body;
		}

	}

}
