package dev.subscriptions.localstack.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.bridge.SLF4JBridgeHandler;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * A real OAuth2 authorization server for the local stack: Spring Authorization Server in
 * a Spring context of its own (the rest of the local stack is a plain {@code main}),
 * answering OpenID discovery ({@code /.well-known/openid-configuration}), its key set
 * ({@code /oauth2/jwks}) and the token endpoint ({@code /oauth2/token}). The services
 * trust it by configuration alone ({@code OAUTH2_ISSUER_URI}), as they would trust
 * Keycloak.
 * <p>
 * It signs with an RSA key kept in {@code auth/signing-key.json} of the data directory
 * (made at the first start, mode 600) and knows one client, {@code local-cli}, whose
 * secret is kept in {@code auth/clients.json} ({@code LOCAL_AUTH_CLIENT_SECRET} sets it).
 * The client has the client-credentials grant and every platform scope; its access tokens
 * live one hour and carry the organization of the token request's {@code organization_id}
 * parameter as {@code org_id} (see {@link OrganizationClaim}), the audience
 * {@code subscription-platform}, and the scopes asked for.
 * <p>
 * {@code java -jar local-stack.jar auth [--port 9000] [--data DIR] [--issuer URL]} runs
 * it alone (for docker compose); {@code --issuer} names it as the services reach it when
 * that is not {@code http://localhost:<port>}.
 */
public final class LocalAuthorizationServer implements AutoCloseable {

	/**
	 * Every scope of the platform's services, all of which the local client may ask for.
	 */
	public static final List<String> SCOPES = List.of("customers:read", "customers:write", "customers:read_deleted",
			"subscriptions:read", "subscriptions:write", "subscriptions:admin", "benefits:read", "benefits:write",
			"management:write");

	/**
	 * The audience of every token ({@code aud}), which the services may require
	 * ({@code OAUTH2_AUDIENCES}).
	 */
	public static final String AUDIENCE = "subscription-platform";

	/** How long an access token lives: longer than a fault run or a benchmark. */
	static final Duration ACCESS_TOKEN_TIME_TO_LIVE = Duration.ofHours(1);

	/** The port of the local stack's authorization server, unless told otherwise. */
	public static final int DEFAULT_PORT = 9000;

	private final ConfigurableApplicationContext context;

	private final String issuer;

	private final LocalClient client;

	private LocalAuthorizationServer(ConfigurableApplicationContext context, String issuer, LocalClient client) {
		this.context = context;
		this.issuer = issuer;
		this.client = client;
	}

	/**
	 * Starts the server on {@code port} (0 for a free one) with its key and client in
	 * {@code auth/} of {@code dataDirectory}; its issuer is
	 * {@code http://localhost:<port>}.
	 */
	public static LocalAuthorizationServer start(int port, Path dataDirectory) {
		return start(port, dataDirectory, null, System.getenv());
	}

	/**
	 * Starts the server, naming itself {@code issuer} if given (e.g.
	 * {@code http://auth:9000} inside docker compose) and taking the client's secret from
	 * {@code environment}'s {@code LOCAL_AUTH_CLIENT_SECRET} if set.
	 */
	static LocalAuthorizationServer start(int port, Path dataDirectory, @Nullable String issuer,
			Map<String, String> environment) {
		Path directory = dataDirectory.resolve("auth");
		RSAKey signingKey = SigningKey.in(directory);
		LocalClient client = LocalClient.in(directory, environment);
		int actualPort = (port > 0) ? port : freePort();
		String actualIssuer = (issuer != null) ? issuer : "http://localhost:" + actualPort;
		SpringApplication application = new SpringApplicationBuilder(AuthorizationServerConfiguration.class)
			.web(WebApplicationType.SERVLET)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			// No application.properties of the working directory or the class path is
			// read.
			.properties(Map.of("spring.config.location", "optional:classpath:/local-authorization-server/"))
			.initializers((context) -> {
				// Before the environment's SERVER_PORT, which may be meant for someone
				// else.
				context.getEnvironment()
					.getPropertySources()
					.addFirst(new MapPropertySource("localAuthorizationServer",
							Map.of("server.port", String.valueOf(actualPort))));
				context.getBeanFactory()
					.registerSingleton("localAuthorizationServerSettings",
							new Settings(actualIssuer, signingKey, client));
			})
			.build();
		routeJavaUtilLoggingToSlf4j();
		// The local stack's logging stays as its logback.xml sets it.
		application.setListeners(application.getListeners()
			.stream()
			.filter((listener) -> !(listener instanceof LoggingApplicationListener))
			.toList());
		ConfigurableApplicationContext context = application.run();
		return new LocalAuthorizationServer(context, actualIssuer, client);
	}

	/** {@code auth [--port 9000] [--data DIR] [--issuer URL]}: runs the server alone. */
	public static void main(String[] args) throws InterruptedException {
		int port = Integer.parseInt(option(args, "--port", String.valueOf(DEFAULT_PORT)));
		Path data = Path.of(option(args, "--data", ".local-stack")).toAbsolutePath();
		String issuer = option(args, "--issuer", null);
		LocalAuthorizationServer server = start(port, data, issuer, System.getenv());
		Runtime.getRuntime().addShutdownHook(new Thread(server::close));
		System.out.println("Authorization server " + server.issuer() + " (key and clients in " + data.resolve("auth")
				+ "), client " + server.clientId() + " secret " + server.clientSecret() + ". Press Ctrl-C to stop.");
		new CountDownLatch(1).await();
	}

	/** Where the services find it and the tokens say they come from. */
	public String issuer() {
		return this.issuer;
	}

	/** The port it listens on. */
	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	public String clientId() {
		return this.client.id();
	}

	public String clientSecret() {
		return this.client.secret();
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * Sends Tomcat's {@code java.util.logging} to the local stack's logback, as Spring
	 * Boot's logging system would (which is not started here).
	 */
	private static synchronized void routeJavaUtilLoggingToSlf4j() {
		if (!SLF4JBridgeHandler.isInstalled()) {
			SLF4JBridgeHandler.removeHandlersForRootLogger();
			SLF4JBridgeHandler.install();
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static @Nullable String option(String[] args, String name, @Nullable String fallback) {
		for (int i = 0; i < args.length - 1; i++) {
			if (args[i].equals(name)) {
				return args[i + 1];
			}
		}
		return fallback;
	}

	/** What the nested context is started with. */
	record Settings(String issuer, RSAKey signingKey, LocalClient client) {
	}

	/**
	 * The nested context: only the auto-configuration a servlet authorization server
	 * needs, so that nothing else on the local stack's class path (eventing's data
	 * source, Kafka) is configured in it.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class,
			TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
			WebMvcAutoConfiguration.class, ErrorMvcAutoConfiguration.class,
			HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
			SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
			SecurityFilterAutoConfiguration.class, OAuth2AuthorizationServerAutoConfiguration.class,
			OAuth2AuthorizationServerJwtAutoConfiguration.class })
	static class AuthorizationServerConfiguration {

		@Bean
		AuthorizationServerSettings authorizationServerSettings(Settings settings) {
			return AuthorizationServerSettings.builder().issuer(settings.issuer()).build();
		}

		@Bean
		JWKSource<SecurityContext> jwkSource(Settings settings) {
			return new ImmutableJWKSet<>(new JWKSet(settings.signingKey()));
		}

		@Bean
		RegisteredClientRepository registeredClientRepository(Settings settings) {
			RegisteredClient client = RegisteredClient.withId(settings.client().id())
				.clientId(settings.client().id())
				.clientSecret("{noop}" + settings.client().secret())
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.scopes((scopes) -> scopes.addAll(SCOPES))
				.tokenSettings(TokenSettings.builder().accessTokenTimeToLive(ACCESS_TOKEN_TIME_TO_LIVE).build())
				.build();
			return new InMemoryRegisteredClientRepository(client);
		}

		@Bean
		OAuth2TokenCustomizer<JwtEncodingContext> organizationClaim() {
			return new OrganizationClaim();
		}

	}

}
