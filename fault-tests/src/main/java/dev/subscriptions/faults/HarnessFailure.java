package dev.subscriptions.faults;

/**
 * The fault-injection harness itself failed (a process did not start or come back), as
 * opposed to the system under test breaking an invariant: the run says nothing about the
 * invariants then.
 */
final class HarnessFailure extends RuntimeException {

	HarnessFailure(String message) {
		super(message);
	}

	HarnessFailure(String message, Throwable cause) {
		super(message, cause);
	}

}
