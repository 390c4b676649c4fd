package dev.subscriptions.eventing.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.subscriptions.eventing.serde.SchemaRegistryClient;
import dev.subscriptions.events.customer.CustomerCreated;

/**
 * Start-up against a registry that never answers: retried with growing waits, then given
 * up after the timeout.
 */
@ExtendWith(OutputCaptureExtension.class)
class SchemaRegistrationTests {

	@Test
	void retriesAnUnreachableRegistryWithGrowingWaitsThenGivesUpAfterTheTimeout(CapturedOutput output)
			throws IOException {
		SchemaRegistration registration = new SchemaRegistration(
				SchemaRegistryClient.forUrl("http://localhost:" + closedPort() + "/apis/ccompat/v7"),
				List.of(EventSchemas.of("registration-test", CustomerCreated.getClassSchema())), true,
				"FULL_TRANSITIVE", Duration.ofSeconds(2));

		assertTimeoutPreemptively(Duration.ofSeconds(30),
				() -> assertThatIllegalStateException().isThrownBy(registration::afterSingletonsInstantiated)
					.withMessage("Schema registry unavailable for PT2S"));
		assertThat(output).contains("retrying in 200 ms", "retrying in 400 ms", "retrying in 800 ms");
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
