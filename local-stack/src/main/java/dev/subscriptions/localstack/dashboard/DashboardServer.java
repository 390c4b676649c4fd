package dev.subscriptions.localstack.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The dashboard page without Grafana: static HTML and JavaScript that draw, with uPlot,
 * the panels of a Grafana dashboard's JSON from Prometheus' HTTP API.
 * <p>
 * Routes: {@code /} the page; {@code /dashboard.json} the dashboard, read anew on every
 * request so that an edit shows on the next reload; {@code /api/v1/*} passed through to
 * Prometheus (GET), so that the page calls one origin only; uPlot's script and style
 * sheet from its WebJar on the class path.
 */
public final class DashboardServer implements AutoCloseable {

	private static final String UPLOT_VERSION = uplotVersion();

	private static final String UPLOT = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";

	private static final String PAGE = "dev/subscriptions/localstack/dashboard/";

	/** Path on this server → class path resource and its content type. */
	private static final Map<String, Resource> RESOURCES = Map.of("/",
			new Resource(PAGE + "index.html", "text/html; charset=utf-8"), "/dashboard.js",
			new Resource(PAGE + "dashboard.js", "text/javascript; charset=utf-8"), "/dashboard.css",
			new Resource(PAGE + "dashboard.css", "text/css; charset=utf-8"), "/uPlot.iife.min.js",
			new Resource(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"), "/uPlot.min.css",
			new Resource(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"));

	private static final Duration PROMETHEUS_TIMEOUT = Duration.ofSeconds(15);

	private final HttpServer server;

	private final ExecutorService executor;

	private final URI prometheus;

	private final Path dashboard;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private DashboardServer(HttpServer server, ExecutorService executor, URI prometheus, Path dashboard) {
		this.server = server;
		this.executor = executor;
		this.prometheus = prometheus;
		this.dashboard = dashboard;
	}

	/**
	 * Serves the page on {@code localhost}.
	 * @param port its port (0 for a free one)
	 * @param prometheus the base URL of the Prometheus server the page reads, e.g.
	 * {@code http://localhost:9090}
	 * @param dashboard the Grafana dashboard JSON whose panels the page draws
	 */
	public static DashboardServer start(int port, URI prometheus, Path dashboard) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
			ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
				Thread thread = new Thread(runnable, "dashboard-server");
				thread.setDaemon(true);
				return thread;
			});
			DashboardServer dashboardServer = new DashboardServer(server, executor, prometheus, dashboard);
			server.createContext("/", dashboardServer::handle);
			server.setExecutor(executor);
			server.start();
			return dashboardServer;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The dashboard page cannot be served on port " + port, ex);
		}
	}

	/** The page's URL. */
	public String url() {
		return "http://localhost:" + port() + "/";
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			if (!exchange.getRequestMethod().equals("GET")) {
				send(exchange, 405, "text/plain", "Only GET\n".getBytes(StandardCharsets.UTF_8));
			}
			else if (path.startsWith("/api/v1/")) {
				proxy(exchange);
			}
			else if (path.equals("/dashboard.json")) {
				dashboard(exchange);
			}
			else if (RESOURCES.containsKey(path)) {
				Resource resource = RESOURCES.get(path);
				send(exchange, 200, resource.contentType(), resource.read());
			}
			else {
				send(exchange, 404, "text/plain", ("No " + path + " here\n").getBytes(StandardCharsets.UTF_8));
			}
		}
	}

	private void dashboard(HttpExchange exchange) throws IOException {
		if (!Files.isRegularFile(this.dashboard)) {
			send(exchange, 404, "text/plain",
					("No dashboard at " + this.dashboard.toAbsolutePath() + "\n").getBytes(StandardCharsets.UTF_8));
			return;
		}
		send(exchange, 200, "application/json", Files.readAllBytes(this.dashboard));
	}

	/**
	 * Passes the request on to Prometheus as it came (path and query), and its answer
	 * back; a Prometheus that does not answer is a 502 in Prometheus' own error shape,
	 * which the page shows as a note.
	 */
	private void proxy(HttpExchange exchange) throws IOException {
		URI request = exchange.getRequestURI();
		String query = (request.getRawQuery() != null) ? "?" + request.getRawQuery() : "";
		URI target = URI.create(this.prometheus.toString().replaceAll("/+$", "") + request.getRawPath() + query);
		try {
			HttpResponse<byte[]> response = this.client.send(
					HttpRequest.newBuilder(target).timeout(PROMETHEUS_TIMEOUT).GET().build(),
					HttpResponse.BodyHandlers.ofByteArray());
			send(exchange, response.statusCode(),
					response.headers().firstValue("Content-Type").orElse("application/json"), response.body());
		}
		catch (IOException ex) {
			String message = "Prometheus at " + this.prometheus + " is unreachable (" + ex.getClass().getSimpleName()
					+ ")";
			send(exchange, 502, "application/json",
					("{\"status\":\"error\",\"errorType\":\"unreachable\",\"error\":\"" + message + "\"}")
						.getBytes(StandardCharsets.UTF_8));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			send(exchange, 503, "text/plain", "Stopping\n".getBytes(StandardCharsets.UTF_8));
		}
	}

	private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.getResponseHeaders().set("Cache-Control", "no-store");
		exchange.sendResponseHeaders(status, (body.length > 0) ? body.length : -1);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private static String uplotVersion() {
		Properties properties = new Properties();
		try (InputStream in = DashboardServer.class.getClassLoader()
			.getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
			if (in == null) {
				throw new IllegalStateException("uPlot's WebJar (org.webjars.npm:uplot) is not on the class path");
			}
			properties.load(in);
			return properties.getProperty("version");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A file of the page on the class path. */
	private record Resource(String name, String contentType) {

		byte[] read() throws IOException {
			try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(name())) {
				if (in == null) {
					throw new IOException(name() + " is not on the class path");
				}
				return in.readAllBytes();
			}
		}

	}

}
