package dev.subscriptions.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import dev.subscriptions.endtoend.Walkthrough.Command;
import dev.subscriptions.endtoend.Walkthrough.Expectation;
import dev.subscriptions.infrastructure.ServiceProcess;
import dev.subscriptions.infrastructure.SharedInfrastructure;

/**
 * The README's walkthrough, pasted into a shell as written, shows what its comments say:
 * the {@code bash} blocks under "Walkthrough", "subscription-service", "benefit-service"
 * and "Billing providers" run in that order in one {@code bash}, from the project root,
 * against the {@link Platform} (whose subscription-service has the local stack's webhook
 * secrets), and every command must succeed and show what its {@code # -> } comment says
 * (the conventions are {@link Walkthrough}'s).
 * <p>
 * Only what points at the local stack is changed: {@code localhost:8081}, {@code 8082}
 * and {@code 8083} become the services' random ports, {@code localhost:9181},
 * {@code 9182} and {@code 9183} their random management ports, the
 * {@code local-stack token} commands get {@code --issuer} and {@code --data} of the
 * test's {@link AuthorizationServer}, and the {@code local-stack tail} lines get
 * {@code --bootstrap} and {@code --registry} of the test's broker and registry; as
 * {@code tail} follows its topic until Ctrl-C, the test stops it once its output shows
 * what the comment says (or after 90 s). The script and its output are kept in
 * {@code target/walkthrough/}.
 */
class WalkthroughEndToEndTests {

	private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

	private static final List<String> HEADINGS = List.of("## Walkthrough", "## subscription-service (port 8082)",
			"## benefit-service (port 8083)", "## Billing providers");

	private static final Pattern TAIL = Pattern.compile("^(java -jar local-stack/target/local-stack\\.jar tail \\S+)");

	private static final Pattern TOKEN = Pattern.compile("java -jar local-stack/target/local-stack\\.jar token(?=\\s)");

	private static final String DONE = "\u001eDONE ";

	/**
	 * Runs a command in the background until its output shows every text, then stops it
	 * and prints its output.
	 */
	private static final String PRELUDE = """
			set -o pipefail
			shows_all() { local log=$1 text; shift; for text; do grep -qF -- "$text" "$log" || return 1; done; }
			follow() {
			  local texts=() log pid deadline=$((SECONDS + 90))
			  while [[ $1 != -- ]]; do texts+=("$1"); shift; done; shift
			  log=$(mktemp); "$@" >"$log" 2>&1 & pid=$!
			  until shows_all "$log" "${texts[@]}" || ((SECONDS >= deadline)); do sleep 0.2; done
			  kill "$pid"; wait "$pid"; cat "$log"; rm -f "$log"
			}
			""";

	@BeforeAll
	static void startPlatform() {
		Platform.start();
	}

	@Test
	void theWalkthroughShowsWhatItsCommentsSay(TestReporter reporter) throws Exception {
		List<Command> commands = Walkthrough.read(PROJECT.resolve("README.md"), HEADINGS);
		assertThat(commands).extracting(Command::heading).containsAll(HEADINGS);
		assertThat(commands).filteredOn(command -> command.expectation() != null).hasSizeGreaterThan(20);
		assertThat(PROJECT.resolve("local-stack/target/local-stack.jar")).exists();

		long started = System.nanoTime();
		List<String> outputs = run(commands);
		reporter.publishEntry("walkthrough",
				"%d commands in %.1f s".formatted(commands.size(), (System.nanoTime() - started) / 1e9));

		SoftAssertions softly = new SoftAssertions();
		for (int i = 0; i < commands.size(); i++) {
			Command command = commands.get(i);
			if (i >= outputs.size()) {
				softly.fail("Never ran: " + command);
				continue;
			}
			String output = outputs.get(i);
			int exit = Integer.parseInt(output.substring(output.lastIndexOf(DONE) + DONE.length()).strip());
			String shown = output.substring(0, output.lastIndexOf(DONE)).strip();
			softly.assertThat(exit).as("exit status of %s%nwhich printed%n%s", command, shown).isZero();
			Expectation expectation = command.expectation();
			if (expectation != null && expectation.empty()) {
				softly.assertThat(shown).as(command.toString()).isEqualTo("[]");
			}
			else if (expectation != null) {
				softly.assertThat(shown).as(command.toString()).contains(expectation.fragments());
			}
		}
		softly.assertAll();
	}

