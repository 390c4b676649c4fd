package dev.subscriptions.localstack.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * The local authorization server as the services and the walkthrough use it: tokens
 * minted by the {@code token} command, validated through the issuer's discovery document
 * and key set alone, as a service does.
 */
class LocalAuthorizationServerTests {

	private static final UUID ORGANIZATION = UUID.fromString("3f2a6c1e-0b7d-4c6e-9a51-2d8f0e4b7c19");

	@TempDir
	static Path data;

	private static LocalAuthorizationServer server;

	@BeforeAll
	static void startServer() {
		server = LocalAuthorizationServer.start(0, data);
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void printsATokenForTheOrganizationAndScopesThatTheIssuersKeysValidate() {
		Command token = Command.run("token", "--organization", ORGANIZATION.toString(), "--scopes",
				"customers:write benefits:read", "--issuer", server.issuer(), "--data", data.toString());

		assertThat(token.status()).isZero();
		assertThat(token.err()).isEmpty();
		Jwt jwt = decoder(server.issuer()).decode(token.out().strip());
		assertThat(jwt.getClaimAsString("org_id")).isEqualTo(ORGANIZATION.toString());
		assertThat(jwt.getClaimAsStringList("scope")).containsExactlyInAnyOrder("customers:write", "benefits:read");
		assertThat(jwt.getAudience()).containsExactly("subscription-platform");
		assertThat(jwt.getIssuer()).hasToString(server.issuer());
		assertThat(jwt.getSubject()).isEqualTo("local-cli");
		assertThat(Duration.between(jwt.getIssuedAt(), jwt.getExpiresAt())).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void printsNothingButTheAccessToken() {
		Command token = Command.run("token", "--organization", ORGANIZATION.toString(), "--scopes", "customers:read",
				"--issuer", server.issuer(), "--data", data.toString());

		assertThat(token.out()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\R");
	}

	@Test
	void refusesATokenRequestWithoutAnOrganization() throws Exception {
		HttpResponse<String> response = tokenRequest(server.clientSecret(),
				"grant_type=client_credentials&scope=customers:read");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"error\":\"invalid_request\"").contains("organization_id");
	}

	@Test
	void refusesATokenRequestWhoseOrganizationIsNotAUuid() throws Exception {
		HttpResponse<String> response = tokenRequest(server.clientSecret(),
				"grant_type=client_credentials&scope=customers:read&organization_id=acme");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"error\":\"invalid_request\"").contains("must be a UUID");
	}

	@Test
	void refusesAWrongClientSecret() throws Exception {
		HttpResponse<String> response = tokenRequest("not-the-secret",
				"grant_type=client_credentials&scope=customers:read&organization_id=" + ORGANIZATION);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).contains("\"error\":\"invalid_client\"");
		assertThatIllegalStateException()
			.isThrownBy(() -> new LocalTokens(server.issuer(), "local-cli", "not-the-secret").mint(ORGANIZATION,
					"customers:read"))
			.withMessageContaining("401 invalid_client");
	}

