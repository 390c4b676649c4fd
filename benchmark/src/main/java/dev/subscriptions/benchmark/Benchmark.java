package dev.subscriptions.benchmark;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.subscriptions.localstack.auth.LocalTokens;

/**
 * Measures the deletion choreography against a running local stack ({@code ./run-local})
 * and prints a header (the databases' {@code synchronous_commit}, the labels given) and
 * two tables:
 * <ol>
 * <li>idle propagation ({@code idle}), after an unmeasured warm-up of the services and
 * settling rounds of single deletes until their JIT compilation settles: single deletes,
 * one after the other; DELETE until the customer's entitlements are revoked and until the
 * deletion receipt is complete, by the commits of the transactions (and, in a second
 * pass, as a client polling the REST API sees it), and each stage of the path between
 * ({@link IdleStages});</li>
 * <li>one raw Kafka hop ({@code hop}): a raw producer's send to a plain consumer's
 * receive, with {@code linger.ms} 0 and 5 ({@link RawHop}), beside the idle deletion's
 * one-hop figure;</li>
 * <li>bulk ({@code bulk}): customers with 3 subscriptions of a product with 3 benefits
 * each, deleted as fast as the API accepts, one {@code DELETE} per customer; time until
 * every receipt is complete;</li>
 * <li>bulk by batches ({@code batch}): the same, deleted by
 * {@code POST /customers/deletions} of {@code --delete-batch} (100) customers each;</li>
 * <li>growth ({@code --preload N}): after the bulk, N customers with 3 subscriptions and
 * 9 grants each are written straight into the three databases in another organization
 * ({@link Preload}) and the bulk runs again;</li>
 * <li>the outbox relay against a raw {@code KafkaProducer} with the same records,
 * settings and broker ({@code relay});</li>
 * <li>the outbox on its own ({@code outbox}, {@link OutboxAlone}) against raw single-row
 * UPDATE commits, from 1 and 4 threads;</li>
 * <li>the bulk rates against the raw single-row UPDATE commit rate of the same
 * PostgreSQL.</li>
 * </ol>
 * Options:
 * {@code --customers 10000 --warmup 2000 --settle-rounds 10 --settle-deletes 100 --settle-jit 5 --idle 200
 * --idle-polled 100 --relay-events 20000 --outbox-events 20000
 * --hops 200 --preload 0 --delete-batch 100 --threads 16},
 * {@code --skip idle,hop,bulk,batch,relay,outbox} to leave parts out,
 * {@code --label name=value} (repeatable) to print a setting of the stack the benchmark
 * cannot see, e.g. {@code --label concurrency=3}. Endpoints default to the local stack's
 * ports; {@code --postgres jdbc:postgresql://localhost:5432/} with a login per database
 * named like it. The API calls carry tokens of the authorization server at
 * {@code --issuer http://localhost:9000} for its client {@code local-cli}, whose secret
 * is read from {@code auth/clients.json} of the local stack's data directory
 * {@code --data .local-stack}, unless {@code --client-secret} gives it (and
 * {@code --client-id} another client).
 */
public final class Benchmark {

	private static final List<String> PLATFORM_TOPICS = List.of("customer.events", "subscription.events",
			"customer.revocations");

	private final Options options;

	private final Rest rest;

	private final Database customerDatabase;

	private final Database subscriptionDatabase;

	private final Database benefitDatabase;

	private final Database benchmarkDatabase;

	private final ExecutorService pool;

	private final Set<String> skipped;

	private final List<String[]> table = new ArrayList<>();

	private final List<String[]> stageTable = new ArrayList<>();

