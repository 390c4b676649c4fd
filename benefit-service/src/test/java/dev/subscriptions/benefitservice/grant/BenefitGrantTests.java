package dev.subscriptions.benefitservice.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BenefitGrantTests {

	private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

	private final BenefitGrant grant = BenefitGrant.grant(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
			UUID.randomUUID(), this.clock);

	@Test
	void suspendsAndRestoresIdempotently() {
		assertThat(this.grant.suspend(this.clock)).isTrue();
		assertThat(this.grant.suspend(this.clock)).isFalse();
		assertThat(this.grant.state().value()).isEqualTo("suspended");

		assertThat(this.grant.restore()).isTrue();
		assertThat(this.grant.restore()).isFalse();
		assertThat(this.grant.state().value()).isEqualTo("active");
	}

	@Test
	void staysRevokedWithItsFirstReason() {
		assertThat(this.grant.revoke(RevocationReason.CUSTOMER_DELETED, this.clock)).isTrue();
		assertThat(this.grant.revoke(RevocationReason.SUBSCRIPTION_ENDED, this.clock)).isFalse();

		assertThat(this.grant.suspend(this.clock)).isFalse();
		assertThat(this.grant.restore()).isFalse();
		assertThat(this.grant.state().value()).isEqualTo("revoked");
		assertThat(this.grant.getRevocationReason()).isEqualTo(RevocationReason.CUSTOMER_DELETED);
	}

	/** Every (state, action) pair: the state it leads to and whether the action changed anything. */
	static Stream<Arguments> transitions() {
		return Stream.of(Arguments.of("active", "suspend", "suspended", true),
				Arguments.of("active", "restore", "active", false), Arguments.of("active", "revoke", "revoked", true),
				Arguments.of("suspended", "suspend", "suspended", false),
				Arguments.of("suspended", "restore", "active", true),
				Arguments.of("suspended", "revoke", "revoked", true),
				Arguments.of("revoked", "suspend", "revoked", false),
				Arguments.of("revoked", "restore", "revoked", false),
				Arguments.of("revoked", "revoke", "revoked", false));
	}

	@ParameterizedTest(name = "{0} + {1} -> {2}")
	@MethodSource("transitions")
	void appliesEveryActionInEveryState(String from, String action, String to, boolean changed) {
		BenefitGrant grant = in(from);

		boolean result = switch (action) {
			case "suspend" -> grant.suspend(this.clock);
			case "restore" -> grant.restore();
			case "revoke" -> grant.revoke(RevocationReason.CUSTOMER_DELETED, this.clock);
			default -> throw new IllegalArgumentException(action);
		};

		assertThat(result).isEqualTo(changed);
		assertThat(grant.state().value()).isEqualTo(to);
	}

	private BenefitGrant in(String state) {
		BenefitGrant grant = BenefitGrant.grant(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
				UUID.randomUUID(), this.clock);
		switch (state) {
			case "suspended" -> grant.suspend(this.clock);
			case "revoked" -> grant.revoke(RevocationReason.SUBSCRIPTION_ENDED, this.clock);
			default -> {
			}
		}
		assertThat(grant.state().value()).isEqualTo(state);
		return grant;
	}

}
