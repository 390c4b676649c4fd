package dev.subscriptions.subscriptionservice.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * The order of one provider subscription's snapshots: older than the last applied is
 * stale, as old is stale unless it ends the subscription, and the first is never stale.
 */
class BillingLinkTests {

	private static final Instant LAST = Instant.parse("2026-11-23T10:00:00Z");

	private final BillingLink link = new BillingLink(BillingChange.STRIPE, "sub_1", UUID.randomUUID(), LAST, false);

	@Test
	void takesASnapshotNewerThanTheLastApplied() {
		assertThat(this.link.isStale(LAST.plusMillis(1), false)).isFalse();
		assertThat(this.link.isStale(LAST.plusMillis(1), true)).isFalse();
	}

	@Test
	void ignoresASnapshotOlderThanTheLastAppliedEvenOneThatEnds() {
		assertThat(this.link.isStale(LAST.minusMillis(1), false)).isTrue();
		assertThat(this.link.isStale(LAST.minusMillis(1), true)).isTrue();
	}

	@Test
	void letsAnEndedStateWinATieAndOtherwiseKeepsTheFirstApplied() {
		assertThat(this.link.isStale(LAST, true)).isFalse();
		assertThat(this.link.isStale(LAST, false)).isTrue();
	}

	@Test
	void takesTheFirstSnapshotWhateverItsTime() {
		BillingLink unknown = new BillingLink(BillingChange.STRIPE, "sub_1", null, null, false);

		assertThat(unknown.isStale(Instant.EPOCH, false)).isFalse();
	}

	@Test
	void remembersTheLatestTimeAndThatItEnded() {
		BillingLink applied = this.link.applied(LAST.plusSeconds(1), this.link.subscriptionId(), true);

		assertThat(applied.lastSnapshotAt()).isEqualTo(LAST.plusSeconds(1));
		assertThat(applied.ended()).isTrue();
		assertThat(applied.applied(LAST.plusSeconds(2), applied.subscriptionId(), false).ended()).isTrue();
	}

}
