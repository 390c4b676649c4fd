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
		assertThat(this.grant.state()).isEqualTo(GrantState.SUSPENDED);

		assertThat(this.grant.restore()).isTrue();
		assertThat(this.grant.restore()).isFalse();
		assertThat(this.grant.state()).isEqualTo(GrantState.ACTIVE);
	}

	@Test
	void staysRevokedWithItsFirstReason() {
		assertThat(this.grant.revoke(RevocationReason.CUSTOMER_DELETED, this.clock)).isTrue();
		assertThat(this.grant.revoke(RevocationReason.SUBSCRIPTION_ENDED, this.clock)).isFalse();

		assertThat(this.grant.suspend(this.clock)).isFalse();
		assertThat(this.grant.restore()).isFalse();
		assertThat(this.grant.state()).isEqualTo(GrantState.REVOKED);
		assertThat(this.grant.getRevocationReason()).isEqualTo(RevocationReason.CUSTOMER_DELETED);
	}

	/**
	 * Every (state, action) pair: the state it leads to and whether the action changed
	 * anything.
	 */
	static Stream<Arguments> transitions() {
		return Stream.of(Arguments.of(GrantState.ACTIVE, "suspend", GrantState.SUSPENDED, true),
				Arguments.of(GrantState.ACTIVE, "restore", GrantState.ACTIVE, false),
				Arguments.of(GrantState.ACTIVE, "revoke", GrantState.REVOKED, true),
				Arguments.of(GrantState.SUSPENDED, "suspend", GrantState.SUSPENDED, false),
				Arguments.of(GrantState.SUSPENDED, "restore", GrantState.ACTIVE, true),
				Arguments.of(GrantState.SUSPENDED, "revoke", GrantState.REVOKED, true),
				Arguments.of(GrantState.REVOKED, "suspend", GrantState.REVOKED, false),
				Arguments.of(GrantState.REVOKED, "restore", GrantState.REVOKED, false),
				Arguments.of(GrantState.REVOKED, "revoke", GrantState.REVOKED, false));
	}

	@ParameterizedTest(name = "{0} + {1} -> {2}")
	@MethodSource("transitions")
	void appliesEveryActionInEveryState(GrantState from, String action, GrantState to, boolean changed) {
		BenefitGrant grant = in(from);

		boolean result = switch (action) {
			case "suspend" -> grant.suspend(this.clock);
			case "restore" -> grant.restore();
			case "revoke" -> grant.revoke(RevocationReason.CUSTOMER_DELETED, this.clock);
			default -> throw new IllegalArgumentException(action);
		};

		assertThat(result).isEqualTo(changed);
		assertThat(grant.state()).isEqualTo(to);
	}

	private BenefitGrant in(GrantState state) {
		BenefitGrant grant = BenefitGrant.grant(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
				UUID.randomUUID(), this.clock);
		switch (state) {
			case SUSPENDED -> grant.suspend(this.clock);
			case REVOKED -> grant.revoke(RevocationReason.SUBSCRIPTION_ENDED, this.clock);
			case ACTIVE -> {
			}
		}
		assertThat(grant.state()).isEqualTo(state);
		return grant;
	}

}
