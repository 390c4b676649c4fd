package dev.subscriptions.benchmark;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.subscriptions.localstack.auth.LocalTokens;

/**
 * Measures the deletion choreography against a running local stack ({@code ./run-local})
 * and prints one table:
 * <ol>
 * <li>idle propagation: single deletes, one after the other; DELETE until the customer's
 * entitlements are empty and until the deletion receipt is complete, by polling the REST
 * API;</li>
 * <li>bulk: customers with 3 subscriptions of a product with 3 benefits each, deleted as
 * fast as the API accepts; time until every receipt is complete;</li>
 * <li>the outbox relay against a raw {@code KafkaProducer} with the same records,
 * settings and broker;</li>
 * <li>the bulk revocation rate against the raw single-row UPDATE commit rate of the same
 * PostgreSQL.</li>
 * </ol>
 * Options: {@code --customers 10000 --idle 200 --relay-events 20000 --threads 16}.
 * Endpoints default to the local stack's ports;
 * {@code --postgres jdbc:postgresql://localhost:5432/} with a login per database named
 * like it. The API calls carry tokens of the authorization server at
 * {@code --issuer http://localhost:9000} for its client {@code local-cli}, whose secret
 * is read from {@code auth/clients.json} of the local stack's data directory
 * {@code --data .local-stack}, unless {@code --client-secret} gives it (and
 * {@code --client-id} another client).
 */
public final class Benchmark {

	private final Options options;

	private final Rest rest;

	private final Database customerDatabase;

	private final Database subscriptionDatabase;

	private final Database benefitDatabase;

	private final Database benchmarkDatabase;

	private final ExecutorService pool;

	private final List<String[]> table = new ArrayList<>();

	private Benchmark(Options options) {
		this.options = options;
		this.rest = new Rest(options.text("--customer-url", "http://localhost:8081"),
				options.text("--subscription-url", "http://localhost:8082"),
				options.text("--benefit-url", "http://localhost:8083"), tokens(options));
		String postgres = options.text("--postgres", "jdbc:postgresql://localhost:5432/");
		this.customerDatabase = new Database(postgres, "customer");
		this.subscriptionDatabase = new Database(postgres, "subscription");
		this.benefitDatabase = new Database(postgres, "benefit");
		this.benchmarkDatabase = new Database(postgres, "benchmark");
		this.pool = Executors.newFixedThreadPool(options.number("--threads", 16));
	}

	/**
	 * Tokens of the local stack's authorization server, for its client as the stack kept
	 * it, or for the one given.
	 */
	private static LocalTokens tokens(Options options) {
		String issuer = options.text("--issuer", "http://localhost:9000");
		String secret = options.text("--client-secret", "");
		if (!secret.isEmpty()) {
			return new LocalTokens(issuer, options.text("--client-id", "local-cli"), secret);
		}
		return LocalTokens.of(Path.of(options.text("--data", ".local-stack")), issuer);
	}

	public static void main(String[] args) throws Exception {
		Benchmark benchmark = new Benchmark(new Options(args));
		try {
			benchmark.run();
		}
		finally {
			benchmark.pool.shutdownNow();
		}
	}

