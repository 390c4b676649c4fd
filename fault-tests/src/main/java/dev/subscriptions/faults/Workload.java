package dev.subscriptions.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recorded workload: an organization with a product mapped to three benefits;
 * customers with three subscriptions each (one active, one past due, one paused), so nine
 * grants each; then, batch by batch, deletions of the first half of them while a churn
 * creates more such customers and resumes and pauses again the paused subscriptions of
 * live ones. Everything it did is recorded for the checker.
 */
final class Workload {

	static final List<String> BENEFIT_KEYS = List.of("reports", "api-access", "community");

	private final Rest rest;

	private final ExecutorService pool;

	/** The organization of the workload's token, which owns everything it makes. */
	final String organization;

	final String product = UUID.randomUUID().toString();

	/** Customers made at set-up. */
	final List<Customer> initial = new ArrayList<>();

	/** Customers the churn made, live till the end. */
	final List<Customer> churned = new CopyOnWriteArrayList<>();

	/** Deleted customers and the batch (fault) during which each was deleted. */
	final Map<String, Integer> deletedIn = new ConcurrentHashMap<>();

	/** Calls the system never answered as it should. */
	final List<String> stuck = new CopyOnWriteArrayList<>();

	final AtomicInteger churnSteps = new AtomicInteger();

	/**
	 * A customer and its three subscriptions: active, past due, paused; the batch it was
	 * made in (-1: set-up).
	 */
	record Customer(String id, String active, String pastDue, String paused, int batch) {

		List<String> subscriptions() {
			return List.of(this.active, this.pastDue, this.paused);
		}

	}

	Workload(Rest rest, int threads) {
		this.rest = rest;
		this.organization = rest.organization().toString();
		this.pool = Executors.newFixedThreadPool(threads);
	}

	void setUp(int customers) throws Exception {
		List<String> benefits = new ArrayList<>();
		for (String key : BENEFIT_KEYS) {
			benefits.add(this.rest.createBenefit(key));
		}
		this.rest.mapProduct(this.product, benefits);
		this.initial.addAll(inParallel(customers, i -> customer("c" + i, -1)));
	}

	/**
	 * Deletes the customers, at least {@code span} from the first to the last, counting
	 * the accepted ones.
	 */
	Future<?> delete(List<Customer> customers, int batch, Duration span, AtomicInteger accepted) {
		return Executors.newSingleThreadExecutor(daemon("deletions")).submit(() -> {
			long start = System.nanoTime();
			long gap = span.toNanos() / Math.max(1, customers.size());
			List<Future<?>> deletions = new ArrayList<>();
			for (int i = 0; i < customers.size(); i++) {
				long due = start + i * gap;
				long wait = due - System.nanoTime();
				if (wait > 0) {
					Rest.pause(Duration.ofNanos(wait));
				}
				Customer customer = customers.get(i);
				deletions.add(this.pool.submit(() -> {
					try {
						this.rest.deleteCustomer(customer.id());
						this.deletedIn.put(customer.id(), batch);
						accepted.incrementAndGet();
					}
					catch (WorkloadStuck ex) {
						this.stuck.add("delete " + customer.id() + ": " + ex.getMessage());
					}
				}));
			}
			for (Future<?> deletion : deletions) {
				deletion.get();
			}
			return null;
		});
	}

	/**
	 * Runs the churn until {@code running} is false: new customers like the initial ones,
	 * and live initial customers' paused subscriptions resumed and paused again.
	 */
	Future<?> churn(Random random, AtomicBoolean running, AtomicInteger batch, List<Customer> live) {
		return Executors.newSingleThreadExecutor(daemon("churn")).submit(() -> {
			while (running.get()) {
				int step = this.churnSteps.incrementAndGet();
				try {
					if (step % 2 == 1) {
						this.churned.add(customer("churn" + step, batch.get()));
					}
					else {
						Customer customer = live.get(random.nextInt(live.size()));
						this.rest.resume(customer.paused());
						this.rest.pause(customer.paused());
					}
				}
				catch (WorkloadStuck ex) {
					this.stuck.add("churn step " + step + ": " + ex.getMessage());
				}
				Rest.pause(Duration.ofMillis(100));
			}
		});
	}

	private Customer customer(String name, int batch) {
		String customer = this.rest.createCustomer(name + "@" + this.organization + ".example");
		String active = this.rest.subscribe(customer, this.product);
		String pastDue = this.rest.subscribe(customer, this.product);
		String paused = this.rest.subscribe(customer, this.product);
		this.rest.paymentFailed(pastDue);
		this.rest.pause(paused);
		return new Customer(customer, active, pastDue, paused, batch);
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

	void close() {
		this.pool.shutdownNow();
	}

	private static java.util.concurrent.ThreadFactory daemon(String name) {
		return runnable -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}

	@FunctionalInterface
	private interface Task<T> {

		T run(int index) throws Exception;

	}

}
