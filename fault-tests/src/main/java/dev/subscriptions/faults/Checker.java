package dev.subscriptions.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.subscriptions.faults.Database.Row;
import dev.subscriptions.faults.Topics.Event;

/**
 * Reads what the system ended with (the three databases, the topics from the beginning, the REST APIs) and checks the
 * invariants against what the workload did. Anomalies are attributed to the fault during whose window (its batch
 * until the system caught up) the record concerned was written, or, for a missing record, to the batch of its
 * customer; {@link #OUTSIDE} holds the rest.
 */
final class Checker {

	static final int OUTSIDE = -1;

	private final Workload workload;

	private final Rest rest;

	private final Database customers;

	private final Database subscriptions;

	private final Database benefits;

	private final Topics topics;

	private final List<long[]> windows;

	private final Map<Integer, Tally> tallies = new HashMap<>();

	private final Map<String, Invariant> invariants = new LinkedHashMap<>();

	/** What went wrong in one window: lost records, duplicated deliveries and side effects, order violations. */
	static final class Tally {

		long lost;

		long duplicatedDeliveries;

		long duplicatedSideEffects;

		long orderViolations;

	}

	/** One invariant: how often it was broken, with a few examples. */
	record Invariant(String name, List<String> examples, long[] failures) {

		void fail(String example) {
			this.failures[0]++;
			if (this.examples.size() < 5) {
				this.examples.add(example);
			}
		}

		long count() {
			return this.failures[0];
		}

	}

	/** The checker's findings. */
	record Findings(List<Invariant> invariants, Map<Integer, Tally> tallies) {

		boolean holds() {
			return this.invariants.stream().allMatch(invariant -> invariant.count() == 0);
		}

		Tally tally(int window) {
			return this.tallies.getOrDefault(window, new Tally());
		}

	}

	Checker(Workload workload, Rest rest, Database customers, Database subscriptions, Database benefits, Topics topics,
			List<long[]> windows) {
		this.workload = workload;
		this.rest = rest;
		this.customers = customers;
		this.subscriptions = subscriptions;
		this.benefits = benefits;
		this.topics = topics;
		this.windows = windows;
		for (String name : List.of(INV_RECEIPT, INV_SUBSCRIPTIONS, INV_GRANTS, INV_REVOKED_ONCE, INV_ORDER, INV_LOST,
				INV_OUTBOX, INV_DLT, INV_LIVE, INV_WORKLOAD)) {
			this.invariants.put(name, new Invariant(name, new ArrayList<>(), new long[1]));
		}
	}

	static final String INV_RECEIPT = "every deleted customer has a complete receipt";

	static final String INV_SUBSCRIPTIONS = "no live subscription of a deleted customer";

	static final String INV_GRANTS = "no live grant of a deleted customer";

	static final String INV_REVOKED_ONCE = "every grant and subscription revoked once (no duplicated side effect)";

	static final String INV_ORDER = "no per-key order violation";

	static final String INV_LOST = "no event lost";

	static final String INV_OUTBOX = "every outbox drained (no row left, none parked)";

	static final String INV_DLT = "every dead-letter topic empty";

	static final String INV_LIVE = "every live customer keeps its subscriptions and benefits";

	static final String INV_WORKLOAD = "every call of the workload answered";

