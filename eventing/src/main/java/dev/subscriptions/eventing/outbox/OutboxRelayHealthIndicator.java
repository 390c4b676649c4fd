package dev.subscriptions.eventing.outbox;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health {@code outboxRelay}: DOWN while the relay is not running or its thread is dead
 * (waiting to be started again after an uncaught error); shows whether this instance
 * leads. Not leading is healthy: another instance publishes.
 */
public class OutboxRelayHealthIndicator implements HealthIndicator {

	private final OutboxRelay relay;

	public OutboxRelayHealthIndicator(OutboxRelay relay) {
		this.relay = relay;
	}

	@Override
	public Health health() {
		OutboxRelay.State state = this.relay.state();
		Health.Builder health = (state.running() && state.threadAlive()) ? Health.up() : Health.down();
		health.withDetail("running", state.running())
			.withDetail("threadAlive", state.threadAlive())
			.withDetail("leader", state.leader() ? "yes" : "no")
			.withDetail("restarts", state.restarts());
		if (state.lastError() != null) {
			health.withDetail("lastError", state.lastError());
		}
		return health.build();
	}

}
