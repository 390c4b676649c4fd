package dev.subscriptions.endtoend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The commands of a README's {@code bash} blocks and what their comments say they show.
 * <p>
 * A command is a line that is neither blank nor a comment, with the lines that continue
 * it: after a line ending in {@code \}, and lines that are indented or start with
 * <code>}</code> (the body of a shell function). A trailing comment {@code # -> text} on
 * its last line is its expectation: the output contains {@code text}; {@code A ... B}: it
 * contains {@code A} and {@code B}; {@code []}: the output is exactly {@code []}, an
 * empty list.
 */
final class Walkthrough {

	private static final Pattern EXPECTATION = Pattern.compile("\\s#\\s->\\s(.*)$");

	private Walkthrough() {
	}

	/**
	 * The commands of the first {@code bash} block under each of {@code headings}, in
	 * that order.
	 */
	static List<Command> read(Path readme, List<String> headings) {
		List<String> lines;
		try {
			lines = Files.readAllLines(readme);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<Command> commands = new ArrayList<>();
		for (String heading : headings) {
			int start = lines.indexOf(heading);
			if (start < 0) {
				throw new IllegalStateException(readme + " has no heading " + heading);
			}
			int open = start + 1;
			while (open < lines.size() && !lines.get(open).equals("```bash")) {
				if (lines.get(open).startsWith("## ")) {
					throw new IllegalStateException(heading + " has no bash block");
				}
				open++;
			}
			commands.addAll(commands(heading, lines, open + 1));
		}
		return commands;
	}

	private static List<Command> commands(String heading, List<String> lines, int first) {
		List<Command> commands = new ArrayList<>();
		int i = first;
		while (!lines.get(i).equals("```")) {
			String line = lines.get(i);
			if (line.isBlank() || line.strip().startsWith("#")) {
				i++;
				continue;
			}
			int begin = i;
			while (lines.get(i).endsWith("\\") || continues(lines.get(i + 1))) {
				i++;
			}
			String text = String.join("\n", lines.subList(begin, i + 1));
			commands.add(new Command(heading, begin + 1, text, expectation(lines.get(i))));
			i++;
		}
		return commands;
	}

	private static boolean continues(String line) {
		return !line.isEmpty() && (Character.isWhitespace(line.charAt(0)) || line.startsWith("}"));
	}

	private static @Nullable Expectation expectation(String lastLine) {
		Matcher comment = EXPECTATION.matcher(lastLine);
		if (!comment.find()) {
			return null;
		}
		String text = comment.group(1).strip();
		return text.equals("[]") ? new Expectation(List.of(), true)
				: new Expectation(List.of(text.split(" \\.\\.\\. ")), false);
	}

	/**
	 * One command of a block.
	 *
	 * @param heading the README section
	 * @param line its first line in the README
	 * @param text the command as written, over one or more lines
	 * @param expectation what its output shows, if its comment says so
	 */
	record Command(String heading, int line, String text, @Nullable Expectation expectation) {

		@Override
		public String toString() {
			return "README.md:" + this.line + " (" + this.heading + ")\n" + this.text;
		}

	}

	/**
	 * What a command's output shows.
	 *
	 * @param fragments texts the output contains, in any order
	 * @param empty whether the output is exactly {@code []}
	 */
	record Expectation(List<String> fragments, boolean empty) {

	}

}
