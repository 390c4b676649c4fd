package dev.subscriptions.benefitservice.benefit;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * What kind of thing a benefit gives; a request value binds through {@link #of(String)},
 * in any case.
 */
public enum BenefitType {

	CUSTOM, FEATURE_FLAG, LICENSE_KEY, DOWNLOADABLES, DISCORD;

	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	@JsonCreator
	public static BenefitType of(String value) {
		return Arrays.stream(values())
			.filter(type -> type.name().equalsIgnoreCase(value))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown benefit type " + value + "; one of "
					+ Arrays.stream(values()).map(BenefitType::value).toList()));
	}

}
