package dev.subscriptions.subscriptionservice.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * The order of one provider subscription's snapshots: older than the last applied is
 * stale, as old is applied (the later record in partition order wins a tie), and the
 * first is never stale.
 */
class BillingLinkTests {

	private static final Instant LAST = Instant.parse("2026-11-23T10:00:00Z");

	private final BillingLink link = new BillingLink(BillingChange.STRIPE, "sub_1", UUID.randomUUID(), LAST, false);

	@Test
	void takesASnapshotNewerThanTheLastApplied() {
		assertThat(this.link.isStale(LAST.plusMillis(1))).isFalse();
	}

	@Test
	void ignoresASnapshotOlderThanTheLastApplied() {
		assertThat(this.link.isStale(LAST.minusMillis(1))).isTrue();
	}

	/**
	 * The providers' times have one-second resolution: two states in the same second are
	 * common, and the later record wins. An ended state wins a tie all the same, because
	 * once the link has ended nothing is applied.
	 */
	@Test
	void appliesASnapshotAsOldAsTheLastAppliedSoThatTheLaterRecordWinsATie() {
		assertThat(this.link.isStale(LAST)).isFalse();
		BillingLink ended = this.link.applied(LAST, this.link.subscriptionId(), true);
		assertThat(ended.ended()).isTrue();
		assertThat(ended.isStale(LAST)).isFalse();
	}

	@Test
	void takesTheFirstSnapshotWhateverItsTime() {
		BillingLink unknown = new BillingLink(BillingChange.STRIPE, "sub_1", null, null, false);

		assertThat(unknown.isStale(Instant.EPOCH)).isFalse();
	}

	@Test
	void remembersTheLatestTimeAndThatItEnded() {
		BillingLink applied = this.link.applied(LAST.plusSeconds(1), this.link.subscriptionId(), true);

		assertThat(applied.lastSnapshotAt()).isEqualTo(LAST.plusSeconds(1));
		assertThat(applied.ended()).isTrue();
		assertThat(applied.applied(LAST.plusSeconds(2), applied.subscriptionId(), false).ended()).isTrue();
	}

}
