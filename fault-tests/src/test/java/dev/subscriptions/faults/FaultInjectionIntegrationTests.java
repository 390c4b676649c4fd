package dev.subscriptions.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The short fault-injection run of CI: 200 customers, every kind of fault once (a kill of
 * each service, a SIGSTOP of one, broker stop and kill, PostgreSQL and registry
 * restarts), then every invariant checked. Its table is in
 * {@code target/fault-report.md}, the processes' logs in {@code target/fault-run/logs}.
 */
class FaultInjectionIntegrationTests {

	@Test
	void everyInvariantHoldsThroughEveryKindOfFault() throws Exception {
		FaultReport report = FaultRun.run(new FaultRun.Settings(200, 42, false, 8,
				Path.of("..").toAbsolutePath().normalize(), Path.of("target").toAbsolutePath()));

		assertThat(report.harnessFailure).as("the harness itself failed, so the run says nothing").isNull();
		assertThat(report.notRecovered).as("faults the system did not recover from\n" + report.markdown()).isEmpty();
		assertThat(report.rows).as("faults injected").hasSize(8);
		assertThat(report.findings.invariants()).as(report.markdown())
			.allSatisfy(invariant -> assertThat(invariant.count()).as(invariant.name() + ": " + invariant.examples())
				.isZero());
	}

}
