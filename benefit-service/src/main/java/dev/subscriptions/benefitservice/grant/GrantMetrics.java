package dev.subscriptions.benefitservice.grant;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Counts the grants that lost access, as operators watch them:
 * <ul>
 * <li>{@value #REVOKED}{@code {reason}} ({@code grants_revoked_total} in Prometheus):
 * grants revoked for good, by {@link RevocationReason#value()}: {@code customer_deleted},
 * {@code subscription_ended}, {@code benefit_deleted};</li>
 * <li>{@value #SUSPENDED}{@code {reason}} ({@code grants_suspended_total}): grants that
 * gave access and were suspended, by {@link Suspension#value()}: {@code paused} (paused
 * without access), {@code past_due} (past due beyond the grace period, or with the grace
 * declared over). A suspended grant is not revoked: a payment or a resume gives it back,
 * so it is not counted among the revocations.</li>
 * </ul>
 * Each counts grants (a change that revokes N grants counts N), and only once the
 * transaction that changed them has committed: a change that rolls back (and is retried)
 * counts nothing, and one delivered twice changes, and so counts, once. Every reason is
 * registered at 0 from the start, so that a rate over it starts at 0.
 */
@Component
class GrantMetrics {

	/** The counter of revoked grants by reason. */
	static final String REVOKED = "grants.revoked";

	/** The counter of suspended grants by reason. */
	static final String SUSPENDED = "grants.suspended";

	/** Why grants that gave access were suspended. */
	enum Suspension {

		/** Their subscription was paused without access (mode {@code void}). */
		PAUSED,
		/**
		 * Their subscription is past due beyond the grace period, or with the grace over.
		 */
		PAST_DUE;

		String value() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final Map<RevocationReason, Counter> revoked = new EnumMap<>(RevocationReason.class);

	private final Map<Suspension, Counter> suspended = new EnumMap<>(Suspension.class);

	GrantMetrics(MeterRegistry meters) {
		for (RevocationReason reason : RevocationReason.values()) {
			this.revoked.put(reason,
					Counter.builder(REVOKED)
						.description("Grants revoked, by reason")
						.tag("reason", reason.value())
						.register(meters));
		}
		for (Suspension reason : Suspension.values()) {
			this.suspended.put(reason,
					Counter.builder(SUSPENDED)
						.description("Grants that gave access and were suspended, by reason")
						.tag("reason", reason.value())
						.register(meters));
		}
	}

	/** Counts {@code grants} revoked for {@code reason} once the transaction commits. */
	void revoked(RevocationReason reason, int grants) {
		afterCommit(this.revoked.get(reason), grants);
	}

	/**
	 * Counts {@code grants} suspended for {@code reason} once the transaction commits.
	 */
	void suspended(Suspension reason, int grants) {
		afterCommit(this.suspended.get(reason), grants);
	}

	private static void afterCommit(Counter counter, int amount) {
		if (amount <= 0) {
			return;
		}
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			counter.increment(amount);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				counter.increment(amount);
			}

		});
	}

}
