package dev.subscriptions.subscriptionservice.subscription;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;

/** What a pause does to access: {@code void} suspends it, {@code free} keeps it. */
public enum PauseMode {

	VOID, FREE;

	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The mode named {@code value} ({@code void} or {@code VOID}); how request bodies
	 * bind it.
	 */
	@JsonCreator
	public static PauseMode of(String value) {
		return Arrays.stream(values())
			.filter(mode -> mode.name().equalsIgnoreCase(value))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown pause mode " + value + "; void or free"));
	}

}
