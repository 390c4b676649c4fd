package dev.subscriptions.benefitservice.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class BenefitGrantTests {

	private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

	private final BenefitGrant grant = BenefitGrant.grant(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
			UUID.randomUUID(), this.clock);

	@Test
	void suspendsAndRestoresIdempotently() {
		assertThat(this.grant.suspend(this.clock)).isTrue();
		assertThat(this.grant.suspend(this.clock)).isFalse();
		assertThat(this.grant.state()).isEqualTo("suspended");

		assertThat(this.grant.restore()).isTrue();
		assertThat(this.grant.restore()).isFalse();
		assertThat(this.grant.state()).isEqualTo("active");
	}

	@Test
	void staysRevokedWithItsFirstReason() {
		assertThat(this.grant.revoke("customer_deleted", this.clock)).isTrue();
		assertThat(this.grant.revoke("subscription_ended", this.clock)).isFalse();

		assertThat(this.grant.suspend(this.clock)).isFalse();
		assertThat(this.grant.restore()).isFalse();
		assertThat(this.grant.state()).isEqualTo("revoked");
		assertThat(this.grant.getRevocationReason()).isEqualTo("customer_deleted");
	}

}
