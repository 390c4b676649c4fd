package dev.subscriptions.subscriptionservice.subscription.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import dev.subscriptions.web.security.ApiScopes;

/**
 * Who may call what on the service's public port: every endpoint with the scope it needs
 * (anything not listed is refused). Reading needs {@code subscriptions:read} (which
 * {@code subscriptions:write} implies), the customer's own transitions
 * {@code subscriptions:write}, and what an administrator or a billing system does
 * (revoking, telling a payment's outcome) {@code subscriptions:admin}, which neither
 * implies nor is implied by {@code :write}. The billing providers' webhooks are open:
 * they carry no token, and each checks its delivery's HMAC signature.
 */
@Configuration(proxyBeanMethods = false)
class SubscriptionApiScopes {

	@Bean
	ApiScopes apiScopes() {
		return ApiScopes.builder()
			.require(HttpMethod.POST, "/subscriptions", ApiScopes.SUBSCRIPTIONS_WRITE)
			.require(HttpMethod.GET, "/subscriptions", ApiScopes.SUBSCRIPTIONS_READ)
			.require(HttpMethod.GET, "/subscriptions/{id}", ApiScopes.SUBSCRIPTIONS_READ)
			.require(HttpMethod.GET, "/subscriptions/{id}/invoices", ApiScopes.SUBSCRIPTIONS_READ)
			.require(HttpMethod.POST, "/subscriptions/{id}/cancel", ApiScopes.SUBSCRIPTIONS_WRITE)
			.require(HttpMethod.POST, "/subscriptions/{id}/uncancel", ApiScopes.SUBSCRIPTIONS_WRITE)
			.require(HttpMethod.POST, "/subscriptions/{id}/pause", ApiScopes.SUBSCRIPTIONS_WRITE)
			.require(HttpMethod.POST, "/subscriptions/{id}/resume", ApiScopes.SUBSCRIPTIONS_WRITE)
			.require(HttpMethod.POST, "/subscriptions/{id}/revoke", ApiScopes.SUBSCRIPTIONS_ADMIN)
			.require(HttpMethod.POST, "/subscriptions/{id}/payment-failed", ApiScopes.SUBSCRIPTIONS_ADMIN)
			.require(HttpMethod.POST, "/subscriptions/{id}/payment-succeeded", ApiScopes.SUBSCRIPTIONS_ADMIN)
			.open(HttpMethod.POST, "/webhooks/lemon-squeezy")
			.open(HttpMethod.POST, "/webhooks/stripe")
			.build();
	}

}
