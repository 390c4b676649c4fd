package dev.subscriptions.subscriptionservice.subscription;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Ends subscriptions whose cancellation at period end has come due. Runs on every instance; rows are taken with
 * {@code FOR UPDATE SKIP LOCKED}, so instances share the work and never end one subscription twice.
 */
@Component
class SubscriptionPeriodEnd {

	private static final Logger log = LoggerFactory.getLogger(SubscriptionPeriodEnd.class);

	private static final int BATCH = 200;

	private final SubscriptionManagement subscriptions;

	SubscriptionPeriodEnd(SubscriptionManagement subscriptions) {
		this.subscriptions = subscriptions;
	}

	@Scheduled(fixedDelayString = "${subscription-service.period-end.interval:PT10S}",
			initialDelayString = "${subscription-service.period-end.interval:PT10S}")
	void endDueSubscriptions() {
		int ended;
		int total = 0;
		do {
			ended = this.subscriptions.endDueSubscriptions(BATCH);
			total += ended;
		}
		while (ended == BATCH);
		if (total > 0) {
			log.info("Ended {} subscriptions at the end of their period", total);
		}
	}

}
