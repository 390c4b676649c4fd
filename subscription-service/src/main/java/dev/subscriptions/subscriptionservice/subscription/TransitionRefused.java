package dev.subscriptions.subscriptionservice.subscription;

import java.util.UUID;

/** The subscription's current status does not allow the action. */
public class TransitionRefused extends RuntimeException {

	private final String action;

	private final SubscriptionStatus status;

	public TransitionRefused(UUID id, String action, SubscriptionStatus status) {
		this(id, action, status,
				"Subscription " + id + " cannot " + action.replace('_', ' ') + " while " + status.value());
	}

	protected TransitionRefused(UUID id, String action, SubscriptionStatus status, String message) {
		super(message);
		this.action = action;
		this.status = status;
	}

	public String action() {
		return this.action;
	}

	public SubscriptionStatus status() {
		return this.status;
	}

}
