package dev.subscriptions.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The fault-injection run: starts PostgreSQL, a Kafka broker, the registry and the three
 * services, each a process of its own; makes the workload's customers; then, for each
 * fault of a plan drawn from the seed, deletes a batch of customers while the churn runs,
 * injects the fault in the middle of the batch, and measures how long the system takes to
 * catch up; finally checks the invariants and prints one table (also written to
 * {@code fault-tests/target/fault-report.md}).
 * <p>
 * Options: {@code --customers 10000 --seed 42}; {@code --stop-one} stops one service
 * (chosen by the seed) instead of each; {@code --threads 8} concurrent API clients. Exit
 * code 0 when every invariant held, 1 when one did not, 2 when the harness itself failed
 * (a process did not come back).
 */
public final class FaultRun {

	static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(5);

	private static final Duration BATCH_SPAN = Duration.ofSeconds(6);

	private final Settings settings;

	private final FaultReport report;

	private final List<long[]> windows = new ArrayList<>();

	private Stack stack;

	private Workload workload;

	private Database customerDatabase;

	private Database subscriptionDatabase;

	private Database benefitDatabase;

	private Topics topics;

	/** What a run is asked to do. */
	record Settings(int customers, long seed, boolean stopEveryService, int threads, Path root, Path output) {

		static Settings parse(String[] args) {
			Path root = Files.isDirectory(Path.of("fault-tests")) ? Path.of("") : Path.of("..");
			return new Settings(Integer.parseInt(option(args, "--customers", "10000")),
					Long.parseLong(option(args, "--seed", "42")), !List.of(args).contains("--stop-one"),
					Integer.parseInt(option(args, "--threads", "8")), root.toAbsolutePath().normalize(),
					root.resolve("fault-tests/target").toAbsolutePath().normalize());
		}

		private static String option(String[] args, String name, String fallback) {
			for (int i = 0; i < args.length - 1; i++) {
				if (args[i].equals(name)) {
					return args[i + 1];
				}
			}
			return fallback;
		}

	}

	private FaultRun(Settings settings) {
		this.settings = settings;
		this.report = new FaultReport(settings.customers(), settings.seed());
	}

	public static void main(String[] args) throws Exception {
		FaultReport report = run(Settings.parse(args));
		System.exit((report.harnessFailure != null) ? 2 : report.passed() ? 0 : 1);
	}

	/**
	 * Runs the whole thing and returns its report (also printed and written to
	 * {@code fault-report.md}).
	 */
	static FaultReport run(Settings settings) throws Exception {
		return new FaultRun(settings).execute();
	}

	private FaultReport execute() throws Exception {
		Path work = this.settings.output().resolve("fault-run");
		deleteRecursively(work);
		Files.createDirectories(work);
		Progress.to(work.resolve("run.log"));
		Progress.log("Fault-injection run: " + this.settings.customers() + " customers, seed " + this.settings.seed());
		List<Fault> plan = Fault.plan(new Random(this.settings.seed()), this.settings.stopEveryService());
		plan.forEach(fault -> Progress.log("planned: " + fault.describe()));
		this.stack = new Stack(this.settings.root(), work);
		this.report.logs = this.stack.logs();
		try {
			this.stack.start();
			this.customerDatabase = new Database(this.stack.jdbcUrl("customer"), "customer");
			this.subscriptionDatabase = new Database(this.stack.jdbcUrl("subscription"), "subscription");
			this.benefitDatabase = new Database(this.stack.jdbcUrl("benefit"), "benefit");
			this.topics = new Topics(this.stack.bootstrapServers(), this.stack.registryUrl());
			Rest rest = new Rest(this.stack, UUID.randomUUID());
			this.workload = new Workload(rest, this.settings.threads());
			try {
				if (setUp()) {
					inject(plan, new Random(this.settings.seed() + 1));
					Progress.log("Checking the invariants");
					try {
						this.report.findings = new Checker(this.workload, rest, this.customerDatabase,
								this.subscriptionDatabase, this.benefitDatabase, this.topics, this.windows)
							.check();
					}
					catch (Exception ex) {
						throw new HarnessFailure("The checker could not read the system: " + ex, ex);
					}
				}
			}
			finally {
				this.workload.close();
			}
		}
		catch (HarnessFailure ex) {
			this.report.harnessFailure = ex.getMessage();
		}
		finally {
			if (this.topics != null) {
				this.topics.close();
			}
			this.stack.close();
		}
		String table = this.report.markdown();
		System.out.println();
		System.out.println(table);
		Files.writeString(this.settings.output().resolve("fault-report.md"), table);
		return this.report;
	}

	private boolean setUp() throws Exception {
		int customers = this.settings.customers();
		Progress.log("Set-up: " + customers + " customers with 3 subscriptions each (one past due, one paused)");
		try {
			this.workload.setUp(customers);
		}
		catch (ExecutionException ex) {
			this.workload.stuck.add("set-up: " + ex.getCause().getMessage());
			this.report.notRecovered.add("set-up did not complete: " + ex.getCause().getMessage());
			return false;
		}
		long grants = 9L * customers;
		Duration settled = caughtUp(Duration.ofMinutes(10), () -> this.benefitDatabase.count("""
				select count(*) from benefit_grant where organization_id = ?::uuid and revoked_at is null""",
				UUID.fromString(this.workload.organization)) == grants);
		if (settled == null) {
			this.report.notRecovered.add("set-up: the " + grants + " grants were not all made; " + snapshot());
			return false;
		}
		Progress.log("Set-up settled: " + grants + " grants");
		return true;
	}

