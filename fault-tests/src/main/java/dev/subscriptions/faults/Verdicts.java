package dev.subscriptions.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the checker found: how often each invariant was broken (with a few examples), and
 * per fault window the lost records, duplicated deliveries and side effects and order
 * violations. A record's anomaly counts for the window (a fault's batch until the system
 * caught up) during which it was written; {@link #OUTSIDE} holds the rest.
 */
final class Verdicts {

	static final int OUTSIDE = -1;

	static final String RECEIPT = "every deleted customer has a complete receipt";

	static final String SUBSCRIPTIONS = "no live subscription of a deleted customer";

	static final String GRANTS = "no live grant of a deleted customer";

	static final String REVOKED_ONCE = "every grant and subscription revoked once (no duplicated side effect)";

	static final String ORDER = "no per-key order violation";

	static final String LOST = "no event lost";

	static final String OUTBOX = "every outbox drained (no row left, none parked)";

	static final String DEAD_LETTERS = "every dead-letter topic empty";

	static final String LIVE = "every live customer keeps its subscriptions and benefits";

	static final String WORKLOAD = "every call of the workload answered";

	private final List<long[]> windows;

	private final Map<String, Invariant> invariants = new LinkedHashMap<>();

	private final Map<Integer, Tally> tallies = new HashMap<>();

	/** What went wrong in one window. */
	static final class Tally {

		long lost;

		long duplicatedDeliveries;

		long duplicatedSideEffects;

		long orderViolations;

	}

	/** One invariant: how often it was broken, with a few examples. */
	static final class Invariant {

		private final String name;

		private final List<String> examples = new ArrayList<>();

		private long count;

		Invariant(String name) {
			this.name = name;
		}

		String name() {
			return this.name;
		}

		List<String> examples() {
			return this.examples;
		}

		long count() {
			return this.count;
		}

	}

	/**
	 * @param windows each fault's window, {@code [from, to]} in epoch milliseconds
	 */
	Verdicts(List<long[]> windows) {
		this.windows = windows;
		for (String name : List.of(RECEIPT, SUBSCRIPTIONS, GRANTS, REVOKED_ONCE, ORDER, LOST, OUTBOX, DEAD_LETTERS,
				LIVE, WORKLOAD)) {
			this.invariants.put(name, new Invariant(name));
		}
	}

	void fail(String invariant, String example) {
		Invariant broken = this.invariants.get(invariant);
		broken.count++;
		if (broken.examples.size() < 5) {
			broken.examples.add(example);
		}
	}

	/**
	 * The window (fault index) of a record written at {@code timestamp}, or
	 * {@link #OUTSIDE}.
	 */
	int window(long timestamp) {
		for (int i = 0; i < this.windows.size(); i++) {
			if (timestamp >= this.windows.get(i)[0] && timestamp <= this.windows.get(i)[1]) {
				return i;
			}
		}
		return OUTSIDE;
	}

	Tally tally(int window) {
		return this.tallies.computeIfAbsent(window, key -> new Tally());
	}

	List<Invariant> invariants() {
		return List.copyOf(this.invariants.values());
	}

	Invariant invariant(String name) {
		return this.invariants.get(name);
	}

	boolean hold() {
		return this.invariants.values().stream().allMatch(invariant -> invariant.count() == 0);
	}

}