	private void run() throws Exception {
		System.out.printf("Benchmark on %d cores, %d MiB max heap of this JVM; services on the same machine%n",
				Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
		idlePropagation(this.options.number("--idle", 200));
		Bulk bulk = bulkDeletion(this.options.number("--customers", 10_000));
		relayAgainstRawProducer(this.options.number("--relay-events", 20_000));
		revocationAgainstRawCommits(bulk);
		System.out.println();
		System.out.println("| Measure | Result |");
		System.out.println("|---|---|");
		this.table.forEach(row -> System.out.println("| " + row[0] + " | " + row[1] + " |"));
	}

	private void idlePropagation(int count) throws Exception {
		Product product = product();
		log("idle: preparing " + count + " customers with a subscription to 3 benefits");
		List<String> customers = inParallel(count, i -> {
			String customer = this.rest.createCustomer(product.organization(), "idle-" + i + "@example.com");
			this.rest.subscribe(product.organization(), customer, product.id());
			return customer;
		});
		for (String customer : customers) {
			await(Duration.ofSeconds(60), () -> this.rest.entitlementCount(product.organization(), customer) == 3);
		}
		log("idle: deleting them one at a time");
		List<Double> toEntitlements = new ArrayList<>();
		List<Double> toReceipt = new ArrayList<>();
		for (String customer : customers) {
			long start = System.nanoTime();
			this.rest.deleteCustomer(product.organization(), customer);
			long entitlementsGone = 0;
			long receiptComplete = 0;
			while (entitlementsGone == 0 || receiptComplete == 0) {
				if (entitlementsGone == 0 && this.rest.entitlementCount(product.organization(), customer) == 0) {
					entitlementsGone = System.nanoTime();
				}
				if (receiptComplete == 0 && this.rest.deletionComplete(product.organization(), customer)) {
					receiptComplete = System.nanoTime();
				}
				if (System.nanoTime() - start > Duration.ofSeconds(60).toNanos()) {
					throw new IllegalStateException("Deletion of " + customer + " did not propagate within 60 s");
				}
				Thread.sleep(2);
			}
			toEntitlements.add((entitlementsGone - start) / 1e6);
			toReceipt.add((receiptComplete - start) / 1e6);
		}
		Stats entitlements = new Stats(toEntitlements);
		Stats receipts = new Stats(toReceipt);
		row("Idle propagation, " + count + " single deletes: DELETE → entitlements empty (p50 / p95 / p99)",
				"%.0f / %.0f / %.0f ms".formatted(entitlements.percentile(50), entitlements.percentile(95),
						entitlements.percentile(99)));
		row("Idle propagation: DELETE → deletion receipt complete (p50 / p95 / p99)", "%.0f / %.0f / %.0f ms"
			.formatted(receipts.percentile(50), receipts.percentile(95), receipts.percentile(99)));
	}

	private Bulk bulkDeletion(int count) throws Exception {
		Product product = product();
		log("bulk: creating " + count + " customers with 3 subscriptions each");
		long setUp = System.nanoTime();
		List<String> customers = inParallel(count,
				i -> this.rest.createCustomer(product.organization(), "bulk-" + i + "@example.com"));
		inParallel(count, i -> {
			for (int s = 0; s < 3; s++) {
				this.rest.subscribe(product.organization(), customers.get(i), product.id());
			}
			return null;
		});
		long grants = 9L * count;
		await(Duration.ofMinutes(10), () -> this.benefitDatabase.count("""
				select count(*) from benefit_grant where organization_id = ?::uuid and revoked_at is null""",
				product.organization()) >= grants);
		log("bulk: set up in %.0f s (%d customers, %d subscriptions, %d grants)"
			.formatted((System.nanoTime() - setUp) / 1e9, count, 3L * count, grants));

		log("bulk: deleting them all");
		long start = System.nanoTime();
		inParallel(count, i -> {
			this.rest.deleteCustomer(product.organization(), customers.get(i));
			return null;
		});
		double accepted = (System.nanoTime() - start) / 1e9;
		long reports = 2L * count;
		await(Duration.ofMinutes(15), () -> this.customerDatabase.count("""
				select count(*) from deletion_report r join customer c on c.id = r.customer_id
				where c.organization_id = ?::uuid and r.service in ('subscription', 'benefit')""",
				product.organization()) >= reports);
		double complete = (System.nanoTime() - start) / 1e9;
		log("bulk: checking every receipt through the API");
		AtomicInteger incomplete = new AtomicInteger();
		inParallel(count, i -> {
			if (!this.rest.deletionComplete(product.organization(), customers.get(i))) {
				incomplete.incrementAndGet();
			}
			return null;
		});
		if (incomplete.get() > 0) {
			throw new IllegalStateException(incomplete.get() + " receipts are not complete");
		}
		row("Bulk: " + count + " customers × 3 subscriptions × 3 benefits, DELETE as fast as the API accepts",
				"API accepted all in %.1f s (%.0f/s); every receipt complete after %.1f s: %.0f customers/s"
					.formatted(accepted, count / accepted, complete, count / complete));
		return new Bulk(product.organization(), count);
	}

	private void relayAgainstRawProducer(int events) throws Exception {
		log("relay: " + events + " events over 100 keys, 3 rounds each, alternating");
		List<Double> relay = new ArrayList<>();
		List<Double> raw = new ArrayList<>();
		try (RelayComparison comparison = new RelayComparison(this.options.text("--kafka", "localhost:9092"),
				this.options.text("--registry", "http://localhost:8080/apis/ccompat/v7"), this.customerDatabase,
				events)) {
			for (int round = 0; round < 3; round++) {
				raw.add(comparison.raw());
				relay.add(comparison.relay());
			}
		}
		double relayRate = new Stats(relay).median();
		double rawRate = new Stats(raw).median();
		row("Outbox relay vs raw idempotent KafkaProducer, " + events + " records, same broker (median of 3)",
				"relay %,.0f events/s, raw %,.0f events/s: ratio %.2f".formatted(relayRate, rawRate,
						relayRate / rawRate));
	}

	private void revocationAgainstRawCommits(Bulk bulk) throws Exception {
		double[] subscriptions = this.subscriptionDatabase.numbers("""
				select count(*), extract(epoch from max(ended_at) - min(ended_at)) from subscription
				where organization_id = ?::uuid and status = 'REVOKED'""", bulk.organization());
		double[] grants = this.benefitDatabase.numbers("""
				select count(*), extract(epoch from max(revoked_at) - min(revoked_at)) from benefit_grant
				where organization_id = ?::uuid and revoked_at is not null""", bulk.organization());
		double subscriptionRate = subscriptions[0] / subscriptions[1];
		double grantRate = grants[0] / grants[1];
		double commitRate = rawUpdateCommitRate(Duration.ofSeconds(5));
		row("Bulk revocation vs raw single-row UPDATE commits (one connection, same PostgreSQL)",
				"subscriptions revoked %,.0f/s, grants revoked %,.0f/s; raw %,.0f commits/s: ratios %.2f and %.2f"
					.formatted(subscriptionRate, grantRate, commitRate, subscriptionRate / commitRate,
							grantRate / commitRate));
	}

	private double rawUpdateCommitRate(Duration duration) throws Exception {
		log("raw commits: single-row UPDATE, autocommit, for " + duration.toSeconds() + " s");
		try (Connection connection = this.benchmarkDatabase.connect()) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("create table if not exists counter (id int primary key, value bigint not null)");
				statement.execute("insert into counter values (1, 0) on conflict do nothing");
			}
			try (PreparedStatement update = connection
				.prepareStatement("update counter set value = value + 1 where id = 1")) {
				long commits = 0;
				long start = System.nanoTime();
				long end = start + duration.toNanos();
				while (System.nanoTime() < end) {
					update.executeUpdate();
					commits++;
				}
				return commits / ((System.nanoTime() - start) / 1e9);
			}
		}
	}

	private Product product() throws Exception {
		String organization = UUID.randomUUID().toString();
		String product = UUID.randomUUID().toString();
		List<String> benefits = new ArrayList<>();
		for (String key : List.of("reports", "api-access", "community")) {
			benefits.add(this.rest.createBenefit(organization, key));
		}
		this.rest.mapProduct(organization, product, benefits);
		return new Product(organization, product);
	}

	private <T> List<T> inParallel(int count, Task<T> task) throws Exception {
		List<Future<T>> futures = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			int n = i;
			futures.add(this.pool.submit((Callable<T>) () -> task.run(n)));
		}
		List<T> results = new ArrayList<>();
		for (Future<T> future : futures) {
			results.add(future.get());
		}
		return results;
	}

	private static void await(Duration timeout, Condition condition) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.holds()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Not reached within " + timeout);
			}
			Thread.sleep(50);
		}
	}

	private void row(String measure, String result) {
		this.table.add(new String[] { measure, result });
		log(measure + ": " + result);
	}

	private static void log(String message) {
		System.out.println("==> " + message);
	}

	private record Product(String organization, String id) {
	}

	private record Bulk(String organization, int customers) {
	}

	@FunctionalInterface
	private interface Task<T> {

		T run(int index) throws Exception;

	}

	@FunctionalInterface
	private interface Condition {

		boolean holds() throws Exception;

	}

	/** {@code --name value} options. */
	private record Options(String[] args) {

		String text(String name, String fallback) {
			for (int i = 0; i < this.args.length - 1; i++) {
				if (this.args[i].equals(name)) {
					return this.args[i + 1];
				}
			}
			return fallback;
		}

		int number(String name, int fallback) {
			return Integer.parseInt(text(name, String.valueOf(fallback)));
		}

	}

}
