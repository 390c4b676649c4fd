package dev.subscriptions.subscriptionservice.subscription.web;

import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

import dev.subscriptions.subscriptionservice.subscription.SubscriptionStatus;

/**
 * Binds a status in a request parameter ({@code ?status=past_due}) with
 * {@link SubscriptionStatus#of}: any case, and an unknown one is a type mismatch of that
 * parameter (400 naming it).
 */
@Component
class SubscriptionStatusConverter implements Converter<String, SubscriptionStatus> {

	@Override
	public SubscriptionStatus convert(String value) {
		return SubscriptionStatus.of(value);
	}

}
