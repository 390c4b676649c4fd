package dev.subscriptions.subscriptionservice.subscription;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import dev.subscriptions.subscriptionservice.SubscriptionServiceSettings;

/**
 * Ends subscriptions whose cancellation at period end has come due, every
 * {@code subscription-service.period-end.interval}. Runs on every instance; rows are
 * taken with {@code FOR UPDATE SKIP LOCKED}, so instances share the work and never end
 * one subscription twice.
 */
@Component
class SubscriptionPeriodEnd implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(SubscriptionPeriodEnd.class);

	private static final int BATCH = 200;

	private final SubscriptionManagement subscriptions;

	private final Duration interval;

	SubscriptionPeriodEnd(SubscriptionManagement subscriptions, SubscriptionServiceSettings settings) {
		this.subscriptions = subscriptions;
		this.interval = settings.periodEnd().interval();
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar tasks) {
		tasks.addFixedDelayTask(new FixedDelayTask(this::endDueSubscriptions, this.interval, this.interval));
	}

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
