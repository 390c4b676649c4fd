package dev.subscriptions.subscriptionservice.subscription;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Counts the subscriptions that ended, by why, as {@value #METER}{@code {reason}}
 * ({@code subscriptions_ended_total} in Prometheus), the reason being the
 * {@link EndReason#value()} that {@code SubscriptionEnded} carries too: {@code canceled}
 * (canceled immediately, over the API or by the billing provider), {@code expired} (the
 * end of a period it was canceled at, reached by the period-end job or told by the
 * provider), {@code revoked} (by an administrator) and {@code customer_deleted}.
 * <p>
 * Every end goes through one transition of {@link Subscription}, which records
 * {@link SubscriptionEvent.Ended}; it is counted once the transaction that saved it has
 * committed, so a change that rolls back (and is retried) counts nothing. Every reason is
 * registered at 0 from the start, so that a rate over it starts at 0 rather than at the
 * first end.
 */
@Component
class SubscriptionEndings {

	/** The counter of ended subscriptions by reason. */
	static final String METER = "subscriptions.ended";

	private final Map<EndReason, Counter> ended = new EnumMap<>(EndReason.class);

	SubscriptionEndings(MeterRegistry meters) {
		for (EndReason reason : EndReason.values()) {
			this.ended.put(reason,
					Counter.builder(METER)
						.description("Subscriptions ended, by reason")
						.tag("reason", reason.value())
						.register(meters));
		}
	}

	@TransactionalEventListener
	void on(SubscriptionEvent.Ended ended) {
		this.ended.get(ended.reason()).increment();
	}

	/**
	 * Counts {@code count} ends of one reason once the current transaction commits: those
	 * of a set-wise change, which saves no aggregate and so publishes no
	 * {@link SubscriptionEvent.Ended} to {@link #on}.
	 */
	void countAfterCommit(EndReason reason, int count) {
		if (count == 0) {
			return;
		}
		Counter counter = this.ended.get(reason);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				counter.increment(count);
			}

		});
	}

}
