package dev.subscriptions.benefitservice;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import dev.subscriptions.web.security.ApiScopes;

/**
 * Which scope each endpoint of the public port needs: {@code benefits:write} to change
 * benefits and product mappings, {@code benefits:read} (or {@code benefits:write}) to
 * read them, the entitlements and the grants. An endpoint missing here is refused.
 */
@Configuration(proxyBeanMethods = false)
class BenefitApiScopes {

	@Bean
	ApiScopes apiScopes() {
		return ApiScopes.builder()
			.require(HttpMethod.POST, "/benefits", ApiScopes.BENEFITS_WRITE)
			.require(HttpMethod.GET, "/benefits", ApiScopes.BENEFITS_READ)
			.require(HttpMethod.GET, "/benefits/{id}", ApiScopes.BENEFITS_READ)
			.require(HttpMethod.PATCH, "/benefits/{id}", ApiScopes.BENEFITS_WRITE)
			.require(HttpMethod.DELETE, "/benefits/{id}", ApiScopes.BENEFITS_WRITE)
			.require(HttpMethod.PUT, "/products/{productId}/benefits", ApiScopes.BENEFITS_WRITE)
			.require(HttpMethod.GET, "/products/{productId}/benefits", ApiScopes.BENEFITS_READ)
			.require(HttpMethod.GET, "/customers/{customerId}/entitlements", ApiScopes.BENEFITS_READ)
			.require(HttpMethod.GET, "/grants", ApiScopes.BENEFITS_READ)
			.build();
	}

}