	@Test
	void refusesAScopeThePlatformDoesNotHave() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new LocalTokens(server.issuer(), server.clientId(), server.clientSecret())
				.mint(ORGANIZATION, "customers:read payroll:write"))
			.withMessageContaining("400 invalid_scope");
	}

	@Test
	void exitsWithTheRefusalOnStandardErrorWhenTheServerRefuses(@TempDir Path elsewhere) throws Exception {
		Path clients = Files.createDirectories(elsewhere.resolve("auth")).resolve("clients.json");
		Files.writeString(clients, "{\"clients\":[{\"client_id\":\"local-cli\",\"client_secret\":\"stale\"}]}");

		Command token = Command.run("token", "--organization", ORGANIZATION.toString(), "--scopes", "customers:read",
				"--issuer", server.issuer(), "--data", elsewhere.toString());

		assertThat(token.status()).isEqualTo(1);
		assertThat(token.out()).isEmpty();
		assertThat(token.err()).contains("refused the token request: 401 invalid_client");
	}

	@Test
	void exitsWithTheUsageWhenTheOrganizationIsNotAUuid() {
		Command token = Command.run("token", "--organization", "acme", "--scopes", "customers:read", "--issuer",
				server.issuer(), "--data", data.toString());

		assertThat(token.status()).isEqualTo(1);
		assertThat(token.out()).isEmpty();
		assertThat(token.err()).contains("--organization must be a UUID").contains("Usage: token");
	}

	@Test
	void keepsTheSigningKeyAndTheClientOwnerOnlyInTheDataDirectory() throws Exception {
		Path key = data.resolve("auth/signing-key.json");
		Path clients = data.resolve("auth/clients.json");

		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clients))).isEqualTo("rw-------");
		assertThat(Files.readString(key)).contains("\"kty\":\"RSA\"").contains("\"d\":");
		assertThat(LocalClient.read(clients)).isEqualTo(new LocalClient("local-cli", server.clientSecret()));
	}

	@Test
	void reusesATokenUntilAMinuteBeforeItExpires() {
		MovableClock clock = new MovableClock();
		LocalTokens tokens = new LocalTokens(server.issuer(), server.clientId(), server.clientSecret(), clock);
		String first = tokens.mint(ORGANIZATION, "customers:read");

		assertThat(tokens.mint(ORGANIZATION, "customers:read")).isEqualTo(first);
		assertThat(tokens.mint(ORGANIZATION, "customers:write")).isNotEqualTo(first);
		assertThat(tokens.mint(UUID.randomUUID(), "customers:read")).isNotEqualTo(first);
		clock.advance(Duration.ofMinutes(58).plusSeconds(30));
		assertThat(tokens.mint(ORGANIZATION, "customers:read")).isEqualTo(first);
		clock.advance(Duration.ofSeconds(60));
		assertThat(tokens.mint(ORGANIZATION, "customers:read")).isNotEqualTo(first);
	}

	@Test
	void validatesAnEarlierTokenAfterARestartWithTheSameDataDirectory(@TempDir Path own) {
		String token;
		String secret;
		int port;
		try (LocalAuthorizationServer first = LocalAuthorizationServer.start(0, own)) {
			token = LocalTokens.of(own, first.issuer()).mint(ORGANIZATION, "subscriptions:admin");
			secret = first.clientSecret();
			port = first.port();
		}
		try (LocalAuthorizationServer second = LocalAuthorizationServer.start(port, own)) {
			assertThat(second.clientSecret()).isEqualTo(secret);
			assertThat(decoder(second.issuer()).decode(token).getClaimAsString("org_id"))
				.isEqualTo(ORGANIZATION.toString());
		}
	}

	@Test
	void signsWithANewKeyInAFreshDataDirectorySoEarlierTokensNoLongerValidate(@TempDir Path fresh) {
		String earlier = LocalTokens.of(data, server.issuer()).mint(ORGANIZATION, "customers:read");
		try (LocalAuthorizationServer other = LocalAuthorizationServer.start(0, fresh)) {
			assertThat(other.clientSecret()).isNotEqualTo(server.clientSecret());
			assertThatExceptionOfType(JwtException.class).isThrownBy(
					() -> NimbusJwtDecoder.withJwkSetUri(other.issuer() + "/oauth2/jwks").build().decode(earlier));
		}
	}

	@Test
	void takesTheClientSecretFromTheEnvironmentWhenItIsSet(@TempDir Path own) {
		try (LocalAuthorizationServer overridden = LocalAuthorizationServer.start(0, own, null,
				Map.of("LOCAL_AUTH_CLIENT_SECRET", "my-own-secret"))) {
			assertThat(overridden.clientSecret()).isEqualTo("my-own-secret");
			String token = LocalTokens.of(own, overridden.issuer()).mint(ORGANIZATION, "benefits:write");
			assertThat(decoder(overridden.issuer()).decode(token).getClaimAsString("org_id"))
				.isEqualTo(ORGANIZATION.toString());
		}
	}

	@Test
	void namesItselfByTheIssuerItIsGiven(@TempDir Path own) {
		try (LocalAuthorizationServer named = LocalAuthorizationServer.start(0, own, "http://auth-server:9000",
				Map.of())) {
			String token = new LocalTokens("http://localhost:" + named.port(), named.clientId(), named.clientSecret())
				.mint(ORGANIZATION, "customers:read");
			Jwt jwt = NimbusJwtDecoder.withJwkSetUri("http://localhost:" + named.port() + "/oauth2/jwks")
				.build()
				.decode(token);
			assertThat(jwt.getIssuer()).hasToString("http://auth-server:9000");
		}
	}

	private static JwtDecoder decoder(String issuer) {
		return NimbusJwtDecoder.withIssuerLocation(issuer).build();
	}

	private static HttpResponse<String> tokenRequest(String secret, String form) throws Exception {
		String basic = Base64.getEncoder().encodeToString(("local-cli:" + secret).getBytes(StandardCharsets.UTF_8));
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(server.issuer() + "/oauth2/token"))
				.header("Authorization", "Basic " + basic)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private record Command(int status, String out, String err) {

		static Command run(String... args) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ByteArrayOutputStream err = new ByteArrayOutputStream();
			int status = TokenCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
					new PrintStream(err, true, StandardCharsets.UTF_8));
			return new Command(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
		}

	}

	private static final class MovableClock extends Clock {

		private Instant now = Instant.now();

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
