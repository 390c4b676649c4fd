package dev.subscriptions.web.security;

import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import org.springframework.security.web.firewall.StrictHttpFirewall;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderValuesTests {

	private static final Predicate<String> SPRING = StrictHttpFirewall.ALLOWED_HEADER_VALUES;

	@Test
	void decidesEveryCodePointAsSpringSecuritysStrictFirewallDoes() {
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			String value = "a" + Character.toString(codePoint) + "b";
			if (HeaderValues.allowed(value) != SPRING.test(value)) {
				assertThat(HeaderValues.allowed(value)).as("U+%04X", codePoint).isEqualTo(SPRING.test(value));
			}
		}
	}

	@Test
	void decidesBearerTokensTabsControlsAndSurrogatesAsSpringSecuritysStrictFirewallDoes() {
		List<String> values = List.of("", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl~+/=", "a\tb",
				"a\u0000b", "a\u001fb", "a\u007fb", "a\u0085b", "a\u00a0b", "caf\u00e9", "\ud83d\ude00", "\ud83d",
				"x\ude00", "\udbff\udfff", "a\u0378b", "\r\n", "plain text, with: punctuation; and \"quotes\"");
		for (String value : values) {
			assertThat(HeaderValues.allowed(value)).as("%s", value.codePoints().boxed().toList())
				.isEqualTo(SPRING.test(value));
		}
		assertThat(values.stream().filter(HeaderValues::allowed)).hasSizeBetween(3, values.size() - 3);
	}

}
