package dev.subscriptions.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.subscriptions.faults.Database.Row;

/**
 * Reads what the system ended with (the three databases, the topics from the beginning,
 * the REST APIs) and checks the invariants against what the workload did.
 */
final class Checker {

	private static final int GRANT_SUBSCRIPTION = 2;

	private static final int GRANT_BENEFIT = 3;

	private static final int GRANT_SUSPENDED = 4;

	private static final int GRANT_REVOKED = 5;

	private static final int GRANT_REASON = 6;

	private final Workload workload;

	private final Rest rest;

	private final Database customers;

	private final Database subscriptions;

	private final Database benefits;

	private final Topics topics;

	private final Verdicts verdicts;

	Checker(Workload workload, Rest rest, Database customers, Database subscriptions, Database benefits, Topics topics,
			List<long[]> windows) {
		this.workload = workload;
		this.rest = rest;
		this.customers = customers;
		this.subscriptions = subscriptions;
		this.benefits = benefits;
		this.topics = topics;
		this.verdicts = new Verdicts(windows);
	}

	Verdicts check() throws Exception {
		UUID organization = UUID.fromString(this.workload.organization);
		this.workload.stuck.forEach(call -> this.verdicts.fail(Verdicts.WORKLOAD, call));
		Map<String, Integer> batchOf = new HashMap<>();
		this.workload.churned.forEach(customer -> batchOf.put(customer.id(), customer.batch()));
		batchOf.putAll(this.workload.deletedIn);

		Map<String, Boolean> deletedInDatabase = new HashMap<>();
		for (Row row : this.customers.query("select id, deleted_at is not null from customer where organization_id = ?",
				organization)) {
			deletedInDatabase.put(row.text(0), (Boolean) row.values()[1]);
		}
		Map<String, String> customerOfSubscription = new HashMap<>();
		Map<String, List<String>> subscriptionsOfCustomer = new HashMap<>();
		Map<String, Long> lastSequence = new HashMap<>();
		Map<String, String> statusOfSubscription = new HashMap<>();
		Map<String, Long> revokedSubscriptions = new HashMap<>();
		for (Row row : this.subscriptions.query("""
				select id, customer_id, status, event_sequence, revoked_reason from subscription
				where organization_id = ?""", organization)) {
			customerOfSubscription.put(row.text(0), row.text(1));
			subscriptionsOfCustomer.computeIfAbsent(row.text(1), key -> new ArrayList<>()).add(row.text(0));
			statusOfSubscription.put(row.text(0), row.text(2));
			lastSequence.put(row.text(0), row.number(3));
			if ("REVOKED".equals(row.text(2)) && "customer_deleted".equals(row.text(4))) {
				revokedSubscriptions.merge(row.text(1), 1L, Long::sum);
			}
		}
		Map<String, List<Row>> grantsOfCustomer = new HashMap<>();
		Map<String, Integer> grantsPerSubscriptionBenefit = new HashMap<>();
		for (Row row : this.benefits.query("""
				select id, customer_id, subscription_id, benefit_id, suspended_at is not null, revoked_at is not null,
				revocation_reason from benefit_grant where organization_id = ?""", organization)) {
			grantsOfCustomer.computeIfAbsent(row.text(1), key -> new ArrayList<>()).add(row);
			grantsPerSubscriptionBenefit.merge(row.text(GRANT_SUBSCRIPTION) + "/" + row.text(GRANT_BENEFIT), 1,
					Integer::sum);
		}
		Map<String, Map<String, Long>> reportCounts = new HashMap<>();
		for (Row row : this.customers.query("select customer_id, service, revoked_count from deletion_report")) {
			reportCounts.computeIfAbsent(row.text(0), key -> new HashMap<>()).put(row.text(1), row.number(2));
		}

		EventLogs logs = new EventLogs(this.verdicts);
		logs.customerEvents(this.topics.read("customer.events"), deletedInDatabase, batchOf,
				this.topics.compacted("customer.events"));
		Map<String, Set<String>> ended = logs.subscriptionEvents(this.topics.read("subscription.events"),
				customerOfSubscription, lastSequence, batchOf);
		logs.revocationReports(this.topics.read("customer.revocations"), this.workload.deletedIn,
				List.of("subscription", "benefit"));

		for (Map.Entry<String, Integer> deleted : this.workload.deletedIn.entrySet()) {
			String customer = deleted.getKey();
			if (!Boolean.TRUE.equals(deletedInDatabase.get(customer))) {
				this.verdicts.fail(Verdicts.RECEIPT,
						customer + " accepted DELETE but is not deleted in customer-service");
			}
			var receipt = this.rest.receipt(customer);
			if (!receipt.path("complete").asBoolean(false)) {
				this.verdicts.fail(Verdicts.RECEIPT, customer + ": receipt " + receipt);
			}
			for (String subscription : subscriptionsOfCustomer.getOrDefault(customer, List.of())) {
				String status = statusOfSubscription.get(subscription);
				if (!status.equals("REVOKED") && !status.equals("CANCELED")) {
					this.verdicts.fail(Verdicts.SUBSCRIPTIONS,
							customer + ": subscription " + subscription + " is " + status);
				}
				if (ended.getOrDefault(subscription, Set.of()).isEmpty()) {
					this.verdicts.fail(Verdicts.LOST,
							"no SubscriptionEnded for " + subscription + " of deleted " + customer);
					this.verdicts.tally(deleted.getValue()).lost++;
				}
			}
			checkRevokedOnce(customer, deleted.getValue(), grantsOfCustomer.getOrDefault(customer, List.of()),
					grantsPerSubscriptionBenefit, reportCounts.getOrDefault(customer, Map.of()),
					revokedSubscriptions.getOrDefault(customer, 0L));
		}

		List<Workload.Customer> live = new ArrayList<>(this.workload.churned);
		this.workload.initial.stream().filter(c -> !this.workload.deletedIn.containsKey(c.id())).forEach(live::add);
		for (Workload.Customer customer : live) {
			checkLive(customer, statusOfSubscription, grantsOfCustomer.getOrDefault(customer.id(), List.of()));
		}

		Map<String, Database> databases = Map.of("customer-service", this.customers, "subscription-service",
				this.subscriptions, "benefit-service", this.benefits);
		for (String service : Stack.SERVICES) {
			long left = databases.get(service).count("select count(*) from outbox");
			long parked = databases.get(service).parkedRows();
			if (left + parked > 0) {
				this.verdicts.fail(Verdicts.OUTBOX, service + ": " + left + " rows in outbox, " + parked + " parked");
			}
		}
		this.topics.deadLetters().forEach((topic, size) -> {
			if (size > 0) {
				this.verdicts.fail(Verdicts.DEAD_LETTERS, topic + " holds " + size + " records");
			}
		});
		return this.verdicts;
	}