	Findings check() throws Exception {
		this.workload.stuck.forEach(call -> fail(INV_WORKLOAD, call));
		Map<String, Integer> batchOf = new HashMap<>();
		this.workload.churned.forEach(customer -> batchOf.put(customer.id(), customer.batch()));
		batchOf.putAll(this.workload.deletedIn);

		Map<String, Boolean> deletedInDatabase = new HashMap<>();
		for (Row row : this.customers.query("select id, deleted_at is not null from customer where organization_id = ?::uuid",
				uuid(this.workload.organization))) {
			deletedInDatabase.put(row.text(0), (Boolean) row.values()[1]);
		}
		Map<String, String> customerOfSubscription = new HashMap<>();
		Map<String, List<String>> subscriptionsOfCustomer = new HashMap<>();
		Map<String, Long> sequenceOfSubscription = new HashMap<>();
		Map<String, String> statusOfSubscription = new HashMap<>();
		Map<String, Long> revokedSubscriptions = new HashMap<>();
		for (Row row : this.subscriptions.query("""
				select id, customer_id, status, event_sequence, revoked_reason from subscription
				where organization_id = ?::uuid""", uuid(this.workload.organization))) {
			customerOfSubscription.put(row.text(0), row.text(1));
			subscriptionsOfCustomer.computeIfAbsent(row.text(1), key -> new ArrayList<>()).add(row.text(0));
			statusOfSubscription.put(row.text(0), row.text(2));
			sequenceOfSubscription.put(row.text(0), row.number(3));
			if ("REVOKED".equals(row.text(2)) && "customer_deleted".equals(row.text(4))) {
				revokedSubscriptions.merge(row.text(1), 1L, Long::sum);
			}
		}
		Map<String, List<Row>> grantsOfCustomer = new HashMap<>();
		Map<String, Integer> grantsPerSubscriptionBenefit = new HashMap<>();
		for (Row row : this.benefits.query("""
				select id, customer_id, subscription_id, benefit_id, suspended_at is not null, revoked_at is not null,
				revocation_reason from benefit_grant where organization_id = ?::uuid""",
				uuid(this.workload.organization))) {
			grantsOfCustomer.computeIfAbsent(row.text(1), key -> new ArrayList<>()).add(row);
			grantsPerSubscriptionBenefit.merge(row.text(2) + "/" + row.text(3), 1, Integer::sum);
		}
		Map<String, Map<String, Long>> reportCounts = new HashMap<>();
		for (Row row : this.customers.query("select customer_id, service, revoked_count from deletion_report")) {
			reportCounts.computeIfAbsent(row.text(0), key -> new HashMap<>()).put(row.text(1), row.number(2));
		}

		checkCustomerEvents(batchOf, deletedInDatabase);
		Map<String, Set<String>> endedEvents = checkSubscriptionEvents(batchOf, customerOfSubscription,
				sequenceOfSubscription);
		checkRevocationReports(batchOf);

		for (Map.Entry<String, Integer> deleted : this.workload.deletedIn.entrySet()) {
			String customer = deleted.getKey();
			int batch = deleted.getValue();
			if (!Boolean.TRUE.equals(deletedInDatabase.get(customer))) {
				fail(INV_RECEIPT, customer + " accepted DELETE but is not deleted in customer-service");
			}
			if (!this.rest.receipt(customer).path("complete").asBoolean(false)) {
				fail(INV_RECEIPT, customer + ": receipt " + this.rest.receipt(customer));
			}
			for (String subscription : subscriptionsOfCustomer.getOrDefault(customer, List.of())) {
				String status = statusOfSubscription.get(subscription);
				if (!status.equals("REVOKED") && !status.equals("CANCELED")) {
					fail(INV_SUBSCRIPTIONS, customer + ": subscription " + subscription + " is " + status);
				}
				if (endedEvents.getOrDefault(subscription, Set.of()).isEmpty()) {
					fail(INV_LOST, "no SubscriptionEnded for " + subscription + " of deleted " + customer);
					tally(batch).lost++;
				}
			}
			List<Row> grants = grantsOfCustomer.getOrDefault(customer, List.of());
			long revokedByDeletion = 0;
			for (Row grant : grants) {
				if (!(Boolean) grant.values()[5]) {
					fail(INV_GRANTS, customer + ": grant " + grant.text(0) + " not revoked");
				}
				else if ("customer_deleted".equals(grant.text(6))) {
					revokedByDeletion++;
				}
				if (grantsPerSubscriptionBenefit.get(grant.text(2) + "/" + grant.text(3)) > 1) {
					fail(INV_REVOKED_ONCE, customer + ": subscription " + grant.text(2) + " granted benefit "
							+ grant.text(3) + " more than once");
					tally(batch).duplicatedSideEffects++;
				}
			}
			Map<String, Long> reported = reportCounts.getOrDefault(customer, Map.of());
			if (reported.containsKey("benefit") && reported.get("benefit") != revokedByDeletion) {
				fail(INV_REVOKED_ONCE, customer + ": benefit-service reported " + reported.get("benefit")
						+ " grants revoked, " + revokedByDeletion + " were revoked by the deletion");
			}
			long subscriptionsRevoked = revokedSubscriptions.getOrDefault(customer, 0L);
			if (reported.containsKey("subscription") && reported.get("subscription") != subscriptionsRevoked) {
				fail(INV_REVOKED_ONCE, customer + ": subscription-service reported " + reported.get("subscription")
						+ " subscriptions revoked, " + subscriptionsRevoked + " are revoked by the deletion");
			}
		}

		List<Workload.Customer> live = new ArrayList<>(this.workload.churned);
		this.workload.initial.stream().filter(c -> !this.workload.deletedIn.containsKey(c.id())).forEach(live::add);
		for (Workload.Customer customer : live) {
			checkLive(customer, statusOfSubscription, grantsOfCustomer.getOrDefault(customer.id(), List.of()));
		}

		for (String service : Stack.SERVICES) {
			Database database = switch (service) {
				case "customer-service" -> this.customers;
				case "subscription-service" -> this.subscriptions;
				default -> this.benefits;
			};
			long left = database.count("select count(*) from outbox");
			long parked = database.parkedRows();
			if (left + parked > 0) {
				fail(INV_OUTBOX, service + ": " + left + " rows in outbox, " + parked + " parked");
			}
		}
		this.topics.deadLetters().forEach((topic, size) -> {
			if (size > 0) {
				fail(INV_DLT, topic + " holds " + size + " records");
			}
		});
		return new Findings(List.copyOf(this.invariants.values()), this.tallies);
	}

