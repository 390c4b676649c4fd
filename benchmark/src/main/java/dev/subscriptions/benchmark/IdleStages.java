package dev.subscriptions.benchmark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where the time of an idle deletion goes: each stage of its path, from the DELETE
 * request to the complete receipt, per deleted customer, from timestamps that exist
 * anyway.
 * <ul>
 * <li>The commit of each transaction: {@code pg_xact_commit_timestamp(xmin)} of the row
 * it wrote last ({@code track_commit_timestamp=on}, which the local stack sets): the
 * customer row (DELETE), each service's inbox row of the event it handled, customer
 * service's {@code customer_deletion} row (receipt complete).</li>
 * <li>The start of each handler: its inbox row's {@code processed_at}
 * ({@code clock_timestamp()} at the insert, the handler's first statement).</li>
 * <li>Each record's timestamp (the relay's {@code send()}) and its arrival at the
 * benchmark's own consumer ({@link TopicWatch}).</li>
 * <li>The client's own times: the request's start, the 204, and when its polls of the
 * entitlements and of the receipt first saw the result.</li>
 * </ul>
 * A stage missing for a customer (a record the watch did not see, say) leaves that
 * customer out of that stage only.
 */
final class IdleStages {

	private final Map<String, List<Double>> stages = new LinkedHashMap<>();

	private final Map<String, Client> clients = new HashMap<>();

	IdleStages() {
		for (String stage : List.of(Stage.REQUEST_TO_COMMIT, Stage.COMMIT_TO_RESPONSE, Stage.COMMIT_TO_SEND,
				Stage.SEND_TO_AVAILABLE, Stage.SEND_TO_BENEFIT_START, Stage.BENEFIT_HANDLER,
				Stage.SEND_TO_SUBSCRIPTION_START, Stage.SUBSCRIPTION_HANDLER, Stage.BENEFIT_COMMIT_TO_REPORT,
				Stage.SUBSCRIPTION_COMMIT_TO_REPORT, Stage.REPORT_TO_AVAILABLE, Stage.REPORT_TO_CUSTOMER_START,
				Stage.CUSTOMER_HANDLER, Stage.ONE_HOP_TO_START, Stage.ONE_HOP, Stage.COMMIT_TO_RECEIPT,
				Stage.REQUEST_TO_ENTITLEMENTS, Stage.REQUEST_TO_RECEIPT)) {
			this.stages.put(stage, new ArrayList<>());
		}
		this.stages.put(Stage.CLIENT_ENTITLEMENTS, new ArrayList<>());
		this.stages.put(Stage.CLIENT_RECEIPT, new ArrayList<>());
	}

	/**
	 * The client's times of one deletion, in microseconds since the epoch: the start of
	 * its request and its 204.
	 */
	void client(String customer, long requestStarted, long responded) {
		this.clients.put(customer, new Client(requestStarted, responded));
	}

	/**
	 * When a polling client first saw the entitlements empty and the receipt complete, in
	 * microseconds since the epoch.
	 */
	void polled(long requestStarted, long entitlementsEmpty, long receiptComplete) {
		add(Stage.CLIENT_ENTITLEMENTS, requestStarted, entitlementsEmpty);
		add(Stage.CLIENT_RECEIPT, requestStarted, receiptComplete);
	}

