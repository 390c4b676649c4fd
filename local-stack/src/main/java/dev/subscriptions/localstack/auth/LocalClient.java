package dev.subscriptions.localstack.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The local stack's client of the authorization server, {@code local-cli}, and its
 * secret, kept in {@code auth/clients.json} of the data directory: {@code {"clients":
 * [{"client_id": "local-cli", "client_secret": "..."}]}}. The secret is made at the first
 * start unless {@code LOCAL_AUTH_CLIENT_SECRET} sets it; the file always holds the secret
 * in force, so that the {@code token} command can read it.
 */
record LocalClient(String id, String secret) {

	static final String ID = "local-cli";

	static final String FILE = "clients.json";

	static final String SECRET_VARIABLE = "LOCAL_AUTH_CLIENT_SECRET";

	private static final SecureRandom RANDOM = new SecureRandom();

	/**
	 * The client in force in {@code directory}: the secret of the environment's
	 * {@code LOCAL_AUTH_CLIENT_SECRET}, else the one kept there, else a new one; written
	 * there if it changed.
	 */
	static LocalClient in(Path directory, Map<String, String> environment) {
		Path file = directory.resolve(FILE);
		LocalClient kept = Files.exists(file) ? read(file) : null;
		String override = environment.get(SECRET_VARIABLE);
		LocalClient client;
		if (override != null && !override.isBlank()) {
			client = new LocalClient(ID, override);
		}
		else if (kept != null) {
			client = kept;
		}
		else {
			client = new LocalClient(ID, generatedSecret());
		}
		if (!client.equals(kept)) {
			OwnerOnlyFiles.write(file, client.json());
		}
		return client;
	}

	/** The client kept in {@code file}. */
	static LocalClient read(Path file) {
		try {
			List<Object> clients = JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(OwnerOnlyFiles.read(file)),
					"clients");
			for (Object client : (clients != null) ? clients : List.of()) {
				if (client instanceof Map<?, ?> entry && ID.equals(entry.get("client_id"))
						&& entry.get("client_secret") instanceof String secret) {
					return new LocalClient(ID, secret);
				}
			}
			throw new IllegalStateException(file + " has no client " + ID);
		}
		catch (ParseException ex) {
			throw new IllegalStateException(file + " is not JSON: " + ex.getMessage(), ex);
		}
	}

	private String json() {
		Map<String, Object> client = new LinkedHashMap<>();
		client.put("client_id", this.id);
		client.put("client_secret", this.secret);
		return JSONObjectUtils.toJSONString(Map.of("clients", List.of(client))) + "\n";
	}

	private static String generatedSecret() {
		byte[] secret = new byte[32];
		RANDOM.nextBytes(secret);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
	}

	@Override
	public String toString() {
		return "LocalClient[" + this.id + "]";
	}

}