	/**
	 * Every grant of a deleted customer is revoked, none was granted twice for one
	 * subscription and benefit, and the services' reports count what the deletion
	 * revoked.
	 */
	private void checkRevokedOnce(String customer, int batch, List<Row> grants, Map<String, Integer> grantsPerKey,
			Map<String, Long> reported, long subscriptionsRevoked) {
		long revokedByDeletion = 0;
		for (Row grant : grants) {
			if (!(Boolean) grant.values()[GRANT_REVOKED]) {
				this.verdicts.fail(Verdicts.GRANTS, customer + ": grant " + grant.text(0) + " not revoked");
			}
			else if ("customer_deleted".equals(grant.text(GRANT_REASON))) {
				revokedByDeletion++;
			}
			if (grantsPerKey.get(grant.text(GRANT_SUBSCRIPTION) + "/" + grant.text(GRANT_BENEFIT)) > 1) {
				this.verdicts.fail(Verdicts.REVOKED_ONCE, customer + ": subscription " + grant.text(GRANT_SUBSCRIPTION)
						+ " was granted benefit " + grant.text(GRANT_BENEFIT) + " more than once");
				this.verdicts.tally(batch).duplicatedSideEffects++;
			}
		}
		if (reported.containsKey("benefit") && reported.get("benefit") != revokedByDeletion) {
			this.verdicts.fail(Verdicts.REVOKED_ONCE, customer + ": benefit-service reported " + reported.get("benefit")
					+ " grants revoked, " + revokedByDeletion + " were revoked by the deletion");
		}
		if (reported.containsKey("subscription") && reported.get("subscription") != subscriptionsRevoked) {
			this.verdicts.fail(Verdicts.REVOKED_ONCE,
					customer + ": subscription-service reported " + reported.get("subscription")
							+ " subscriptions revoked, " + subscriptionsRevoked + " were revoked by the deletion");
		}
	}

	/**
	 * A live customer's three subscriptions are active, past due and paused, each with
	 * its three grants, the paused one's suspended; its entitlements are its usable
	 * grants.
	 */
	private void checkLive(Workload.Customer customer, Map<String, String> statusOfSubscription, List<Row> grants) {
		Map<String, String> expected = Map.of(customer.active(), "ACTIVE", customer.pastDue(), "PAST_DUE",
				customer.paused(), "PAUSED");
		expected.forEach((subscription, status) -> {
			if (!status.equals(statusOfSubscription.get(subscription))) {
				this.verdicts.fail(Verdicts.LIVE, customer.id() + ": subscription " + subscription + " is "
						+ statusOfSubscription.get(subscription) + ", expected " + status);
			}
			List<Row> live = grants.stream()
				.filter(grant -> grant.text(GRANT_SUBSCRIPTION).equals(subscription)
						&& !(Boolean) grant.values()[GRANT_REVOKED])
				.toList();
			boolean suspended = subscription.equals(customer.paused());
			if (live.size() != Workload.BENEFIT_KEYS.size()
					|| live.stream().anyMatch(grant -> (Boolean) grant.values()[GRANT_SUSPENDED] != suspended)) {
				this.verdicts.fail(Verdicts.LIVE,
						customer.id() + ": subscription " + subscription + " (" + status + ") has " + live.size()
								+ " live grants, suspended "
								+ live.stream().map(grant -> grant.values()[GRANT_SUSPENDED]).toList());
			}
		});
		long usable = grants.stream()
			.filter(grant -> !(Boolean) grant.values()[GRANT_REVOKED] && !(Boolean) grant.values()[GRANT_SUSPENDED])
			.count();
		int entitlements = this.rest.entitlementCount(customer.id());
		if (entitlements != usable || entitlements < 2 * Workload.BENEFIT_KEYS.size()) {
			this.verdicts.fail(Verdicts.LIVE,
					customer.id() + ": " + entitlements + " entitlements, " + usable + " usable grants");
		}
	}

}
