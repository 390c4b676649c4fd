package dev.subscriptions.endtoend;

import java.nio.file.Path;
import java.util.UUID;

import dev.subscriptions.infrastructure.ServiceProcess;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.localstack.auth.LocalAuthorizationServer;
import dev.subscriptions.localstack.auth.LocalTokens;

/**
 * The local stack's OAuth2 authorization server, once per JVM, in this JVM on a free
 * port: the issuer every service of the tests trusts ({@code OAUTH2_ISSUER_URI}), as a
 * deployment trusts its identity provider, and where the tests get their tokens (the
 * client-credentials grant, as the README's {@code token} command does).
 */
public final class AuthorizationServer {

	/**
	 * Its data directory, as {@code .local-stack} is the local stack's: the signing key
	 * and the client's secret are kept under {@code auth/} there.
	 */
	public static final Path DATA = Path.of("target", "authorization-server");

	/**
	 * Every scope the tests' {@link Api} needs, {@code management:write} for requeueing
	 * and discarding parked outbox rows.
	 */
	public static final String API_SCOPES = "customers:write customers:read_deleted subscriptions:write "
			+ "subscriptions:admin benefits:write management:write";

	private static final LocalAuthorizationServer server = SharedInfrastructure
		.closedBeforeInfrastructure(LocalAuthorizationServer.start(0, DATA));

	private static final LocalTokens tokens = new LocalTokens(server.issuer(), server.clientId(),
			server.clientSecret());

	private AuthorizationServer() {
	}

	/**
	 * Points the service at this server as a deployment points it at its identity
	 * provider: its issuer ({@code OAUTH2_ISSUER_URI}) and the audience its tokens carry
	 * ({@code OAUTH2_AUDIENCES}).
	 */
	public static ServiceProcess trustedBy(ServiceProcess service) {
		return service.withEnvironment("OAUTH2_ISSUER_URI", issuer())
			.withEnvironment("OAUTH2_AUDIENCES", LocalAuthorizationServer.AUDIENCE);
	}

	/** The issuer, e.g. {@code http://localhost:40123}. */
	public static String issuer() {
		return server.issuer();
	}

	/**
	 * An access token for the organization with these scopes (space-separated), reused
	 * until shortly before it expires.
	 */
	public static String token(UUID organization, String scopes) {
		return tokens.mint(organization, scopes);
	}

}
