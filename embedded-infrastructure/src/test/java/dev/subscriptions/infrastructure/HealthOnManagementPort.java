package dev.subscriptions.infrastructure;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * The main class of the executable jar {@link ServiceProcessIntegrationTests} runs in
 * place of a service's: it reads its environment as a service does and answers
 * {@code GET /actuator/health} on {@code MANAGEMENT_PORT} alone (nothing listens on
 * {@code PORT}), showing {@code GREETING} from its environment.
 */
public final class HealthOnManagementPort {

	private HealthOnManagementPort() {
	}

	public static void main(String[] args) throws IOException {
		HttpServer server = HttpServer
			.create(new InetSocketAddress("localhost", Integer.parseInt(System.getenv("MANAGEMENT_PORT"))), 0);
		server.createContext("/actuator/health", exchange -> {
			byte[] body = ("{\"status\":\"UP\",\"greeting\":\"" + System.getenv("GREETING") + "\"}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
	}

}
