package dev.subscriptions.benefitservice.benefit.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.subscriptions.web.UniqueConstraint;

/**
 * The unique indexes of benefits that a request can violate, for the shared advice to
 * answer 409 naming the field.
 */
@Configuration(proxyBeanMethods = false)
class BenefitWebConfiguration {

	/**
	 * {@code benefit_key_live_key}: the key of a live benefit is unique in its
	 * organization.
	 */
	@Bean
	UniqueConstraint benefitKey() {
		return new UniqueConstraint("benefit_key_live_key", "key", "Benefit already exists",
				"A live benefit of this organization already has this key");
	}

}
