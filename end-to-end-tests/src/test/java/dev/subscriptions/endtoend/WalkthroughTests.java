package dev.subscriptions.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.subscriptions.endtoend.Walkthrough.Command;
import dev.subscriptions.endtoend.Walkthrough.Expectation;

/**
 * How a README's bash blocks are read into commands and expectations, without running
 * them.
 */
class WalkthroughTests {

	private static final String README = """
			# Title

			## Walkthrough

			```bash
			X=1
			# a comment, with a continued command in it \\
			#   --more
			f() {
			  echo "$1"
			}

			curl -s localhost:8081/a -H 'Accept: */*' \\
			  -d '{"a":"#"}'                     # -> "status":409 ... "field":"email"
			curl -s localhost:8083/b             # -> []
			until_shows x curl -s localhost/c \\
			  # -> "key":"a"
			```

			## Other

			```bash
			echo other # -> other
			```
			""";

	@TempDir
	Path directory;

	@Test
	void readsCommandsWithTheirContinuationsAndExpectations() throws IOException {
		List<Command> commands = Walkthrough.read(readme(), List.of("## Walkthrough"));

		assertThat(commands).extracting(Command::line).containsExactly(6, 9, 13, 15, 16);
		assertThat(commands.get(1).text()).isEqualTo("f() {\n  echo \"$1\"\n}");
		assertThat(commands.get(2).text()).startsWith("curl -s localhost:8081/a").contains("-d '{\"a\":\"#\"}'");
		assertThat(commands).extracting(Command::expectation)
			.containsExactly(null, null, new Expectation(List.of("\"status\":409", "\"field\":\"email\""), false),
					new Expectation(List.of(), true), new Expectation(List.of("\"key\":\"a\""), false));
	}

	@Test
	void readsTheFirstBashBlockOfEachHeadingInTheOrderAskedFor() throws IOException {
		List<Command> commands = Walkthrough.read(readme(), List.of("## Other", "## Walkthrough"));

		assertThat(commands).first().extracting(Command::text).isEqualTo("echo other # -> other");
		assertThat(commands).extracting(Command::heading).containsSubsequence("## Other", "## Walkthrough");
	}

	@Test
	void refusesAHeadingThatIsMissing() throws IOException {
		Path readme = readme();
		assertThatIllegalStateException().isThrownBy(() -> Walkthrough.read(readme, List.of("## Missing")))
			.withMessageContaining("## Missing");
	}

	private Path readme() throws IOException {
		return Files.writeString(this.directory.resolve("README.md"), README);
	}

}
