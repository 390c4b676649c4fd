package dev.subscriptions.web.test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An identity provider for a service's tests: one OpenID discovery document and JWK set,
 * served on a free port for the whole JVM, and the service's
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} pointing at it. So the
 * service finds the signing key as it does in production (discovery, then
 * {@code jwks_uri}); {@link TestTokens} signs with it. Annotate a test (or a test
 * meta-annotation) with {@link WithTestIdentityProvider}.
 */
public final class TestIdentityProvider {

	private static volatile HttpServer server;

	private TestIdentityProvider() {
	}

	/** The issuer, {@code http://localhost:<port>}, started at the first call. */
	public static String issuer() {
		return "http://localhost:" + server().getAddress().getPort();
	}

	private static synchronized HttpServer server() {
		if (server == null) {
			server = start(0);
		}
		return server;
	}

	/**
	 * Another identity provider with the same signing key on {@code port}, issuer
	 * {@code http://localhost:<port>}, e.g. to bring up one a service could not reach
	 * before; closing it stops it.
	 */
	public static AutoCloseable startOn(int port) {
		HttpServer started = start(port);
		return () -> started.stop(0);
	}

	private static HttpServer start(int port) {
		try {
			HttpServer started = HttpServer.create(new InetSocketAddress("localhost", port), 0);
			started.setExecutor(Executors.newFixedThreadPool(2, (runnable) -> {
				Thread thread = new Thread(runnable, "test-identity-provider");
				thread.setDaemon(true);
				return thread;
			}));
			started.createContext("/.well-known/openid-configuration", (exchange) -> json(exchange,
					"{\"issuer\":\"" + issuer(started) + "\",\"jwks_uri\":\"" + issuer(started) + "/jwks\"}"));
			started.createContext("/jwks",
					(exchange) -> json(exchange, new JWKSet(TestTokens.signingKey().toPublicJWK()).toString()));
			started.start();
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start a test identity provider on port " + port, ex);
		}
	}

	private static String issuer(HttpServer server) {
		return "http://localhost:" + server.getAddress().getPort();
	}

	private static void json(HttpExchange exchange, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

}
