package dev.subscriptions.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * One fault of a run: what it does, when in its batch of deletions it strikes (the share
 * of the batch's deletions accepted by then) and how long the part stays down.
 */
record Fault(Kind kind, String target, double at, Duration downtime) {

	/** The kinds of fault. */
	enum Kind {

		/** SIGKILL of a service, started again at once. */
		KILL,

		/**
		 * SIGSTOP of a service for longer than its lock and session timeouts, then
		 * SIGCONT.
		 */
		STOP,

		/** The broker stopped (SIGTERM, controlled shutdown) and started again. */
		BROKER_STOP,

		/** The broker killed (SIGKILL, log recovery on start) and started again. */
		BROKER_KILL,

		/**
		 * The PostgreSQL server stopped (fast shutdown: every session dropped) and
		 * started again.
		 */
		POSTGRES_RESTART,

		/** The schema registry stopped and started again (its schemas in PostgreSQL). */
		REGISTRY_RESTART

	}

	/**
	 * The faults of a run, in an order, at points and for downtimes chosen by
	 * {@code random}: a kill of each service, a SIGSTOP of each service (or of one,
	 * chosen by the seed, when {@code stopEveryService} is false), a broker stop, a
	 * broker kill, a PostgreSQL restart and a registry restart.
	 */
	static List<Fault> plan(Random random, boolean stopEveryService) {
		List<Fault> faults = new ArrayList<>();
		for (String service : Stack.SERVICES) {
			faults.add(new Fault(Kind.KILL, service, 0, Duration.ZERO));
		}
		List<String> stopped = stopEveryService ? Stack.SERVICES
				: List.of(Stack.SERVICES.get(random.nextInt(Stack.SERVICES.size())));
		for (String service : stopped) {
			faults.add(new Fault(Kind.STOP, service, 0, Duration.ofSeconds(35 + random.nextInt(6))));
		}
		faults.add(new Fault(Kind.BROKER_STOP, "kafka", 0, Duration.ofSeconds(5 + random.nextInt(11))));
		faults.add(new Fault(Kind.BROKER_KILL, "kafka", 0, Duration.ofSeconds(2 + random.nextInt(7))));
		faults.add(new Fault(Kind.POSTGRES_RESTART, "postgresql", 0, Duration.ofSeconds(random.nextInt(6))));
		faults.add(new Fault(Kind.REGISTRY_RESTART, "registry", 0, Duration.ofSeconds(5 + random.nextInt(11))));
		Collections.shuffle(faults, random);
		List<Fault> placed = new ArrayList<>();
		for (Fault fault : faults) {
			placed.add(new Fault(fault.kind(), fault.target(), 0.3 + 0.3 * random.nextDouble(), fault.downtime()));
		}
		return placed;
	}

	/**
	 * Injects the fault, returning once the part is back (started and answering, or
	 * resumed).
	 */
	void inject(Stack stack) {
		switch (this.kind) {
			case KILL -> stack.killAndRestart(this.target);
			case STOP -> {
				stack.suspend(this.target);
				Rest.pause(this.downtime);
				stack.resume(this.target);
			}
			case BROKER_STOP -> {
				stack.stopBroker();
				Rest.pause(this.downtime);
				stack.startBroker();
			}
			case BROKER_KILL -> {
				stack.killBroker();
				Rest.pause(this.downtime);
				stack.startBroker();
			}
			case POSTGRES_RESTART -> {
				stack.stopPostgres();
				Rest.pause(this.downtime);
				stack.startPostgres();
			}
			case REGISTRY_RESTART -> {
				stack.stopRegistry();
				Rest.pause(this.downtime);
				stack.startRegistry();
			}
		}
	}

	String describe() {
		return switch (this.kind) {
			case KILL -> "kill -9 " + this.target + ", restarted";
			case STOP -> "SIGSTOP " + this.target + " " + this.downtime.toSeconds() + " s, SIGCONT";
			case BROKER_STOP -> "broker stop (SIGTERM), down " + this.downtime.toSeconds() + " s";
			case BROKER_KILL -> "broker kill -9, down " + this.downtime.toSeconds() + " s";
			case POSTGRES_RESTART -> "PostgreSQL restart, down " + this.downtime.toSeconds() + " s";
			case REGISTRY_RESTART -> "registry restart, down " + this.downtime.toSeconds() + " s";
		} + " at " + Math.round(this.at * 100) + " % of the batch";
	}

}
