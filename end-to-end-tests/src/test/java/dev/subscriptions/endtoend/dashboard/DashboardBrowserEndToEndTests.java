package dev.subscriptions.endtoend.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.subscriptions.endtoend.Api;
import dev.subscriptions.endtoend.Platform;
import dev.subscriptions.infrastructure.Prometheus;
import dev.subscriptions.infrastructure.SharedInfrastructure;
import dev.subscriptions.localstack.dashboard.DashboardServer;

/**
 * The local dashboard page in a real browser (headless Chromium) while a burst of
 * deletions runs: Prometheus scrapes the three services with the deployment's
 * configuration (every second here, instead of every 5 s), the page draws the Grafana
 * dashboard's panels from it, and what the page shows is read from its DOM.
 * <p>
 * The backlog is made, not hoped for: while the test holds customer-service's relay
 * leadership (its advisory lock), the deletions pile up in the outbox; while it holds
 * customer-service's inbox table locked, the relay drains the outbox but customer-service
 * cannot commit the revocation reports that come back, so its consumer lag grows; then it
 * lets go and the lag returns to 0.
 */
class DashboardBrowserEndToEndTests {

	private static final Path PROMETHEUS_CONFIGURATION = Path.of("..", "deploy", "prometheus", "prometheus.yml");

	private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "dashboards",
			"subscription-platform.json");

	private static final Path SCREENSHOTS = Path.of("target");

	private static final int CUSTOMERS = 200;

	private static final Duration PAGE_TIMEOUT = Duration.ofMinutes(2);

	@TempDir
	static Path directory;

	private static Prometheus prometheus;

	private static DashboardServer dashboard;

	private static ChromeDriver browser;

	private final Api api = new Api(UUID.randomUUID());

	private final DataSource customerDatabase = SharedInfrastructure.postgresql().dataSource(Platform.customerDatabase);

	@BeforeAll
	static void openTheDashboard() {
		List<String> missing = new ArrayList<>();
		if (!Prometheus.isInstalled()) {
			missing.add("prometheus");
		}
		Path chromium = executable("chromium");
		Path chromedriver = executable("chromedriver");
		Stream.of(chromium, chromedriver)
			.filter(path -> !Files.isExecutable(path))
			.forEach(path -> missing.add(path.getFileName().toString()));
		assertThat(missing)
			.as("chromium/chromedriver/prometheus is not installed: run ./run-tests (missing: %s)",
					String.join(", ", missing))
			.isEmpty();

		Platform.start();
		prometheus = Prometheus.configuredBy(PROMETHEUS_CONFIGURATION)
			.scraping("customer-service", Platform.customers.managementPort())
			.scraping("subscription-service", Platform.subscriptions.managementPort())
			.scraping("benefit-service", Platform.benefits.managementPort())
			.scrapingEvery(Duration.ofSeconds(1))
			.start(0, directory.resolve("prometheus"), Path.of("target", "dashboard-prometheus.log"));
		dashboard = DashboardServer.start(0, URI.create(prometheus.url()), DASHBOARD);

		ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage", "--window-size=1600,1400",
					"--user-data-dir=" + directory.resolve("chromium-profile"));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
			.usingAnyFreePort()
			.withLogLevel(ChromiumDriverLogLevel.WARNING)
			.withLogFile(new File("target/chromedriver.log"))
			.build();
		browser = new ChromeDriver(service, options);
		browser.get(dashboard.url());
	}

	@AfterAll
	static void closeTheDashboard() {
		if (browser != null) {
			browser.quit();
		}
		if (dashboard != null) {
			dashboard.close();
		}
		if (prometheus != null) {
			prometheus.close();
		}
	}

	@Test
	void drawsEveryPanelOfTheGrafanaDashboardFromPrometheus() throws Exception {
		List<String> titles = new ArrayList<>();
		JsonMapper.shared().readTree(DASHBOARD.toFile()).get("panels").forEach(panel -> titles.add(title(panel)));

		await().atMost(PAGE_TIMEOUT).untilAsserted(() -> {
			assertThat(browser.findElement(By.tagName("body")).getDomAttribute("data-prometheus")).isEqualTo("up");
			assertThat(panel("Outbox backlog").points()).isPositive();
		});
		assertThat(browser.findElements(By.cssSelector("section.panel")))
			.extracting(element -> element.getDomAttribute("data-title"))
			.containsExactlyElementsOf(titles);
		assertThat(browser.findElements(By.cssSelector("section.panel[data-error]"))).isEmpty();
	}

	@Test
	void tellsWhenPrometheusIsUnreachable() throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		try (DashboardServer unreachable = DashboardServer.start(0, URI.create("http://localhost:" + closed),
				DASHBOARD)) {
			browser.get(unreachable.url());
			await().atMost(PAGE_TIMEOUT)
				.untilAsserted(
						() -> assertThat(browser.findElement(By.tagName("body")).getDomAttribute("data-prometheus"))
							.isEqualTo("unreachable"));
			assertThat(browser.findElement(By.id("note")).getText())
				.contains("Prometheus at http://localhost:" + closed + " is unreachable", "apt-get install prometheus");
		}
		finally {
			browser.get(dashboard.url());
		}
	}

	@Test
	void showsTheOutboxBacklogDrainingAndTheConsumerLagRisingAndReturningToZeroDuringABurstOfDeletions()
			throws Exception {
		List<String> customers = new ArrayList<>();
		for (int i = 0; i < CUSTOMERS; i++) {
			customers.add(this.api.createCustomer("dashboard-" + i + "-" + UUID.randomUUID() + "@example.com"));
		}
		JdbcTemplate jdbc = new JdbcTemplate(this.customerDatabase);
		await().atMost(PAGE_TIMEOUT)
			.until(() -> jdbc.queryForObject("select count(*) from outbox", Integer.class), pending -> pending == 0);
		await().atMost(PAGE_TIMEOUT).until(() -> panel("Outbox backlog").last() == 0.0);

		Connection inbox;
		try (Connection relay = holdRelayLeadership()) {
			customers.forEach(this.api::deleteCustomer);
			await().atMost(PAGE_TIMEOUT).until(() -> panel("Outbox backlog").last() > 0.0);
			inbox = lockInbox();
		}
		try {
			await().atMost(PAGE_TIMEOUT)
				.until(() -> panel("Outbox backlog").last() == 0.0 && panel("Consumer lag (records)").last() > 0.0
						&& panel("Consumer lag (seconds)").last() > 0.0);
			screenshot("dashboard-burst.png");
		}
		finally {
			inbox.rollback();
			inbox.close();
		}
		await().atMost(PAGE_TIMEOUT)
			.until(() -> panel("Consumer lag (records)").last() == 0.0 && panel("Consumer lag (seconds)").last() == 0.0
					&& panel("Outbox backlog").last() == 0.0);
		screenshot("dashboard.png");

		for (String title : List.of("Outbox backlog", "Consumer lag (records)", "Consumer lag (seconds)")) {
			assertThat(panel(title)).as(title).satisfies(shown -> {
				assertThat(shown.max()).isPositive();
				assertThat(shown.last()).isZero();
			});
		}
	}

	/**
	 * Takes customer-service's relay leadership from it: ends the relay's lock session
	 * and takes its advisory lock (read from the lock the session held) before the relay
	 * takes it again at its next poll.
	 */
	private Connection holdRelayLeadership() throws SQLException {
		Connection connection = this.customerDatabase.getConnection();
		long key;
		try (Statement statement = connection.createStatement(); ResultSet lock = statement.executeQuery("""
				select (l.classid::bigint << 32) | l.objid::bigint
				from pg_locks l join pg_stat_activity a on a.pid = l.pid
				where l.locktype = 'advisory' and l.granted and a.application_name = 'outbox-relay-leader'
					and a.datname = current_database()""")) {
			assertThat(lock.next()).as("customer-service's relay holds its leadership").isTrue();
			key = lock.getLong(1);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			try (Statement statement = connection.createStatement()) {
				statement.execute("""
						select pg_terminate_backend(pid, 5000) from pg_stat_activity
						where application_name = 'outbox-relay-leader' and datname = current_database()""");
			}
			try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
				statement.setLong(1, key);
				try (ResultSet taken = statement.executeQuery()) {
					return taken.next() && taken.getBoolean(1);
				}
			}
		});
		return connection;
	}

	/**
	 * Locks customer-service's inbox in a transaction left open, so that its consumer of
	 * revocation reports waits before it can commit any.
	 */
	private Connection lockInbox() throws SQLException {
		Connection connection = this.customerDatabase.getConnection();
		connection.setAutoCommit(false);
		try (Statement statement = connection.createStatement()) {
			statement.execute("lock table inbox in access exclusive mode");
		}
		return connection;
	}

	/** What the page shows in the panel of that title. */
	private static Shown panel(String title) {
		WebElement panel = browser.findElement(By.cssSelector("section.panel[data-title='" + title + "']"));
		return new Shown(number(panel.getDomAttribute("data-last")), number(panel.getDomAttribute("data-max")),
				(int) number(panel.getDomAttribute("data-points")));
	}

	private static double number(String attribute) {
		return (attribute == null || attribute.isEmpty()) ? Double.NaN : Double.parseDouble(attribute);
	}

	private static void screenshot(String name) throws Exception {
		Files.write(SCREENSHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
	}

	private static String title(JsonNode panel) {
		return panel.get("title").asString();
	}

	private static Path executable(String name) {
		return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
			.map(directory -> Path.of(directory, name))
			.filter(Files::isExecutable)
			.findFirst()
			.orElse(Path.of("/usr/bin", name));
	}

	/**
	 * A panel as the page shows it.
	 *
	 * @param last the sum of its series' newest values (NaN if none)
	 * @param max the highest value any of its series has in the last 15 minutes
	 * @param points how many values it draws
	 */
	private record Shown(double last, double max, int points) {
	}

}
