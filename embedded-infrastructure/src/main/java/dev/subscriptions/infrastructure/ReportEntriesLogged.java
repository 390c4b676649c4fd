package dev.subscriptions.infrastructure;

import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what tests publish through JUnit's {@code TestReporter} (the figures of the timing
 * tests): Surefire keeps a test's output, but not its report entries. Every module whose
 * tests use this module gets it (a service loader entry); it does nothing outside JUnit.
 */
public class ReportEntriesLogged implements TestExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(ReportEntriesLogged.class);

	@Override
	public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
		entry.getKeyValuePairs().forEach((key, value) -> log.info("{}: {}", test.getDisplayName(), value));
	}

}
