package dev.subscriptions.eventing.outbox;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the relay right after a transaction that appended to the outbox commits, so that
 * events leave without waiting for the next poll. Commits in other processes are found by
 * the relay's poll.
 */
public class OutboxSignal {

	private final BlockingQueue<Boolean> pending = new ArrayBlockingQueue<>(1);

	/** Tells the relay that committed events are waiting. */
	public void eventsCommitted() {
		this.pending.offer(Boolean.TRUE);
	}

	/** Waits until {@link #eventsCommitted()} or the timeout, whichever comes first. */
	void await(Duration timeout) throws InterruptedException {
		this.pending.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Whether {@link #eventsCommitted()} was called since the relay last waited or asked;
	 * does not wait.
	 */
	boolean takePending() {
		return this.pending.poll() != null;
	}

}
