package dev.subscriptions.faults;

/**
 * A call of the workload that the system did not answer as it should, however long it was
 * tried: the system failed (it is reported as a violation), not the harness.
 */
final class WorkloadStuck extends RuntimeException {

	WorkloadStuck(String message) {
		super(message);
	}

}
