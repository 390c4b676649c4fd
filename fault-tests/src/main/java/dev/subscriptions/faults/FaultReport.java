package dev.subscriptions.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a run: one row per fault, the invariants the checker found broken, and
 * whether the harness itself failed (then nothing is said about the invariants).
 */
final class FaultReport {

	final int customers;

	final long seed;

	final List<Row> rows = new ArrayList<>();

	final List<String> notRecovered = new ArrayList<>();

	Verdicts findings;

	String harnessFailure;

	Path logs;

	FaultReport(int customers, long seed) {
		this.customers = customers;
		this.seed = seed;
	}

	/**
	 * One fault: what was done, the batch it struck, and how long the system took to
	 * catch up after it.
	 */
	record Row(Fault fault, int deletions, int churnSteps, Duration recovery) {
	}

	/** Whether the run completed and every invariant held. */
	boolean passed() {
		return this.harnessFailure == null && this.findings != null && this.findings.hold()
				&& this.notRecovered.isEmpty();
	}

	String markdown() {
		StringBuilder out = new StringBuilder();
		out.append("Fault-injection run: ")
			.append(this.customers)
			.append(" customers, seed ")
			.append(this.seed)
			.append(", ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores\n\n");
		out.append(
				"| Fault | Workload | Time to recover | Lost | Duplicated (deliveries / side effects) | Order violations |\n");
		out.append("|---|---|---|---|---|---|\n");
		for (int i = 0; i < this.rows.size(); i++) {
			Row row = this.rows.get(i);
			Verdicts.Tally tally = (this.findings != null) ? this.findings.tally(i) : null;
			out.append("| ")
				.append(row.fault().describe())
				.append(" | ")
				.append("%d deletions, %d churn steps".formatted(row.deletions(), row.churnSteps()))
				.append(" | ")
				.append((row.recovery() != null) ? "%.1f s".formatted(row.recovery().toMillis() / 1000.0)
						: "not within " + FaultRun.RECOVERY_TIMEOUT.toMinutes() + " min")
				.append(" | ")
				.append(cells(tally))
				.append(" |\n");
		}
		if (this.findings != null) {
			Verdicts.Tally outside = this.findings.tally(Verdicts.OUTSIDE);
			out.append("| none (set-up, between faults) | ")
				.append(this.customers)
				.append(" customers × 3 subscriptions × 3 benefits | – | ")
				.append(cells(outside))
				.append(" |\n");
		}
		out.append('\n');
		if (this.harnessFailure != null) {
			out.append("**HARNESS FAILURE** (not an invariant violation; the run is void): ")
				.append(this.harnessFailure)
				.append('\n');
		}
		if (!this.notRecovered.isEmpty()) {
			out.append("**Did not recover** within ").append(FaultRun.RECOVERY_TIMEOUT.toMinutes()).append(" min:\n");
			this.notRecovered.forEach(line -> out.append("- ").append(line).append('\n'));
		}
		if (this.findings != null) {
			out.append("Invariants:\n");
			for (Verdicts.Invariant invariant : this.findings.invariants()) {
				out.append("- ")
					.append((invariant.count() == 0) ? "PASS " : "**FAIL** (" + invariant.count() + ") ")
					.append(invariant.name())
					.append('\n');
				invariant.examples().forEach(example -> out.append("  - ").append(example).append('\n'));
			}
		}
		if (this.logs != null) {
			out.append("\nLogs of every process: ").append(this.logs).append('\n');
		}
		return out.toString();
	}

	private static String cells(Verdicts.Tally tally) {
		if (tally == null) {
			return "– | – | –";
		}
		return tally.lost + " | " + tally.duplicatedDeliveries + " / " + tally.duplicatedSideEffects + " | "
				+ tally.orderViolations;
	}

}
