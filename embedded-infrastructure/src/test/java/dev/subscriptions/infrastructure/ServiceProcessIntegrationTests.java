package dev.subscriptions.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a service's process is given its management port (the actuator's, apart from the
 * API's) and further environment, and that it counts as healthy by its management port:
 * the jar run here is {@link HealthOnManagementPort}, which answers health there and
 * nothing on its API port.
 */
class ServiceProcessIntegrationTests {

	private static final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	static Path projectRoot;

	@Test
	void servesTheActuatorOnAFreePortOfItsOwnAndIsHealthyWhenThatPortSaysSo() throws Exception {
		try (ServiceProcess service = service().withEnvironment("GREETING", "hello")) {
			int apiPort = URI.create(service.baseUrl()).getPort();
			assertThat(service.managementPort()).isPositive().isNotEqualTo(apiPort);
			assertThat(service.managementUrl()).isEqualTo("http://localhost:" + service.managementPort());

			service.start().awaitHealthy(Duration.ofMinutes(1));

			HttpResponse<String> health = http.send(
					HttpRequest.newBuilder(URI.create(service.managementUrl() + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(health.body()).contains("\"greeting\":\"hello\"");
		}
	}

	@Test
	void servesTheActuatorOnTheManagementPortItIsGiven() throws Exception {
		int managementPort = Ports.free();
		try (ServiceProcess service = service().withManagementPort(managementPort)) {
			assertThat(service.managementPort()).isEqualTo(managementPort);

			service.start().awaitHealthy(Duration.ofMinutes(1));

			assertThat(http
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/actuator/health"))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode()).isEqualTo(200);
		}
	}

	@Test
	void takesTheManagementPortItIsGiven() throws Exception {
		int managementPort = Ports.free();

		ServiceProcess service = service().withManagementPort(managementPort);

		assertThat(service.managementPort()).isEqualTo(managementPort);
		assertThat(service.managementUrl()).isEqualTo("http://localhost:" + managementPort);
	}

	@Test
	void refusesAManagementPortThatIsNotOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> service().withManagementPort(0))
			.withMessageContaining("0");
	}

	/**
	 * A "service" whose executable jar runs {@link HealthOnManagementPort} from the test
	 * classes.
	 */
	private static ServiceProcess service() throws IOException {
		Path target = Files.createDirectories(projectRoot.resolve("health-service").resolve("target"));
		Path jar = target.resolve("health-service-0.jar");
		if (!Files.exists(jar)) {
			Manifest manifest = new Manifest();
			manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
			manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, HealthOnManagementPort.class.getName());
			manifest.getMainAttributes()
				.put(Attributes.Name.CLASS_PATH,
						HealthOnManagementPort.class.getProtectionDomain().getCodeSource().getLocation().toString());
			try (OutputStream out = Files.newOutputStream(jar)) {
				new JarOutputStream(out, manifest).close();
			}
		}
		return ServiceProcess.of(projectRoot, "health-service", 0, SharedInfrastructure.postgresql(), "postgres",
				"localhost:9", "http://localhost:9", projectRoot.resolve("logs"));
	}

}
