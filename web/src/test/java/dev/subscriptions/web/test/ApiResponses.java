package dev.subscriptions.web.test;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one way the API tests call a service ({@link RestTestClient}) and read what it
 * answers: JSON objects and lists, and RFC 9457 problems with their {@code errors}.
 */
public final class ApiResponses {

	/** A JSON object. */
	public static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	/** A JSON list of objects. */
	public static final ParameterizedTypeReference<List<Map<String, Object>>> JSON_LIST = new ParameterizedTypeReference<>() {
	};

	private ApiResponses() {
	}

	/**
	 * The answer to {@code method path}, whatever its status, with its JSON body (a
	 * problem's too). A {@code body} other than {@code null} is sent as JSON (a
	 * {@code String} as it is).
	 */
	public static EntityExchangeResult<Map<String, Object>> call(RestTestClient client, HttpMethod method, String path,
			@Nullable Object body) {
		RestTestClient.RequestBodySpec request = client.method(method).uri(path);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return call(request);
	}

	/** The answer to a prepared request, whatever its status, with its JSON body. */
	public static EntityExchangeResult<Map<String, Object>> call(RestTestClient.RequestHeadersSpec<?> request) {
		return request.exchange().returnResult(JSON);
	}

	/** The JSON list {@code GET path} answers, which must be 200. */
	public static List<Map<String, Object>> list(RestTestClient client, String path) {
		List<Map<String, Object>> items = client.get()
			.uri(path)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON_LIST)
			.returnResult()
			.getResponseBody();
		return Objects.requireNonNull(items, () -> path + " answered no body");
	}

	/** The JSON body of an answer, which must have one. */
	public static Map<String, Object> body(EntityExchangeResult<Map<String, Object>> response) {
		return Objects.requireNonNull(response.getResponseBody(), () -> response.getUrl() + " answered no body");
	}

	/**
	 * The {@code errors} of a 400 problem: what is wrong, field by field ({@code field},
	 * {@code message}).
	 */
	public static List<Map<String, Object>> errors(EntityExchangeResult<Map<String, Object>> problem) {
		assertThat(problem.getStatus().value()).as("status of %s", problem.getResponseBody()).isEqualTo(400);
		return errors(body(problem));
	}

	/** The {@code errors} of a problem's body: what is wrong, field by field. */
	@SuppressWarnings("unchecked")
	public static List<Map<String, Object>> errors(Map<String, Object> problem) {
		Object errors = problem.get("errors");
		assertThat(errors).as("errors of %s", problem).isInstanceOf(List.class);
		return (List<Map<String, Object>>) errors;
	}

}
