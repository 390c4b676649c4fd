package dev.subscriptions.benefitservice.grant;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a grant stands: {@code active} gives access, {@code suspended} does not for now,
 * {@code revoked} never again.
 */
public enum GrantState {

	ACTIVE, SUSPENDED, REVOKED;

	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static GrantState of(String value) {
		return Arrays.stream(values())
			.filter(state -> state.name().equalsIgnoreCase(value))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown grant state " + value + "; one of "
					+ Arrays.stream(values()).map(GrantState::value).toList()));
	}

}