	/**
	 * Reads the databases' timestamps of every deletion the client recorded and pairs
	 * them with the records the watch saw.
	 */
	void collect(Database customers, Database subscriptions, Database benefits, TopicWatch watch) throws Exception {
		String[] ids = this.clients.keySet().toArray(String[]::new);
		Map<String, Deletion> deletions = new HashMap<>();
		for (Database.Row row : customers.rows("""
				select c.id::text, c.deletion_event_id::text,
				       extract(epoch from pg_xact_commit_timestamp(c.xmin)) * 1e6,
				       extract(epoch from pg_xact_commit_timestamp(d.xmin)) * 1e6
				from customer c join customer_deletion d on d.customer_id = c.id
				where c.id = any(?::uuid[])""", (Object) ids)) {
			deletions.put(row.text(0), new Deletion(row.text(1), row.number(2), row.number(3)));
		}
		String[] eventIds = deletions.values()
			.stream()
			.map(Deletion::eventId)
			.filter(id -> id != null)
			.toArray(String[]::new);
		Map<String, Handled> benefit = handled(benefits, "benefit-service", eventIds);
		Map<String, Handled> subscription = handled(subscriptions, "subscription-service", eventIds);
		Map<String, Map<String, Report>> reports = new HashMap<>();
		for (Database.Row row : customers.rows("""
				select r.customer_id::text, r.service, r.event_id::text,
				       extract(epoch from i.processed_at) * 1e6,
				       extract(epoch from pg_xact_commit_timestamp(r.xmin)) * 1e6
				from deletion_report r
				left join inbox i on i.consumer = 'customer-service' and i.event_id = r.event_id
				where r.customer_id = any(?::uuid[])""", (Object) ids)) {
			reports.computeIfAbsent(row.text(0), customer -> new HashMap<>())
				.put(row.text(1), new Report(row.text(2), row.number(3), row.number(4)));
		}
		this.clients.forEach((customer, client) -> {
			Deletion deletion = deletions.get(customer);
			if (deletion == null) {
				return;
			}
			add(Stage.REQUEST_TO_COMMIT, client.requestStarted(), deletion.committed());
			add(Stage.COMMIT_TO_RESPONSE, deletion.committed(), client.responded());
			add(Stage.COMMIT_TO_RECEIPT, deletion.committed(), deletion.receiptCommitted());
			add(Stage.REQUEST_TO_RECEIPT, client.requestStarted(), deletion.receiptCommitted());
			TopicWatch.Seen deleted = watch.of(deletion.eventId());
			Handled benefitHandled = benefit.get(deletion.eventId());
			Handled subscriptionHandled = subscription.get(deletion.eventId());
			if (benefitHandled != null) {
				add(Stage.BENEFIT_HANDLER, benefitHandled.started(), benefitHandled.committed());
				add(Stage.ONE_HOP_TO_START, deletion.committed(), benefitHandled.started());
				add(Stage.ONE_HOP, deletion.committed(), benefitHandled.committed());
				add(Stage.REQUEST_TO_ENTITLEMENTS, client.requestStarted(), benefitHandled.committed());
			}
			if (subscriptionHandled != null) {
				add(Stage.SUBSCRIPTION_HANDLER, subscriptionHandled.started(), subscriptionHandled.committed());
			}
			if (deleted != null) {
				add(Stage.COMMIT_TO_SEND, deletion.committed(), deleted.timestampMicros());
				add(Stage.SEND_TO_AVAILABLE, deleted.timestampMicros(), deleted.arrivedMicros());
				if (benefitHandled != null) {
					add(Stage.SEND_TO_BENEFIT_START, deleted.timestampMicros(), benefitHandled.started());
				}
				if (subscriptionHandled != null) {
					add(Stage.SEND_TO_SUBSCRIPTION_START, deleted.timestampMicros(), subscriptionHandled.started());
				}
			}
			Map<String, Report> byService = reports.getOrDefault(customer, Map.of());
			report(byService.get("benefit"), benefitHandled, Stage.BENEFIT_COMMIT_TO_REPORT, watch);
			report(byService.get("subscription"), subscriptionHandled, Stage.SUBSCRIPTION_COMMIT_TO_REPORT, watch);
		});
	}