	private final JitCompilation jit;

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
		Map<String, String> managementUrls = new LinkedHashMap<>();
		managementUrls.put("customer", options.text("--customer-management-url", "http://localhost:9181"));
		managementUrls.put("subscription", options.text("--subscription-management-url", "http://localhost:9182"));
		managementUrls.put("benefit", options.text("--benefit-management-url", "http://localhost:9183"));
		this.jit = new JitCompilation(managementUrls);
		this.pool = Executors.newFixedThreadPool(options.number("--threads", 16));
		this.skipped = new HashSet<>(List.of(options.text("--skip", "").split(",")));
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
		header();
		@Nullable OneHop oneHop = null;
		if (!this.skipped.contains("idle")) {
			warmUp(this.options.number("--warmup", 2_000));
			String settledAfter = settle(this.options.number("--settle-rounds", 10),
					this.options.number("--settle-deletes", 100),
					Double.parseDouble(this.options.text("--settle-jit", "5")));
			oneHop = idlePropagation(this.options.number("--idle", 200), this.options.number("--idle-polled", 100),
					settledAfter);
		}
		String bootstrapServers = this.options.text("--kafka", "localhost:9092");
		try (BenchmarkTopics topics = new BenchmarkTopics(bootstrapServers)) {
			if (!this.skipped.contains("hop")) {
				rawHop(topics, this.options.number("--hops", 200), oneHop);
			}
			int customers = this.options.number("--customers", 10_000);
			int preload = this.options.number("--preload", 0);
			int batch = this.options.number("--delete-batch", 100);
			Bulk empty = null;
			Bulk batched = null;
			if (!this.skipped.contains("bulk")) {
				empty = bulkDeletion(customers, "Bulk", 1);
			}
			if (!this.skipped.contains("batch") && batch > 1) {
				batched = bulkDeletion(customers, "Bulk by batches", batch);
			}
			Bulk grown = null;
			if (preload > 0) {
				new Preload(this.rest, this.customerDatabase, this.subscriptionDatabase, this.benefitDatabase)
					.customers(preload);
				grown = bulkDeletion(customers, "Growth: bulk with " + "%,d".formatted(preload)
						+ " customers (3 subscriptions, 9 grants each) preloaded", 1);
				if (empty != null) {
					row("Growth: bulk rate with the preload against the bulk before it (target ≥ 0.8)",
							"%.0f against %.0f customers/s: ratio %.2f".formatted(grown.rate(), empty.rate(),
									grown.rate() / empty.rate()));
				}
			}
			if (!this.skipped.contains("relay")) {
				relayAgainstRawProducer(this.options.number("--relay-events", 20_000));
			}
			if (!this.skipped.contains("outbox")) {
				outboxAlone(topics, this.options.number("--outbox-events", 20_000));
			}
			if (empty != null || batched != null || grown != null) {
				double commitRate = rawUpdateCommitRate(Duration.ofSeconds(5));
				for (Bulk bulk : Arrays.asList(empty, batched, grown)) {
					if (bulk != null) {
						revocationAgainstRawCommits(bulk, commitRate);
					}
				}
			}
		}
		System.out.println();
		System.out.println("| Measure | Result |");
		System.out.println("|---|---|");
		this.table.forEach(row -> System.out.println("| " + row[0] + " | " + row[1] + " |"));
		if (!this.stageTable.isEmpty()) {
			System.out.println();
			System.out.println("| Idle deletion, stage | p50 | p95 | p99 | n |");
			System.out.println("|---|---|---|---|---|");
			this.stageTable.forEach(row -> System.out.println("| " + String.join(" | ", row) + " |"));
		}
	}

	private void header() throws Exception {
		System.out.printf("Benchmark on %d cores, %d MiB max heap of this JVM; services on the same machine%n",
				Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
		List<String> labels = this.options.all("--label");
		if (!labels.isEmpty()) {
			System.out.println("Labels: " + String.join(", ", labels));
		}
		StringBuilder settings = new StringBuilder("PostgreSQL synchronous_commit:");
		for (Database database : List.of(this.customerDatabase, this.subscriptionDatabase, this.benefitDatabase,
				this.benchmarkDatabase)) {
			settings.append(' ').append(database.login()).append('=').append(database.setting("synchronous_commit"));
		}
		settings.append("; track_commit_timestamp=")
			.append(this.customerDatabase.setting("track_commit_timestamp"))
			.append("; ")
			.append(this.customerDatabase.rows("select version()").get(0).text(0));
		System.out.println(settings);
	}

	/**
	 * Creates {@code count} customers with a subscription to 3 benefits and deletes them
	 * all, unmeasured, so that the idle deletions after it run on services whose hot
	 * paths the JIT has compiled (a service just started runs them interpreted or in its
	 * first tier for the first few thousand calls), as a service in production does.
	 */
	private void warmUp(int count) throws Exception {
		if (count == 0) {
			return;
		}
		Product product = product();
		log("warm-up: creating " + count + " customers with a subscription to 3 benefits and deleting them");
		long start = System.nanoTime();
		List<String> customers = inParallel(count, i -> {
			String customer = this.rest.createCustomer(product.organization(), "warm-up-" + i + "@example.com");
			this.rest.subscribe(product.organization(), customer, product.id());
			return customer;
		});
		String[] ids = customers.toArray(String[]::new);
		await(Duration.ofMinutes(10), Duration.ofMillis(500), () -> this.benefitDatabase.count("""
				select count(*) from benefit_grant where customer_id = any(?::uuid[]) and revoked_at is null""",
				(Object) ids) >= 3L * count);
		inParallel(count, i -> {
			this.rest.deleteCustomer(product.organization(), customers.get(i));
			return null;
		});
		await(Duration.ofMinutes(10), Duration.ofMillis(500), () -> this.customerDatabase
			.count("""
					select count(*) from customer_deletion where customer_id = any(?::uuid[]) and completed_at is not null""",
					(Object) ids) == count);
		log("warm-up: done in %.0f s".formatted((System.nanoTime() - start) / 1e9));
	}

	/**
	 * Settles the services after the warm-up: rounds of {@code deletes} single deletes,
	 * one at a time as in the idle pass, until the services' JIT compilation during a
	 * round comes to at most {@code jitPerDeletion} milliseconds per deletion (summed
	 * over the three services), or {@code rounds} have run. A bulk warm-up compiles the
	 * bulk's paths; the single deletes after it still had the services' compiler threads
	 * busy for 270-290 ms per deletion (together, on two cores), where the deletion
	 * itself takes 30-100 ms. Returns how the settling ended, for the idle rows.
	 */
	private String settle(int rounds, int deletes, double jitPerDeletion) throws Exception {
		if (rounds == 0) {
			return "no settling rounds";
		}
		Product product = product();
		List<String> summaries = new ArrayList<>();
		String settledAfter = "%d settling rounds of %d single deletes, still above %.1f ms of JIT per deletion"
			.formatted(rounds, deletes, jitPerDeletion);
		try (TopicWatch watch = new TopicWatch(this.options.text("--kafka", "localhost:9092"), PLATFORM_TOPICS)) {
			for (int round = 1; round <= rounds; round++) {
				List<String> customers = subscribedCustomers(product, deletes, "settle-" + round + "-");
				IdleStages stages = new IdleStages();
				JitCompilation.Reading before = this.jit.read();
				deleteOneAtATime(product, customers, stages);
				Map<String, Double> compilation = this.jit.read().perDeletion(before, deletes);
				Thread.sleep(500);
				stages.collect(this.customerDatabase, this.subscriptionDatabase, this.benefitDatabase, watch);
				Stats entitlements = new Stats(stages.of(IdleStages.Stage.REQUEST_TO_ENTITLEMENTS));
				Stats receipts = new Stats(stages.of(IdleStages.Stage.REQUEST_TO_RECEIPT));
				String summary = "%d: JIT %s; p50 / p99 %.0f / %.0f and %.0f / %.0f ms".formatted(round,
						JitCompilation.Reading.describe(compilation), entitlements.percentile(50),
						entitlements.percentile(99), receipts.percentile(50), receipts.percentile(99));
				log("settling, round " + summary);
				summaries.add(summary);
				double total = JitCompilation.Reading.total(compilation);
				if (total <= jitPerDeletion) {
					settledAfter = "%d settling rounds of %d single deletes, the last with %.1f ms of JIT per deletion"
						.formatted(round, deletes, total);
					break;
				}
			}
		}
		row("Idle settling: rounds of " + deletes + " single deletes after the warm-up, each with the services' JIT "
				+ "compilation per deletion, DELETE → entitlements revoked and → receipt complete (by the commits)",
				String.join("; ", summaries));
		return settledAfter;
	}

	/**
	 * {@code count} new customers, each with a subscription to the product's 3 benefits,
	 * once benefit-service grants them.
	 */
	private List<String> subscribedCustomers(Product product, int count, String prefix) throws Exception {
		List<String> customers = inParallel(count, i -> {
			String customer = this.rest.createCustomer(product.organization(), prefix + i + "@example.com");
			this.rest.subscribe(product.organization(), customer, product.id());
			return customer;
		});
		for (String customer : customers) {
			await(Duration.ofSeconds(60), Duration.ofMillis(50),
					() -> this.rest.entitlementCount(product.organization(), customer) == 3);
		}
		return customers;
	}

	/**
	 * Deletes the customers one at a time, each once the receipt of the one before is
	 * complete, waiting for it by a query of customer-service's database every 10 ms;
	 * notes each request's times in {@code stages}.
	 */
	private void deleteOneAtATime(Product product, List<String> customers, IdleStages stages) throws Exception {
		for (String customer : customers) {
			long requestStarted = Clocks.nowMicros();
			this.rest.deleteCustomer(product.organization(), customer);
			long responded = Clocks.nowMicros();
			await(Duration.ofSeconds(60), Duration.ofMillis(10), () -> this.customerDatabase.count(
					"select count(*) from customer_deletion where customer_id = ?::uuid and completed_at is not null",
					customer) == 1);
			stages.client(customer, requestStarted, responded);
		}
	}

	/**
	 * The idle deletions and their stages; returns the one hop's p50s. The quiet pass
	 * ({@code --idle}) times each deletion by the commits of its transactions and waits
	 * for the receipt by a query of customer-service's database every 10 ms, so that
	 * nothing but the deletion runs on the machine; the polled pass
	 * ({@code --idle-polled}) times it as a client would see it, by GETs every 2 ms of
	 * the entitlements and of the receipt, which themselves load the machine.
	 */
	private OneHop idlePropagation(int quiet, int polled, String settledAfter) throws Exception {
		Product product = product();
		log("idle: preparing " + (quiet + polled) + " customers with a subscription to 3 benefits");
		List<String> customers = subscribedCustomers(product, quiet + polled, "idle-");
		if (!this.customerDatabase.setting("track_commit_timestamp").equals("on")) {
			log("idle: track_commit_timestamp is off, so the stages that need commit times are left empty");
		}
		IdleStages stages = new IdleStages();
		IdleStages polls = new IdleStages();
		Map<String, Double> quietCompilation;
		try (TopicWatch watch = new TopicWatch(this.options.text("--kafka", "localhost:9092"), PLATFORM_TOPICS)) {
			log("idle: deleting " + quiet + " one at a time, timed by their commits");
			JitCompilation.Reading before = this.jit.read();
			deleteOneAtATime(product, customers.subList(0, quiet), stages);
			quietCompilation = this.jit.read().perDeletion(before, quiet);
			log("idle: deleting " + polled + " one at a time, polled by a client every 2 ms");
			for (String customer : customers.subList(quiet, quiet + polled)) {
				long requestStarted = Clocks.nowMicros();
				long start = System.nanoTime();
				this.rest.deleteCustomer(product.organization(), customer);
				long responded = Clocks.nowMicros();
				long entitlementsGone = 0;
				long receiptComplete = 0;
				while (entitlementsGone == 0 || receiptComplete == 0) {
					if (entitlementsGone == 0 && this.rest.entitlementCount(product.organization(), customer) == 0) {
						entitlementsGone = Clocks.nowMicros();
					}
					if (receiptComplete == 0 && this.rest.deletionComplete(product.organization(), customer)) {
						receiptComplete = Clocks.nowMicros();
					}
					if (System.nanoTime() - start > Duration.ofSeconds(60).toNanos()) {
						throw new IllegalStateException("Deletion of " + customer + " did not propagate within 60 s");
					}
					Thread.sleep(2);
				}
				polls.client(customer, requestStarted, responded);
				polls.polled(requestStarted, entitlementsGone, receiptComplete);
			}
			// the last reports' records reach the watch at about the time their handlers
			// commit; give it a moment
			Thread.sleep(500);
			stages.collect(this.customerDatabase, this.subscriptionDatabase, this.benefitDatabase, watch);
		}
		row("Idle propagation, " + quiet + " single deletes: DELETE request → entitlements revoked "
				+ "(benefit-service commit; p50 / p95 / p99; target p99 < 50 ms)",
				percentiles(new Stats(stages.of(IdleStages.Stage.REQUEST_TO_ENTITLEMENTS))));
		row("Idle propagation: DELETE request → deletion receipt complete (customer-service commit; p50 / p95 / p99; "
				+ "target p99 < 100 ms)", percentiles(new Stats(stages.of(IdleStages.Stage.REQUEST_TO_RECEIPT))));
		row("Idle propagation: the services' JIT compilation during the " + quiet + " single deletes "
				+ "(jvm.compilation.time; after the warm-up and " + settledAfter + ")",
				JitCompilation.Reading.describe(quietCompilation));
		if (polled > 0) {
			row("Idle propagation as a client polling every 2 ms sees it, " + polled
					+ " single deletes: DELETE request → GET entitlements empty; → GET receipt complete (p50 / p95 / p99)",
					percentiles(new Stats(polls.of(IdleStages.Stage.CLIENT_ENTITLEMENTS))) + "; "
							+ percentiles(new Stats(polls.of(IdleStages.Stage.CLIENT_RECEIPT))));
		}
		stages.stages().forEach((stage, values) -> {
			if (values.isEmpty()) {
				return;
			}
			Stats stats = new Stats(values);
			this.stageTable.add(new String[] { stage, "%.1f".formatted(stats.percentile(50)),
					"%.1f".formatted(stats.percentile(95)), "%.1f".formatted(stats.percentile(99)),
					String.valueOf(values.size()) });
		});
		return new OneHop(new Stats(stages.of(IdleStages.Stage.ONE_HOP_TO_START)).median(),
				new Stats(stages.of(IdleStages.Stage.ONE_HOP)).median());
	}

	private void rawHop(BenchmarkTopics topics, int count, @Nullable OneHop oneHop) throws Exception {
		log("hop: a raw producer's send → a plain consumer's receive, " + count + " records one at a time, "
				+ "linger.ms 0 and 5");
		double linger0 = new Stats(RawHop.measure(topics, 0, count)).median();
		double linger5 = new Stats(RawHop.measure(topics, 5, count)).median();
		String raw = "raw producer send → receive p50: %.1f ms (linger.ms 0), %.1f ms (linger.ms 5)".formatted(linger0,
				linger5);
		if (oneHop == null) {
			row("One Kafka hop, raw, primed topic", raw);
		}
		else {
			row("Idle one hop: DELETE commit → benefit-service handler commit p50, against a raw hop (target: "
					+ "within 3 ms)",
					("%.1f ms; %s; differences %+.1f and %+.1f ms (to the handler's start, its inbox row: %.1f ms, "
							+ "%+.1f and %+.1f ms)")
						.formatted(oneHop.toCommit(), raw, oneHop.toCommit() - linger0, oneHop.toCommit() - linger5,
								oneHop.toStart(), oneHop.toStart() - linger0, oneHop.toStart() - linger5));
		}
	}

	/**
	 * Customers with 3 subscriptions each, deleted as fast as the API accepts: one
	 * {@code DELETE /customers/{id}} per customer ({@code batch} 1), or a
	 * {@code POST /customers/deletions} per {@code batch} customers; the time until every
	 * receipt is complete.
	 */
	private Bulk bulkDeletion(int count, String name, int batch) throws Exception {
		Product product = product();
		log(name + ": creating " + count + " customers with 3 subscriptions each");
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
		String[] ids = customers.toArray(String[]::new);
		// by customer (an index), not by organization (none): no wait scans a table that
		// grows with the data
		await(Duration.ofMinutes(10), Duration.ofMillis(500), () -> this.benefitDatabase.count("""
				select count(*) from benefit_grant where customer_id = any(?::uuid[]) and revoked_at is null""",
				(Object) ids) >= grants);
		log("%s: set up in %.0f s (%d customers, %d subscriptions, %d grants)".formatted(name,
				(System.nanoTime() - setUp) / 1e9, count, 3L * count, grants));

		// the partial index customer_deletion_incomplete_idx holds the incomplete
		// deletions only; those of earlier runs (none, unless one was cut short) are
		// counted first
		String incomplete = "select count(*) from customer_deletion where completed_at is null";
		long incompleteBefore = this.customerDatabase.count(incomplete);
		log(name + ": deleting them all");
		long startMicros = Clocks.nowMicros();
		long start = System.nanoTime();
		if (batch == 1) {
			inParallel(count, i -> {
				this.rest.deleteCustomer(product.organization(), customers.get(i));
				return null;
			});
		}
		else {
			inParallel((count + batch - 1) / batch, i -> {
				this.rest.deleteCustomers(product.organization(),
						customers.subList(i * batch, Math.min(count, (i + 1) * batch)));
				return null;
			});
		}
		double accepted = (System.nanoTime() - start) / 1e9;
		await(Duration.ofMinutes(15), Duration.ofMillis(50),
				() -> this.customerDatabase.count(incomplete) <= incompleteBefore);
		double polled = (System.nanoTime() - start) / 1e9;
		double lastCompletedMicros = this.customerDatabase.numbers("""
				select extract(epoch from max(completed_at)) * 1e6 from customer_deletion
				where customer_id = any(?::uuid[])""", (Object) ids)[0];
		double complete = Double.isNaN(lastCompletedMicros) ? polled : (lastCompletedMicros - startMicros) / 1e6;
		log(name + ": checking every receipt through the API");
		AtomicInteger notComplete = new AtomicInteger();
		inParallel(count, i -> {
			if (!this.rest.deletionComplete(product.organization(), customers.get(i))) {
				notComplete.incrementAndGet();
			}
			return null;
		});
		if (notComplete.get() > 0) {
			throw new IllegalStateException(notComplete.get() + " receipts are not complete");
		}
		row(name + ": " + "%,d".formatted(count) + " customers × 3 subscriptions × 3 benefits, "
				+ ((batch == 1) ? "one DELETE per customer"
						: "POST /customers/deletions of " + batch + " customers each")
				+ ", as fast as the API accepts",
				"API accepted all in %.1f s (%.0f/s); every receipt complete after %.1f s: %.0f customers/s"
					.formatted(accepted, count / accepted, complete, count / complete));
		return new Bulk(name, product.organization(), count, count / complete, startMicros);
	}

	private void relayAgainstRawProducer(int events) throws Exception {
		log("relay: " + events + " events over 100 keys, 3 rounds each, alternating, on primed topics");
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
		row("Outbox relay vs raw idempotent KafkaProducer, " + "%,d".formatted(events)
				+ " records, same broker, primed topics (median of 3; target ≥ 0.7)",
				"relay %,.0f events/s, raw %,.0f events/s: ratio %.2f".formatted(relayRate, rawRate,
						relayRate / rawRate));
	}

	private void outboxAlone(BenchmarkTopics topics, int events) throws Exception {
		int[] threadCounts = { 1, 4 };
		try (OutboxAlone outbox = new OutboxAlone(this.benchmarkDatabase, topics,
				this.options.text("--registry", "http://localhost:8080/apis/ccompat/v7"), 4)) {
			log("outbox alone: " + events + " transactions of one row and one " + outbox.eventSize()
					+ "-byte event, synchronous_commit = on; first with the relay stopped");
			outbox.transactionsWithoutRelay(Math.min(events, 500), 1);
			Map<Integer, Double> withoutRelay = new HashMap<>();
			for (int threads : threadCounts) {
				withoutRelay.put(threads, outbox.transactionsWithoutRelay(events, threads));
			}
			outbox.start();
			outbox.awaitEmpty(Duration.ofMinutes(5));
			outbox.transactions(Math.min(events, 500), 1);
			List<String> results = new ArrayList<>();
			for (int threads : threadCounts) {
				double raw = outbox.rawCommits(threads, Duration.ofSeconds(5));
				double transactions = outbox.transactions(events, threads);
				results.add(("%d thread%s: %,.0f transactions/s, raw %,.0f commits/s: ratio %.2f (the transactions "
						+ "alone, relay stopped: %,.0f/s, %.2f)")
					.formatted(threads, (threads == 1) ? "" : "s", transactions, raw, transactions / raw,
							withoutRelay.get(threads), withoutRelay.get(threads) / raw));
			}
			row("Outbox alone: " + "%,d".formatted(events) + " transactions (insert a row, append a "
					+ outbox.eventSize() + "-byte event) until a consumer has them all, against raw single-row UPDATE "
					+ "autocommits, synchronous_commit = on (target ≥ 0.5)", String.join("; ", results));
		}
	}

	private void revocationAgainstRawCommits(Bulk bulk, double commitRate) throws Exception {
		double[] subscriptions = this.subscriptionDatabase.numbers("""
				select count(*), extract(epoch from max(ended_at)) * 1e6 from subscription
				where organization_id = ?::uuid and status = 'REVOKED'""", bulk.organization());
		double[] grants = this.benefitDatabase.numbers("""
				select count(*), extract(epoch from max(revoked_at)) * 1e6 from benefit_grant
				where organization_id = ?::uuid and revoked_at is not null""", bulk.organization());
		// from the first DELETE to the last revocation, as the customers' rate: set-wise
		// revocations share one timestamp per batch, so first to last would leave the
		// first batch and the way there out
		double subscriptionRate = subscriptions[0] / ((subscriptions[1] - bulk.startMicros()) / 1e6);
		double grantRate = grants[0] / ((grants[1] - bulk.startMicros()) / 1e6);
		row(bulk.name() + " vs raw single-row UPDATE commits (one connection, same PostgreSQL, its "
				+ "synchronous_commit; target ≥ 0.06 for customers)",
				("customers %,.0f/s, subscriptions revoked %,.0f/s, grants revoked %,.0f/s; raw %,.0f commits/s: "
						+ "ratios %.3f, %.3f and %.3f")
					.formatted(bulk.rate(), subscriptionRate, grantRate, commitRate, bulk.rate() / commitRate,
							subscriptionRate / commitRate, grantRate / commitRate));
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

	static void await(Duration timeout, Duration interval, Condition condition) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.holds()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Not reached within " + timeout);
			}
			Thread.sleep(interval.toMillis());
		}
	}

	private static String percentiles(Stats stats) {
		return "%.0f / %.0f / %.0f ms".formatted(stats.percentile(50), stats.percentile(95), stats.percentile(99));
	}

	private void row(String measure, String result) {
		this.table.add(new String[] { measure, result });
		log(measure + ": " + result);
	}

	static void log(String message) {
		System.out.println("==> " + message);
	}

	record Product(String organization, String id) {
	}

	/**
	 * The idle deletion's one hop, p50 in milliseconds: DELETE commit → benefit-service's
	 * handler start (its inbox row) and → its commit.
	 */
	private record OneHop(double toStart, double toCommit) {
	}

	private record Bulk(String name, String organization, int customers, double rate, long startMicros) {
	}

	@FunctionalInterface
	private interface Task<T> {

		T run(int index) throws Exception;

	}

	@FunctionalInterface
	interface Condition {

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

		/** Every value of an option that may be given more than once. */
		List<String> all(String name) {
			List<String> values = new ArrayList<>();
			for (int i = 0; i < this.args.length - 1; i++) {
				if (this.args[i].equals(name)) {
					values.add(this.args[i + 1]);
				}
			}
			return values;
		}

		int number(String name, int fallback) {
			return Integer.parseInt(text(name, String.valueOf(fallback)));
		}

	}

}
