package dev.subscriptions.infrastructure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.transaction.support.TransactionOperations;

/**
 * A transaction held open, uncommitted, at a point a test chooses, so that a concurrent
 * transaction meets it there: what the database's locks decide is then tested without
 * relying on timing. The work runs on a thread of its own and the transaction ends when
 * the test lets it (or after a minute).
 */
public final class OpenTransaction {

	private static final Duration LIMIT = Duration.ofSeconds(60);

	private final JdbcOperations jdbc;

	private final int backendPid;

	private final CountDownLatch release;

	private final CompletableFuture<Void> end;

	private OpenTransaction(JdbcOperations jdbc, int backendPid, CountDownLatch release, CompletableFuture<Void> end) {
		this.jdbc = jdbc;
		this.backendPid = backendPid;
		this.release = release;
		this.end = end;
	}

	/**
	 * Runs {@code work} in a new transaction and returns once it has run, the transaction
	 * still open.
	 * @param jdbc runs statements on the connection of the caller's transaction (as a
	 * {@code JdbcTemplate} does)
	 */
	public static OpenTransaction begin(TransactionOperations transactions, JdbcOperations jdbc, Runnable work) {
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Integer> opened = new CompletableFuture<>();
		CompletableFuture<Void> end = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(status -> {
			int pid = jdbc.queryForObject("select pg_backend_pid()", Integer.class);
			work.run();
			opened.complete(pid);
			try {
				release.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}), OpenTransaction::onThreadOfItsOwn);
		end.whenComplete((result, failure) -> opened
			.completeExceptionally((failure != null) ? failure : new IllegalStateException("Ended before it ran")));
		return new OpenTransaction(jdbc, join(opened), release, end);
	}

	/** The server process of the transaction's session. */
	public int backendPid() {
		return this.backendPid;
	}

	/** Whether another session waits for a lock that this transaction holds. */
	public boolean blocksAnother() {
		return this.jdbc.queryForObject("select count(*) from pg_stat_activity where ? = any(pg_blocking_pids(pid))",
				Integer.class, this.backendPid) > 0;
	}

	/** Whether the transaction's session is gone from the server, e.g. ended by it. */
	public boolean sessionEnded() {
		return this.jdbc.queryForObject("select count(*) from pg_stat_activity where pid = ?", Integer.class,
				this.backendPid) == 0;
	}

	/**
	 * Lets the transaction commit and waits until it has.
	 * @throws RuntimeException what the commit threw
	 */
	public void commit() {
		this.release.countDown();
		join(this.end);
	}

	/**
	 * Not on a shared pool, where a transaction held open could hold up the very work
	 * that is to meet it.
	 */
	private static void onThreadOfItsOwn(Runnable transaction) {
		Thread thread = new Thread(transaction, "open-transaction");
		thread.setDaemon(true);
		thread.start();
	}

	private static <T> T join(CompletableFuture<T> future) {
		try {
			return future.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() instanceof CompletionException completion && completion.getCause() != null)
					? completion.getCause() : ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(cause);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("The transaction did not get there within " + LIMIT, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
