package dev.subscriptions.web.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.util.Assert;

/**
 * Who may call what on a service's public port: one row per endpoint, with the scope it
 * needs or {@link Builder#open open} (no token, e.g. a webhook checking its own
 * signature). A service declares one as a bean; the security rules and the OpenAPI
 * document's {@code security} of each operation both come from it, and a request to an
 * endpoint it does not list is refused.
 * <p>
 * Paths are written as in the OpenAPI document, with {@code {name}} templates. A row with
 * a {@link Builder#requireWhen condition} on a query parameter is checked before the
 * plain rows of its endpoint.
 */
public final class ApiScopes {

	/** Reads customers. */
	public static final String CUSTOMERS_READ = "customers:read";

	/** Creates, changes and deletes customers; also reads them. */
	public static final String CUSTOMERS_WRITE = "customers:write";

	/** Reads deleted customers' personal data. */
	public static final String CUSTOMERS_READ_DELETED = "customers:read_deleted";

	/** Reads subscriptions and invoices. */
	public static final String SUBSCRIPTIONS_READ = "subscriptions:read";

	/** Creates and changes subscriptions; also reads them. */
	public static final String SUBSCRIPTIONS_WRITE = "subscriptions:write";

	/**
	 * Administrative actions on subscriptions (revoking, recording payments); neither
	 * implies nor is implied by {@link #SUBSCRIPTIONS_WRITE}.
	 */
	public static final String SUBSCRIPTIONS_ADMIN = "subscriptions:admin";

	/** Reads benefits, product mappings, grants and entitlements. */
	public static final String BENEFITS_READ = "benefits:read";

	/** Creates, changes and deletes benefits and product mappings; also reads them. */
	public static final String BENEFITS_WRITE = "benefits:write";

	/**
	 * Changes through a service's actuator on its management port (requeueing or
	 * discarding parked outbox rows); reading it needs no token.
	 */
	public static final String MANAGEMENT_WRITE = "management:write";

	/** Every scope of the platform. */
	public static final List<String> ALL_SCOPES = List.of(CUSTOMERS_READ, CUSTOMERS_WRITE, CUSTOMERS_READ_DELETED,
			SUBSCRIPTIONS_READ, SUBSCRIPTIONS_WRITE, SUBSCRIPTIONS_ADMIN, BENEFITS_READ, BENEFITS_WRITE,
			MANAGEMENT_WRITE);

	private final List<Rule> rules;

	private ApiScopes(List<Rule> rules) {
		List<Rule> ordered = new ArrayList<>();
		rules.stream().filter(rule -> rule.parameter() != null).forEach(ordered::add);
		rules.stream().filter(rule -> rule.parameter() == null).forEach(ordered::add);
		this.rules = List.copyOf(ordered);
	}

	/** A table to fill in. */
	public static Builder builder() {
		return new Builder();
	}

	/** The rows, conditional ones first. */
	public List<Rule> rules() {
		return this.rules;
	}

	/**
	 * The scope an operation of the OpenAPI document needs, not counting conditional
	 * rows; empty if it is open or not listed.
	 */
	public Optional<Rule> ruleFor(HttpMethod method, String path) {
		return this.rules.stream()
			.filter(rule -> rule.parameter() == null && rule.method().equals(method) && rule.path().equals(path))
			.findFirst();
	}

	/**
	 * The scope a {@code :write} scope implies, e.g. {@code customers:read} for
	 * {@code customers:write}; empty for any other scope.
	 */
	public static Optional<String> impliedBy(String scope) {
		if (scope.endsWith(":write")) {
			return Optional.of(scope.substring(0, scope.length() - ":write".length()) + ":read");
		}
		return Optional.empty();
	}

	/**
	 * One endpoint and what it needs.
	 *
	 * @param method the HTTP method
	 * @param path the path, with {@code {name}} templates
	 * @param scope the scope it needs, {@code null} if it is open
	 * @param parameter a query parameter the row applies to, or {@code null} for every
	 * request
	 * @param value the value of {@code parameter} the row applies to
	 */
	public record Rule(HttpMethod method, String path, @Nullable String scope, @Nullable String parameter,
			@Nullable String value) {

		/** Whether it needs no token. */
		public boolean isOpen() {
			return this.scope == null;
		}

	}

	/** Fills in an {@link ApiScopes}. */
	public static final class Builder {

		private final List<Rule> rules = new ArrayList<>();

		private Builder() {
		}

		/** The endpoint needs {@code scope}. */
		public Builder require(HttpMethod method, String path, String scope) {
			return add(new Rule(method, path, scope, null, null));
		}

		/**
		 * The endpoint needs {@code scope} when its query parameter {@code parameter} is
		 * {@code value} (checked before the endpoint's plain row), e.g.
		 * {@code includeDeleted=true}.
		 */
		public Builder requireWhen(HttpMethod method, String path, String parameter, String value, String scope) {
			return add(new Rule(method, path, scope, parameter, value));
		}

		/** The endpoint needs no token; it must check its callers itself. */
		public Builder open(HttpMethod method, String path) {
			return add(new Rule(method, path, null, null, null));
		}

		/** The table. */
		public ApiScopes build() {
			return new ApiScopes(this.rules);
		}

		private Builder add(Rule rule) {
			Assert.isTrue(rule.path().startsWith("/"), () -> "Path " + rule.path() + " must start with /");
			Assert.isTrue(rule.scope() == null || ALL_SCOPES.contains(rule.scope()),
					() -> "Unknown scope " + rule.scope() + "; the platform's scopes are " + ALL_SCOPES);
			this.rules.add(rule);
			return this;
		}

	}

}
