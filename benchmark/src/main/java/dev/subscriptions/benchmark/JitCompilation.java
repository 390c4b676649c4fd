package dev.subscriptions.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The services' JIT compilation time so far, as each service's actuator reports it
 * ({@code jvm.compilation.time}: the milliseconds its compiler threads have spent, C1 and
 * C2 together, since it started). A service whose hot paths are still being compiled
 * spends a core's worth of time on it beside the requests it serves; on two cores that is
 * most of the latency of an idle deletion. The difference between two readings over the
 * deletions between them tells whether the services have reached their steady state.
 */
final class JitCompilation {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Map<String, String> managementUrls;

	/** The services by name, each with the base URL of its management port. */
	JitCompilation(Map<String, String> managementUrls) {
		this.managementUrls = managementUrls;
	}

	/** Each service's compilation time so far, in milliseconds, in the order given. */
	Reading read() {
		Map<String, Double> millis = new LinkedHashMap<>();
		this.managementUrls.forEach((service, url) -> millis.put(service, compilationMillis(url)));
		return new Reading(millis);
	}

	private double compilationMillis(String managementUrl) {
		URI uri = URI.create(managementUrl + "/actuator/metrics/jvm.compilation.time");
		try {
			HttpResponse<byte[]> response = this.http.send(
					HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
					HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
			}
			JsonNode body = JSON.readTree(response.body());
			double millis = 0;
			for (JsonNode measurement : body.get("measurements")) {
				millis += measurement.get("value").asDouble();
			}
			// the metric's base unit is seconds or milliseconds, as the registry chose
			return "seconds".equals(body.path("baseUnit").asText()) ? millis * 1000 : millis;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("GET " + uri + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The services' compilation times at one moment. */
	record Reading(Map<String, Double> millis) {

		/**
		 * Milliseconds of compilation per deletion of each service since {@code earlier}.
		 */
		Map<String, Double> perDeletion(Reading earlier, int deletions) {
			Map<String, Double> result = new LinkedHashMap<>();
			this.millis
				.forEach((service, now) -> result.put(service, (now - earlier.millis().get(service)) / deletions));
			return result;
		}

		static double total(Map<String, Double> perService) {
			return perService.values().stream().mapToDouble(Double::doubleValue).sum();
		}

		static String describe(Map<String, Double> perService) {
			StringBuilder text = new StringBuilder();
			perService.forEach((service, millis) -> text.append((text.length() == 0) ? "" : ", ")
				.append(service)
				.append(' ')
				.append("%.1f".formatted(millis)));
			return text.append(" ms per deletion (total %.1f)".formatted(total(perService))).toString();
		}

	}

}