	private void checkCustomerEvents(Map<String, Integer> batchOf, Map<String, Boolean> deletedInDatabase)
			throws Exception {
		boolean compacted = this.topics.compacted("customer.events");
		Map<String, Set<String>> seen = new HashMap<>();
		Map<String, Set<String>> created = new HashMap<>();
		Map<String, Set<String>> deleted = new HashMap<>();
		for (Event event : this.topics.read("customer.events")) {
			if (!deletedInDatabase.containsKey(event.key())) {
				continue;
			}
			if (!seen.computeIfAbsent(event.key(), key -> new HashSet<>()).add(event.field("event_id"))) {
				tally(window(event.timestamp())).duplicatedDeliveries++;
				continue;
			}
			if (event.type().equals("CustomerCreated")) {
				if (deleted.containsKey(event.key())) {
					fail(INV_ORDER, "customer.events " + event.key() + ": CustomerCreated at offset " + event.offset()
							+ " after CustomerDeleted");
					tally(window(event.timestamp())).orderViolations++;
				}
				created.computeIfAbsent(event.key(), key -> new HashSet<>()).add(event.field("event_id"));
			}
			else if (event.type().equals("CustomerDeleted")) {
				if (!created.containsKey(event.key()) && !compacted) {
					fail(INV_ORDER, "customer.events " + event.key() + ": CustomerDeleted at offset " + event.offset()
							+ " before any CustomerCreated");
					tally(window(event.timestamp())).orderViolations++;
				}
				deleted.computeIfAbsent(event.key(), key -> new HashSet<>()).add(event.field("event_id"));
			}
		}
		deletedInDatabase.forEach((customer, isDeleted) -> {
			int batch = batchOf.getOrDefault(customer, OUTSIDE);
			int creations = created.getOrDefault(customer, Set.of()).size();
			int deletions = deleted.getOrDefault(customer, Set.of()).size();
			if (creations == 0 && !(compacted && deletions > 0)) {
				fail(INV_LOST, "no CustomerCreated for " + customer);
				tally(batch).lost++;
			}
			if (isDeleted && deletions == 0) {
				fail(INV_LOST, "no CustomerDeleted for deleted " + customer);
				tally(batch).lost++;
			}
			if (creations > 1 || deletions > 1) {
				fail(INV_REVOKED_ONCE, customer + ": " + creations + " CustomerCreated and " + deletions
						+ " CustomerDeleted events (distinct ids)");
				tally(batch).duplicatedSideEffects++;
			}
		});
	}

	private Map<String, Set<String>> checkSubscriptionEvents(Map<String, Integer> batchOf,
			Map<String, String> customerOfSubscription, Map<String, Long> sequenceOfSubscription) throws Exception {
		Map<String, Set<String>> seen = new HashMap<>();
		Map<String, Long> last = new HashMap<>();
		Map<String, Set<Long>> sequences = new HashMap<>();
		Map<String, Set<String>> ended = new HashMap<>();
		for (Event event : this.topics.read("subscription.events")) {
			if (!customerOfSubscription.containsKey(event.key())) {
				continue;
			}
			if (!seen.computeIfAbsent(event.key(), key -> new HashSet<>()).add(event.field("event_id"))) {
				tally(window(event.timestamp())).duplicatedDeliveries++;
				continue;
			}
			long sequence = Long.parseLong(event.field("sequence"));
			if (sequence <= last.getOrDefault(event.key(), 0L)) {
				fail(INV_ORDER, "subscription.events " + event.key() + ": " + event.type() + " sequence " + sequence
						+ " at offset " + event.offset() + " after sequence " + last.get(event.key()));
				tally(window(event.timestamp())).orderViolations++;
			}
			last.merge(event.key(), sequence, Math::max);
			if (!sequences.computeIfAbsent(event.key(), key -> new HashSet<>()).add(sequence)) {
				fail(INV_REVOKED_ONCE, "subscription.events " + event.key() + ": two events with sequence " + sequence);
				tally(window(event.timestamp())).duplicatedSideEffects++;
			}
			if (event.type().equals("SubscriptionEnded")
					&& ended.computeIfAbsent(event.key(), key -> new HashSet<>()).add(event.field("event_id"))
					&& ended.get(event.key()).size() > 1) {
				fail(INV_REVOKED_ONCE, "subscription " + event.key() + " ended twice");
				tally(window(event.timestamp())).duplicatedSideEffects++;
			}
		}
		sequenceOfSubscription.forEach((subscription, expected) -> {
			Set<Long> delivered = sequences.getOrDefault(subscription, Set.of());
			for (long sequence = 1; sequence <= expected; sequence++) {
				if (!delivered.contains(sequence)) {
					fail(INV_LOST, "subscription.events " + subscription + ": sequence " + sequence + " of " + expected
							+ " never delivered");
					tally(batchOf.getOrDefault(customerOfSubscription.get(subscription), OUTSIDE)).lost++;
				}
			}
		});
		return ended;
	}

