package dev.subscriptions.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * A scrape target for a real Prometheus in tests: {@code /actuator/prometheus} on a free
 * port, answering one gauge in Prometheus' text format.
 */
public final class MetricsTarget implements AutoCloseable {

	private final HttpServer server;

	private volatile double value;

	private MetricsTarget(HttpServer server) {
		this.server = server;
	}

	/** Serves {@code name} with the value given, until {@link #set} changes it. */
	public static MetricsTarget serving(String name, double value) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
			MetricsTarget target = new MetricsTarget(server);
			target.value = value;
			server.createContext("/actuator/prometheus", exchange -> {
				byte[] body = ("# TYPE " + name + " gauge\n" + name + " " + target.value + "\n")
					.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.start();
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public void set(double value) {
		this.value = value;
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
