package dev.subscriptions.faults;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.subscriptions.faults.Topics.Event;

/**
 * The checks of the topics, record by record in first-delivery order (per partition, by
 * offset; a key stays on one partition). A record whose {@code event_id} was seen before
 * on its key is a duplicated delivery, which idempotent consumers make harmless, and is
 * counted apart; a second event with another id for the same fact (a second
 * {@code SubscriptionEnded}, a second report of one deletion) is a duplicated side effect
 * and breaks {@link Verdicts#REVOKED_ONCE}.
 */
final class EventLogs {

	private final Verdicts verdicts;

	EventLogs(Verdicts verdicts) {
		this.verdicts = verdicts;
	}

	/**
	 * {@code customer.events}: a CustomerDeleted is never first delivered before the
	 * CustomerCreated of its key; every customer has one CustomerCreated and every
	 * deleted one one CustomerDeleted (on a compacted topic a deleted customer's
	 * CustomerCreated may be gone by design).
	 * @param deleted every customer of the run, and whether customer-service has it
	 * deleted
	 * @param batchOf the fault window a customer belongs to, for records that are missing
	 */
	void customerEvents(List<Event> events, Map<String, Boolean> deleted, Map<String, Integer> batchOf,
			boolean compacted) {
		Map<String, Set<String>> seen = new HashMap<>();
		Map<String, Set<String>> created = new HashMap<>();
		Map<String, Set<String>> deletions = new HashMap<>();
		for (Event event : events) {
			if (!deleted.containsKey(event.key())) {
				continue;
			}
			if (!seen.computeIfAbsent(event.key(), key -> new HashSet<>()).add(event.field("event_id"))) {
				this.verdicts.tally(this.verdicts.window(event.timestamp())).duplicatedDeliveries++;
				continue;
			}
			if (event.type().equals("CustomerCreated")) {
				if (deletions.containsKey(event.key())) {
					orderViolation(event, "CustomerCreated after CustomerDeleted");
				}
				created.computeIfAbsent(event.key(), key -> new HashSet<>()).add(event.field("event_id"));
			}
			else if (event.type().equals("CustomerDeleted")) {
				if (!created.containsKey(event.key()) && !compacted) {
					orderViolation(event, "CustomerDeleted before any CustomerCreated");
				}
				deletions.computeIfAbsent(event.key(), key -> new HashSet<>()).add(event.field("event_id"));
			}
		}
		deleted.forEach((customer, isDeleted) -> {
			int batch = batchOf.getOrDefault(customer, Verdicts.OUTSIDE);
			int creations = created.getOrDefault(customer, Set.of()).size();
			int deletes = deletions.getOrDefault(customer, Set.of()).size();
			if (creations == 0 && !(compacted && deletes > 0)) {
				lost(batch, "no CustomerCreated for " + customer);
			}
			if (isDeleted && deletes == 0) {
				lost(batch, "no CustomerDeleted for deleted " + customer);
			}
			if (creations > 1 || deletes > 1) {
				this.verdicts.fail(Verdicts.REVOKED_ONCE, customer + ": " + creations + " CustomerCreated and "
						+ deletes + " CustomerDeleted (distinct event ids)");
				this.verdicts.tally(batch).duplicatedSideEffects++;
			}
		});
	}