	/**
	 * Runs the commands in one {@code bash}; the output of each, ending with its exit
	 * status after {@link #DONE}.
	 */
	private static List<String> run(List<Command> commands) throws IOException, InterruptedException {
		StringBuilder script = new StringBuilder(PRELUDE);
		for (Command command : commands) {
			script.append(forTheTest(command)).append('\n');
			script.append("printf '\\n").append(DONE).append("%d\\n' $?\n");
		}
		Path directory = Files.createDirectories(Path.of("target", "walkthrough").toAbsolutePath());
		Path file = Files.writeString(directory.resolve("walkthrough.sh"), script);
		Path log = directory.resolve("output.txt");
		ProcessBuilder bash = new ProcessBuilder("bash", file.toString()).directory(PROJECT.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		bash.environment()
			.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
					+ bash.environment().get("PATH"));
		Process process = bash.start();
		if (!process.waitFor(Duration.ofMinutes(6).toMillis(), TimeUnit.MILLISECONDS)) {
			process.descendants().forEach(ProcessHandle::destroy);
			process.destroy();
			process.waitFor(30, TimeUnit.SECONDS);
		}
		List<String> outputs = new ArrayList<>();
		String all = Files.readString(log);
		int from = 0;
		for (int end = all.indexOf(DONE); end >= 0; end = all.indexOf(DONE, from)) {
			int lineEnd = all.indexOf('\n', end);
			int next = (lineEnd >= 0) ? lineEnd + 1 : all.length();
			outputs.add(all.substring(from, next));
			from = next;
		}
		return outputs;
	}

	/**
	 * The command pointed at the test's services, authorization server, broker and
	 * registry.
	 */
	private static String forTheTest(Command command) {
		String text = command.text()
			.replace("localhost:8081", hostAndPort(Platform.customers))
			.replace("localhost:8082", hostAndPort(Platform.subscriptions))
			.replace("localhost:8083", hostAndPort(Platform.benefits))
			.replace("localhost:9181", "localhost:" + Platform.customers.managementPort())
			.replace("localhost:9182", "localhost:" + Platform.subscriptions.managementPort())
			.replace("localhost:9183", "localhost:" + Platform.benefits.managementPort());
		text = TOKEN.matcher(text)
			.replaceAll(Matcher.quoteReplacement(
					"java -jar local-stack/target/local-stack.jar token --issuer " + AuthorizationServer.issuer()
							+ " --data " + quoted(AuthorizationServer.DATA.toAbsolutePath().toString())));
		Matcher tail = TAIL.matcher(text);
		if (!tail.find()) {
			return text;
		}
		Expectation expectation = command.expectation();
		if (expectation == null || expectation.fragments().isEmpty()) {
			throw new IllegalStateException("A tail line needs a # -> comment, to know when to stop it: " + command);
		}
		StringBuilder follow = new StringBuilder("follow");
		expectation.fragments().forEach(fragment -> follow.append(' ').append(quoted(fragment)));
		return tail.replaceFirst(Matcher.quoteReplacement(
				follow + " -- " + tail.group(1) + " --bootstrap " + SharedInfrastructure.kafka().bootstrapServers()
						+ " --registry " + SharedInfrastructure.schemaRegistry().confluentApiUrl()));
	}

	private static String hostAndPort(ServiceProcess service) {
		return service.baseUrl().substring("http://".length());
	}

	private static String quoted(String text) {
		return "'" + text.replace("'", "'\\''") + "'";
	}

}