	private void inject(List<Fault> plan, Random churnRandom) throws Exception {
		List<Workload.Customer> initial = this.workload.initial;
		List<Workload.Customer> doomed = initial.subList(0, initial.size() / 2);
		List<Workload.Customer> live = initial.subList(initial.size() / 2, initial.size());
		AtomicInteger batchIndex = new AtomicInteger();
		for (int i = 0; i < plan.size(); i++) {
			Fault fault = plan.get(i);
			List<Workload.Customer> batch = doomed.subList(i * doomed.size() / plan.size(),
					(i + 1) * doomed.size() / plan.size());
			batchIndex.set(i);
			long windowStart = System.currentTimeMillis();
			int churnBefore = this.workload.churnSteps.get();
			AtomicBoolean churning = new AtomicBoolean(true);
			Future<?> churn = this.workload.churn(churnRandom, churning, batchIndex, live);
			AtomicInteger accepted = new AtomicInteger();
			Future<?> deletions = this.workload.delete(batch, i, BATCH_SPAN, accepted);
			int trigger = Math.max(1, (int) Math.ceil(fault.at() * batch.size()));
			while (accepted.get() < trigger && !deletions.isDone()) {
				Rest.pause(Duration.ofMillis(10));
			}
			Progress.log("Fault " + (i + 1) + "/" + plan.size() + ": " + fault.describe() + " (" + accepted.get()
					+ " of " + batch.size() + " deletions accepted)");
			fault.inject(this.stack);
			long faultEnd = System.nanoTime();
			deletions.get();
			churning.set(false);
			long from = Math.max(faultEnd, System.nanoTime());
			Duration recovery = caughtUp(RECOVERY_TIMEOUT, () -> true);
			if (recovery != null) {
				recovery = Duration.ofNanos(System.nanoTime() - from);
				Progress.log("Recovered %.1f s after the fault ended".formatted(recovery.toMillis() / 1000.0));
			}
			else {
				this.report.notRecovered.add(fault.describe() + ": " + snapshot());
				Progress.log("Not recovered: " + snapshot());
			}
			churn.get();
			caughtUp(RECOVERY_TIMEOUT, () -> true);
			this.stack.checkRunning();
			this.windows.add(new long[] { windowStart, System.currentTimeMillis() });
			this.report.rows
				.add(new FaultReport.Row(fault, batch.size(), this.workload.churnSteps.get() - churnBefore, recovery));
		}
	}

	/**
	 * Waits until the system has caught up: every accepted deletion has its two reports,
	 * every outbox is empty and every service group's lag is 0 (and {@code also} holds);
	 * returns how long that took, or null after the timeout.
	 */
	private Duration caughtUp(Duration timeout, Condition also) {
		long start = System.nanoTime();
		while (System.nanoTime() - start < timeout.toNanos()) {
			try {
				if (receiptsPending() == 0 && outboxRows() == 0 && this.topics.lag() == 0 && also.holds()) {
					return Duration.ofNanos(System.nanoTime() - start);
				}
			}
			catch (Exception ex) {
				// a part is still down
			}
			Rest.pause(Duration.ofMillis(250));
		}
		return null;
	}

	private long receiptsPending() throws Exception {
		UUID organization = UUID.fromString(this.workload.organization);
		long deleted = this.customerDatabase
			.count("select count(*) from customer where organization_id = ? and deleted_at is not null", organization);
		long reports = this.customerDatabase
			.count("""
					select count(*) from deletion_report r join customer c on c.id = r.customer_id
					where c.organization_id = ? and c.deleted_at is not null and r.service in ('subscription', 'benefit')""",
					organization);
		return 2 * deleted - reports;
	}

	private long outboxRows() throws Exception {
		return this.customerDatabase.outboxRows() + this.subscriptionDatabase.outboxRows()
				+ this.benefitDatabase.outboxRows();
	}

	private String snapshot() {
		List<String> parts = new ArrayList<>();
		for (Database database : List.of(this.customerDatabase, this.subscriptionDatabase, this.benefitDatabase)) {
			parts.add(describe(() -> "outbox " + database.count("select count(*) from outbox") + ", parked "
					+ database.parkedRows()));
		}
		parts.add(describe(() -> "receipts pending " + receiptsPending()));
		parts.add(describe(() -> "consumer lag " + this.topics.lag()));
		return "customer/subscription/benefit " + String.join("; ", parts);
	}

	private static String describe(Probe probe) {
		try {
			return probe.read();
		}
		catch (Exception ex) {
			return "unreadable (" + ex.getMessage() + ")";
		}
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	@FunctionalInterface
	private interface Condition {

		boolean holds() throws Exception;

	}

	@FunctionalInterface
	private interface Probe {

		String read() throws Exception;

	}

}
