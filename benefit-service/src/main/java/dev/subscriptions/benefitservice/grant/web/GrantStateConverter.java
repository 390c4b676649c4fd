package dev.subscriptions.benefitservice.grant.web;

import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

import dev.subscriptions.benefitservice.grant.GrantState;

/**
 * Binds a {@link GrantState} request value ({@code ?state=active}, in any case) through
 * {@link GrantState#of}.
 */
@Component
class GrantStateConverter implements Converter<String, GrantState> {

	@Override
	public GrantState convert(String source) {
		return GrantState.of(source);
	}

}
