package dev.subscriptions.endtoend.operations;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Prometheus' {@code promtool}, run in the project's root. The Debian package
 * {@code prometheus} installs it; without it the tests fail and say how to install it.
 */
final class Promtool {

	static final String NOT_INSTALLED = "promtool is not installed: run ./run-tests (installs the Debian package "
			+ "prometheus) or apt-get install prometheus";

	private Promtool() {
	}

	/**
	 * Runs {@code promtool arguments...} and waits for it.
	 * @return its exit code and what it wrote to standard output and error
	 */
	static Result run(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(executable().toString());
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).directory(MonitoringFiles.ROOT.toFile())
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(2, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				return fail("%s did not end within 2 minutes:%n%s", String.join(" ", command), output);
			}
			return new Result(String.join(" ", arguments), process.exitValue(), output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Path executable() {
		return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.filter(directory -> !directory.isEmpty())
			.map(directory -> Path.of(directory, "promtool"))
			.filter(Files::isExecutable)
			.findFirst()
			.orElseGet(() -> fail(NOT_INSTALLED));
	}

	/** How a run of promtool ended. */
	record Result(String arguments, int exitCode, String output) {

		@Override
		public String toString() {
			return "promtool " + this.arguments + " exited with " + this.exitCode + ":\n" + this.output;
		}

	}

}