	/**
	 * {@code subscription.events}: per subscription, the {@code sequence} of first
	 * deliveries increases; every sequence from 1 to the subscription's last (in its
	 * database) is delivered; no two events share a sequence and none ends it twice.
	 * @param customerOf the owner of every subscription of the run
	 * @param lastSequence every subscription's last sequence, from subscription-service's
	 * database
	 * @return the distinct {@code SubscriptionEnded} event ids per subscription
	 */
	Map<String, Set<String>> subscriptionEvents(List<Event> events, Map<String, String> customerOf,
			Map<String, Long> lastSequence, Map<String, Integer> batchOf) {
		Map<String, Set<String>> seen = new HashMap<>();
		Map<String, Long> last = new HashMap<>();
		Map<String, Set<Long>> sequences = new HashMap<>();
		Map<String, Set<String>> ended = new HashMap<>();
		for (Event event : events) {
			if (!customerOf.containsKey(event.key())) {
				continue;
			}
			if (!seen.computeIfAbsent(event.key(), key -> new HashSet<>()).add(event.field("event_id"))) {
				this.verdicts.tally(this.verdicts.window(event.timestamp())).duplicatedDeliveries++;
				continue;
			}
			long sequence = Long.parseLong(event.field("sequence"));
			if (sequence <= last.getOrDefault(event.key(), 0L)) {
				orderViolation(event,
						event.type() + " sequence " + sequence + " after sequence " + last.get(event.key()));
			}
			last.merge(event.key(), sequence, Math::max);
			if (!sequences.computeIfAbsent(event.key(), key -> new HashSet<>()).add(sequence)) {
				sideEffect(event, "two events with sequence " + sequence);
			}
			if (event.type().equals("SubscriptionEnded")
					&& ended.computeIfAbsent(event.key(), key -> new HashSet<>()).add(event.field("event_id"))
					&& ended.get(event.key()).size() > 1) {
				sideEffect(event, "ended twice");
			}
		}
		lastSequence.forEach((subscription, expected) -> {
			Set<Long> delivered = sequences.getOrDefault(subscription, Set.of());
			for (long sequence = 1; sequence <= expected; sequence++) {
				if (!delivered.contains(sequence)) {
					lost(batchOf.getOrDefault(customerOf.get(subscription), Verdicts.OUTSIDE), "subscription.events "
							+ subscription + ": sequence " + sequence + " of " + expected + " never delivered");
				}
			}
		});
		return ended;
	}

	/**
	 * {@code customer.revocations}: every deleted customer has one report of each
	 * required service, and no service reports one deletion twice (with another event
	 * id).
	 * @param deletedIn every deleted customer and its fault window
	 */
	void revocationReports(List<Event> events, Map<String, Integer> deletedIn, List<String> services) {
		Map<String, Set<String>> seen = new HashMap<>();
		Map<String, Set<String>> reports = new HashMap<>();
		for (Event event : events) {
			if (!deletedIn.containsKey(event.key())) {
				continue;
			}
			if (!seen.computeIfAbsent(event.key(), key -> new HashSet<>()).add(event.field("event_id"))) {
				this.verdicts.tally(this.verdicts.window(event.timestamp())).duplicatedDeliveries++;
				continue;
			}
			String report = event.key() + "/" + event.field("service");
			reports.computeIfAbsent(report, key -> new HashSet<>()).add(event.field("event_id"));
			if (reports.get(report).size() > 1) {
				sideEffect(event, event.field("service") + "-service reported this deletion "
						+ reports.get(report).size() + " times");
			}
		}
		deletedIn.forEach((customer, batch) -> {
			for (String service : services) {
				if (!reports.containsKey(customer + "/" + service)) {
					lost(batch, "no CustomerRevocationCompleted of " + service + "-service for " + customer);
				}
			}
		});
	}

	private void orderViolation(Event event, String what) {
		this.verdicts.fail(Verdicts.ORDER, where(event) + what);
		this.verdicts.tally(this.verdicts.window(event.timestamp())).orderViolations++;
	}

	private void sideEffect(Event event, String what) {
		this.verdicts.fail(Verdicts.REVOKED_ONCE, where(event) + what);
		this.verdicts.tally(this.verdicts.window(event.timestamp())).duplicatedSideEffects++;
	}

	private void lost(int batch, String what) {
		this.verdicts.fail(Verdicts.LOST, what);
		this.verdicts.tally(batch).lost++;
	}

	private static String where(Event event) {
		return event.topic() + " key " + event.key() + " partition " + event.partition() + " offset " + event.offset()
				+ ": ";
	}

}
