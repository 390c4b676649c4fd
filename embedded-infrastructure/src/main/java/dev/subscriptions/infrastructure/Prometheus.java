package dev.subscriptions.infrastructure;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A real Prometheus server ({@code prometheus} on the {@code PATH}, e.g. the Debian
 * package), run as a child process with a deployment's configuration made local: each
 * scrape job discovered by DNS there ({@code dns_sd_configs}, one name per service so
 * that every replica is scraped) scrapes the one target on this machine that it is given
 * instead ({@code static_configs: [{targets: [localhost:<port>]}]}); everything else,
 * rule files included, stays as it is.
 */
public final class Prometheus implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private final Process process;

	private final int port;

	private final Path logFile;

	private Prometheus(Process process, int port, Path logFile) {
		this.process = process;
		this.port = port;
		this.logFile = logFile;
	}

	/** Whether a {@code prometheus} executable is on the {@code PATH}. */
	public static boolean isInstalled() {
		return executable().isPresent();
	}

	/**
	 * A deployment's configuration, to make local.
	 * @param configuration its {@code prometheus.yml}; the rule files it names are read
	 * from beside it
	 */
	public static Configuration configuredBy(Path configuration) {
		return new Configuration(configuration, Map.of(), null);
	}

	/** The base URL of its web UI and HTTP API. */
	public String url() {
		return "http://localhost:" + this.port;
	}

	public int port() {
		return this.port;
	}

	/**
	 * Stops the server (SIGTERM, so that it writes its data out), or kills it after 30 s.
	 */
	@Override
	public void close() {
		this.process.destroy();
		if (this.process.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).join() == null) {
			this.process.destroyForcibly();
			this.process.onExit().join();
		}
	}

	private void awaitReady() {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
			.timeout(Duration.ofSeconds(2))
			.build();
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"Prometheus exited with " + this.process.exitValue() + "; see " + this.logFile);
			}
			try {
				if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
						&& this.process.isAlive()) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				close();
				throw new IllegalStateException(ex);
			}
			this.process.onExit().completeOnTimeout(null, 100, TimeUnit.MILLISECONDS).join();
		}
		close();
		throw new IllegalStateException("Prometheus was not ready within " + START_TIMEOUT + "; see " + this.logFile);
	}

	private static Optional<Path> executable() {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		return Stream.of(path.split(File.pathSeparator))
			.filter(directory -> !directory.isEmpty())
			.map(directory -> Path.of(directory, "prometheus"))
			.filter(Files::isExecutable)
			.findFirst();
	}

	/**
	 * A deployment's Prometheus configuration and what makes it local: a port on this
	 * machine for each job, and optionally one scrape interval for all (tests scrape more
	 * often than a deployment).
	 */
	public static final class Configuration {

		private final Path source;

		private final Map<String, Integer> ports;

		private final @Nullable Duration scrapeInterval;

		private Configuration(Path source, Map<String, Integer> ports, @Nullable Duration scrapeInterval) {
			this.source = source;
			this.ports = ports;
			this.scrapeInterval = scrapeInterval;
		}

		/** Scrapes the job's one target at {@code localhost:<port>}. */
		public Configuration scraping(String job, int port) {
			Map<String, Integer> ports = new LinkedHashMap<>(this.ports);
			ports.put(job, port);
			return new Configuration(this.source, ports, this.scrapeInterval);
		}

		/**
		 * Scrapes every job at this interval (and with this timeout), whatever the
		 * deployment's configuration says.
		 */
		public Configuration scrapingEvery(Duration interval) {
			return new Configuration(this.source, this.ports, interval);
		}

		/**
		 * The local configuration as Prometheus reads it.
		 * @throws IllegalArgumentException if a job discovered by DNS has no port here,
		 * or a port is given for a job the configuration does not have
		 */
		@SuppressWarnings("unchecked")
		public String text() {
			Map<String, Object> configuration = read();
			if (this.scrapeInterval != null) {
				Map<String, Object> global = (Map<String, Object>) configuration.computeIfAbsent("global",
						key -> new LinkedHashMap<>());
				global.put("scrape_interval", duration(this.scrapeInterval));
				global.put("scrape_timeout", duration(this.scrapeInterval));
			}
			Set<String> unknown = new LinkedHashSet<>(this.ports.keySet());
			for (Object element : (List<Object>) configuration.getOrDefault("scrape_configs", List.of())) {
				Map<String, Object> job = (Map<String, Object>) element;
				String name = String.valueOf(job.get("job_name"));
				if (this.scrapeInterval != null) {
					job.remove("scrape_interval");
					job.remove("scrape_timeout");
				}
				Integer port = this.ports.get(name);
				if (port == null) {
					if (job.containsKey("dns_sd_configs")) {
						throw new IllegalArgumentException(
								"Job " + name + " of " + this.source + " is discovered by DNS; give it a local port");
					}
					continue;
				}
				unknown.remove(name);
				job.remove("dns_sd_configs");
				job.put("static_configs", List.of(Map.of("targets", List.of("localhost:" + port))));
			}
			if (!unknown.isEmpty()) {
				throw new IllegalArgumentException(this.source + " has no scrape job " + String.join(", ", unknown));
			}
			DumperOptions options = new DumperOptions();
			options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
			options.setIndent(2);
			return new Yaml(options).dump(configuration);
		}

		/**
		 * The rule files the configuration names, resolved beside it (a glob in a file
		 * name, as Prometheus allows, matches in its directory).
		 */
		@SuppressWarnings("unchecked")
		List<Path> ruleFiles() {
			List<Path> files = new ArrayList<>();
			Path directory = this.source.toAbsolutePath().getParent();
			for (Object element : (List<Object>) read().getOrDefault("rule_files", List.of())) {
				Path pattern = directory.resolve(String.valueOf(element));
				try (DirectoryStream<Path> matches = Files.newDirectoryStream(pattern.getParent(),
						pattern.getFileName().toString())) {
					matches.forEach(files::add);
				}
				catch (IOException ex) {
					throw new UncheckedIOException("Cannot read the rule files " + pattern, ex);
				}
			}
			return files;
		}

		/**
		 * Starts Prometheus with this configuration.
		 * @param port its HTTP port (0 for a free one)
		 * @param directory where the local configuration, its rule files and the time
		 * series ({@code data/}) go; data already there is kept
		 * @param logFile where its output goes
		 */
		public Prometheus start(int port, Path directory, Path logFile) {
			Path executable = executable().orElseThrow(() -> new IllegalStateException(
					"prometheus is not installed: sudo apt-get install prometheus (Debian, Ubuntu), "
							+ "or see https://prometheus.io/download/"));
			if (port > 0 && !Ports.isFree(port)) {
				throw new IllegalStateException("Port " + port + " is taken, by another Prometheus perhaps (Debian's "
						+ "package runs one as a service: sudo systemctl disable --now prometheus)");
			}
			int actualPort = (port > 0) ? port : Ports.free();
			try {
				Files.createDirectories(directory);
				Files.createDirectories(logFile.toAbsolutePath().getParent());
				Path base = this.source.toAbsolutePath().getParent();
				for (Path ruleFile : ruleFiles()) {
					Path copy = directory.resolve(base.relativize(ruleFile).toString());
					Files.createDirectories(copy.getParent());
					Files.copy(ruleFile, copy, StandardCopyOption.REPLACE_EXISTING);
				}
				Path configuration = directory.resolve("prometheus.yml");
				Files.writeString(configuration, text());
				Process process = new ProcessBuilder(executable.toString(), "--config.file=" + configuration,
						"--web.listen-address=localhost:" + actualPort,
						"--storage.tsdb.path=" + directory.resolve("data"))
					.redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
					.start();
				Prometheus prometheus = new Prometheus(process, actualPort, logFile);
				prometheus.awaitReady();
				return prometheus;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Prometheus did not start", ex);
			}
		}

		@SuppressWarnings("unchecked")
		private Map<String, Object> read() {
			try {
				Map<String, Object> configuration = new Yaml().load(Files.readString(this.source));
				return (configuration != null) ? configuration : new LinkedHashMap<>();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read " + this.source, ex);
			}
		}

		private static String duration(Duration duration) {
			return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
		}

	}

}
