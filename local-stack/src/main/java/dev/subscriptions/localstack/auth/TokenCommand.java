package dev.subscriptions.localstack.auth;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code token --organization <uuid> --scopes "customers:write ..." [--issuer
 * http://localhost:9000] [--data .local-stack]}: prints an access token of the local
 * authorization server, and nothing else, so that {@code TOKEN=$(java -jar
 * local-stack.jar token ...)} works. The client's secret comes from
 * {@code auth/clients.json} of the data directory. A refusal is printed on standard
 * error, with exit status 1.
 */
public final class TokenCommand {

	static final String USAGE = "Usage: token --organization <uuid> --scopes \"customers:write ...\" "
			+ "[--issuer http://localhost:" + LocalAuthorizationServer.DEFAULT_PORT + "] [--data .local-stack]";

	private static final List<String> OPTIONS = List.of("--organization", "--scopes", "--issuer", "--data");

	private TokenCommand() {
	}

	public static void main(String[] args) {
		int status = run(args, System.out, System.err);
		if (status != 0) {
			System.exit(status);
		}
	}

	/**
	 * Runs the command ({@code args[0]} is {@code token}) and answers its exit status.
	 */
	static int run(String[] args, PrintStream out, PrintStream err) {
		try {
			Map<String, String> options = options(args);
			if (!options.containsKey("--organization") || !options.containsKey("--scopes")) {
				throw new IllegalArgumentException("--organization and --scopes are needed");
			}
			UUID organization = organization(options.get("--organization"));
			String issuer = options.getOrDefault("--issuer",
					"http://localhost:" + LocalAuthorizationServer.DEFAULT_PORT);
			Path data = Path.of(options.getOrDefault("--data", ".local-stack")).toAbsolutePath();
			out.println(LocalTokens.of(data, issuer).mint(organization, options.get("--scopes")));
			return 0;
		}
		catch (IllegalArgumentException ex) {
			err.println(ex.getMessage());
			err.println(USAGE);
			return 1;
		}
		catch (IllegalStateException ex) {
			err.println(ex.getMessage());
			return 1;
		}
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (int i = 1; i < args.length; i++) {
			if (!OPTIONS.contains(args[i]) || i + 1 == args.length) {
				throw new IllegalArgumentException("Unknown option or missing value: " + args[i]);
			}
			options.put(args[i], args[++i]);
		}
		return options;
	}

	private static UUID organization(String value) {
		try {
			return UUID.fromString(value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("--organization must be a UUID, not '" + value + "'");
		}
	}

}
