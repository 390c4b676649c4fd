package dev.subscriptions.customerservice.customer.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.subscriptions.web.UniqueConstraint;

/**
 * The unique indexes of customers (partial: live customers only) that a request can
 * violate, each answered 409 with the field it guards by the shared advice.
 */
@Configuration(proxyBeanMethods = false)
class CustomerConstraints {

	private static final String TITLE = "Customer already exists";

	@Bean
	UniqueConstraint customerEmailLiveKey() {
		return new UniqueConstraint("customer_email_live_key", "email", TITLE,
				"A live customer of this organization already has this email");
	}

	@Bean
	UniqueConstraint customerExternalIdLiveKey() {
		return new UniqueConstraint("customer_external_id_live_key", "externalId", TITLE,
				"A live customer of this organization already has this externalId");
	}

}
