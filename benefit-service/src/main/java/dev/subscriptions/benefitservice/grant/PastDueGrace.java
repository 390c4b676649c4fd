package dev.subscriptions.benefitservice.grant;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import dev.subscriptions.benefitservice.BenefitServiceSettings;

/**
 * Ends the grace period of past-due subscriptions: once a subscription has been past due
 * for longer than {@code benefit-service.past-due.grace}, its grants are suspended until
 * a payment ({@link SubscriptionChange#ACTIVATED}) restores them. Runs every
 * {@code benefit-service.past-due.check-interval}. Safe on many instances: each
 * subscription is re-checked and suspended under its customer's lock, and suspending is
 * idempotent.
 */
@Component
class PastDueGrace implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(PastDueGrace.class);

	private static final int BATCH = 500;

	private final GrantManagement grants;

	private final BenefitServiceSettings settings;

	PastDueGrace(GrantManagement grants, BenefitServiceSettings settings) {
		this.grants = grants;
		this.settings = settings;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(this::suspendGrantsOfSubscriptionsPastDueBeyondGrace,
				this.settings.pastDue().checkInterval());
	}

	void suspendGrantsOfSubscriptionsPastDueBeyondGrace() {
		List<GrantManagement.SubscriptionRef> due;
		do {
			due = this.grants.pastDueBeyondGrace(BATCH);
			int suspended = 0;
			for (GrantManagement.SubscriptionRef subscription : due) {
				if (this.grants.suspendAfterGrace(subscription)) {
					suspended++;
				}
			}
			if (suspended > 0) {
				log.info("Suspended the grants of {} subscriptions past due beyond the grace period", suspended);
			}
		}
		while (due.size() == BATCH);
	}

}