	private void report(@Nullable Report report, @Nullable Handled handled, String commitToReport, TopicWatch watch) {
		if (report == null) {
			return;
		}
		add(Stage.CUSTOMER_HANDLER, report.started(), report.committed());
		TopicWatch.Seen sent = watch.of(report.eventId());
		if (sent == null) {
			return;
		}
		if (handled != null) {
			add(commitToReport, handled.committed(), sent.timestampMicros());
		}
		add(Stage.REPORT_TO_AVAILABLE, sent.timestampMicros(), sent.arrivedMicros());
		add(Stage.REPORT_TO_CUSTOMER_START, sent.timestampMicros(), report.started());
	}

	private static Map<String, Handled> handled(Database database, String consumer, String[] eventIds)
			throws Exception {
		Map<String, Handled> handled = new HashMap<>();
		for (Database.Row row : database.rows("""
				select event_id::text, extract(epoch from processed_at) * 1e6,
				       extract(epoch from pg_xact_commit_timestamp(xmin)) * 1e6
				from inbox where consumer = ? and event_id = any(?::uuid[])""", consumer, eventIds)) {
			handled.put(row.text(0), new Handled(row.number(1), row.number(2)));
		}
		return handled;
	}

	private void add(String stage, double fromMicros, double toMicros) {
		if (!Double.isNaN(fromMicros) && !Double.isNaN(toMicros)) {
			this.stages.get(stage).add((toMicros - fromMicros) / 1000.0);
		}
	}

	/** The milliseconds of each stage, in the order of the path. */
	Map<String, List<Double>> stages() {
		return this.stages;
	}

	List<Double> of(String stage) {
		return this.stages.get(stage);
	}

	/** The stages, named as the table prints them. */
	static final class Stage {

		static final String REQUEST_TO_COMMIT = "DELETE request → DELETE commit";

		static final String COMMIT_TO_RESPONSE = "DELETE commit → HTTP 204 at the client";

		static final String COMMIT_TO_SEND = "DELETE commit → CustomerDeleted sent (relay: wake-up, read, send; record timestamp)";

		static final String SEND_TO_AVAILABLE = "CustomerDeleted sent → at a plain consumer (Kafka ack and fetch)";

		static final String SEND_TO_BENEFIT_START = "CustomerDeleted sent → benefit-service handler start (inbox.processed_at)";

		static final String BENEFIT_HANDLER = "benefit-service handler start → its commit";

		static final String SEND_TO_SUBSCRIPTION_START = "CustomerDeleted sent → subscription-service handler start";

		static final String SUBSCRIPTION_HANDLER = "subscription-service handler start → its commit";

		static final String BENEFIT_COMMIT_TO_REPORT = "benefit-service commit → its report sent";

		static final String SUBSCRIPTION_COMMIT_TO_REPORT = "subscription-service commit → its report sent";

		static final String REPORT_TO_AVAILABLE = "report sent → at a plain consumer";

		static final String REPORT_TO_CUSTOMER_START = "report sent → customer-service handler start";

		static final String CUSTOMER_HANDLER = "customer-service report handler start → its commit";

		static final String ONE_HOP_TO_START = "DELETE commit → benefit-service handler start (its inbox row)";

		static final String ONE_HOP = "One hop: DELETE commit → benefit-service handler commit (entitlements revoked)";

		static final String COMMIT_TO_RECEIPT = "DELETE commit → receipt complete (commit of customer_deletion)";

		static final String REQUEST_TO_ENTITLEMENTS = "DELETE request → entitlements revoked (benefit-service commit)";

		static final String REQUEST_TO_RECEIPT = "DELETE request → receipt complete (commit of customer_deletion)";

		static final String CLIENT_ENTITLEMENTS = "Client: DELETE request → GET entitlements empty (2 ms polls)";

		static final String CLIENT_RECEIPT = "Client: DELETE request → GET receipt complete (2 ms polls)";

		private Stage() {
		}

	}

	private record Client(long requestStarted, long responded) {
	}

	private record Deletion(@Nullable String eventId, double committed, double receiptCommitted) {
	}

	private record Handled(double started, double committed) {
	}

	private record Report(@Nullable String eventId, double started, double committed) {
	}

}
