package dev.subscriptions.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * What the run is doing, on standard output and in {@code run.log} of its work directory.
 */
final class Progress {

	private static Path file;

	private Progress() {
	}

	static synchronized void to(Path log) {
		file = log;
	}

	static synchronized void log(String message) {
		String line = LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " ==> " + message;
		System.out.println(line);
		if (file != null) {
			try {
				Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
						StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

}