	private void checkRevocationReports(Map<String, Integer> batchOf) throws Exception {
		Map<String, Set<String>> seen = new HashMap<>();
		Map<String, Set<String>> reports = new HashMap<>();
		for (Event event : this.topics.read("customer.revocations")) {
			if (!batchOf.containsKey(event.key()) && !this.workload.deletedIn.containsKey(event.key())) {
				continue;
			}
			if (!seen.computeIfAbsent(event.key(), key -> new HashSet<>()).add(event.field("event_id"))) {
				tally(window(event.timestamp())).duplicatedDeliveries++;
				continue;
			}
			String key = event.key() + "/" + event.field("service");
			if (!reports.computeIfAbsent(key, k -> new HashSet<>()).add(event.field("event_id"))
					|| reports.get(key).size() > 1) {
				fail(INV_REVOKED_ONCE, event.field("service") + "-service reported the deletion of " + event.key()
						+ " " + reports.get(key).size() + " times (distinct event ids)");
				tally(window(event.timestamp())).duplicatedSideEffects++;
			}
		}
		this.workload.deletedIn.forEach((customer, batch) -> {
			for (String service : List.of("subscription", "benefit")) {
				if (!reports.containsKey(customer + "/" + service)) {
					fail(INV_LOST, "no CustomerRevocationCompleted of " + service + "-service for " + customer);
					tally(batch).lost++;
				}
			}
		});
	}

	private void checkLive(Workload.Customer customer, Map<String, String> statusOfSubscription, List<Row> grants) {
		Map<String, String> expected = Map.of(customer.active(), "ACTIVE", customer.pastDue(), "PAST_DUE",
				customer.paused(), "PAUSED");
		expected.forEach((subscription, status) -> {
			if (!status.equals(statusOfSubscription.get(subscription))) {
				fail(INV_LIVE, customer.id() + ": subscription " + subscription + " is "
						+ statusOfSubscription.get(subscription) + ", expected " + status);
			}
			List<Row> live = grants.stream()
				.filter(grant -> grant.text(2).equals(subscription) && !(Boolean) grant.values()[5])
				.toList();
			boolean suspended = subscription.equals(customer.paused());
			if (live.size() != Workload.BENEFIT_KEYS.size()
					|| live.stream().anyMatch(grant -> (Boolean) grant.values()[4] != suspended)) {
				fail(INV_LIVE, customer.id() + ": subscription " + subscription + " (" + status + ") has "
						+ live.size() + " live grants, suspended " + live.stream().map(g -> g.values()[4]).toList());
			}
		});
		long usable = grants.stream().filter(g -> !(Boolean) g.values()[5] && !(Boolean) g.values()[4]).count();
		int entitlements = this.rest.entitlementCount(customer.id());
		if (entitlements != usable || entitlements < 2 * Workload.BENEFIT_KEYS.size()) {
			fail(INV_LIVE, customer.id() + ": " + entitlements + " entitlements, " + usable + " usable grants");
		}
	}

	private int window(long timestamp) {
		for (int i = 0; i < this.windows.size(); i++) {
			if (timestamp >= this.windows.get(i)[0] && timestamp <= this.windows.get(i)[1]) {
				return i;
			}
		}
		return OUTSIDE;
	}

	private Tally tally(int window) {
		return this.tallies.computeIfAbsent(window, key -> new Tally());
	}

	private void fail(String invariant, String example) {
		this.invariants.get(invariant).fail(example);
	}

	private static java.util.UUID uuid(String id) {
		return java.util.UUID.fromString(id);
	}

}
