package dev.subscriptions.customerservice;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import dev.subscriptions.web.security.ApiScopes;

/**
 * Who may call what on the public port: the scope each endpoint needs, in one table from
 * which both the security rules and the OpenAPI document's {@code security} come. An
 * endpoint missing here is refused. Reading a deleted customer
 * ({@code includeDeleted=true}) shows personal data kept after the deletion, so it needs
 * {@code customers:read_deleted}; a deletion receipt shows none, so it needs only
 * {@code customers:read}. {@code customers:write} also allows reading.
 */
@Configuration(proxyBeanMethods = false)
class CustomerApiScopes {

	@Bean
	ApiScopes apiScopes() {
		return ApiScopes.builder()
			.require(HttpMethod.POST, "/customers", "customers:write")
			.require(HttpMethod.GET, "/customers", "customers:read")
			.requireWhen(HttpMethod.GET, "/customers/{id}", "includeDeleted", "true", "customers:read_deleted")
			.require(HttpMethod.GET, "/customers/{id}", "customers:read")
			.require(HttpMethod.PATCH, "/customers/{id}", "customers:write")
			.require(HttpMethod.DELETE, "/customers/{id}", "customers:write")
			.require(HttpMethod.POST, "/customers/deletions", "customers:write")
			.require(HttpMethod.GET, "/customers/external/{externalId}", "customers:read")
			.require(HttpMethod.GET, "/customers/{id}/deletion", "customers:read")
			.build();
	}

}
