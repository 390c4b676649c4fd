package dev.subscriptions.web.security;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * The security settings every service would otherwise repeat, as the lowest-precedence
 * property source (a service's {@code application.yml}, its environment or a test wins):
 * <ul>
 * <li>the liveness and readiness probes also on the public port, as {@code /livez} and
 * {@code /readyz}, when the actuator has a management port of its own;</li>
 * <li>no observations of Spring Security's filters, authentications and authorizations
 * ({@code management.observations.enable.spring.security=false}, as Spring Boot documents
 * it): one per filter per request, no dashboard reads them, and profiled under load they
 * took about a tenth of a request's CPU; {@code http.server.requests} still times every
 * request, a refused one included;</li>
 * <li>{@code OAUTH2_AUDIENCES} (comma-separated; unset: no audience check, as for an
 * identity provider that adds {@code aud} only with a mapper), {@code OAUTH2_JWK_SET_URI}
 * (instead of discovery from the issuer) and {@code OAUTH2_ORGANIZATION_CLAIM}, each
 * applied only when set.</li>
 * </ul>
 */
public class SecurityDefaults implements EnvironmentPostProcessor, Ordered {

	/** The name of the property source. */
	public static final String NAME = "securityDefaults";

	private static final String JWT = "spring.security.oauth2.resourceserver.jwt.";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getPropertySources().contains(NAME)) {
			return;
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("management.endpoint.health.probes.add-additional-paths", "true");
		defaults.put("management.observations.enable.spring.security", "false");
		copy(environment, "OAUTH2_AUDIENCES", JWT + "audiences", defaults);
		copy(environment, "OAUTH2_JWK_SET_URI", JWT + "jwk-set-uri", defaults);
		copy(environment, "OAUTH2_ORGANIZATION_CLAIM", "api.security.organization-claim", defaults);
		environment.getPropertySources().addLast(new MapPropertySource(NAME, defaults));
	}

	private static void copy(ConfigurableEnvironment environment, String variable, String property,
			Map<String, Object> defaults) {
		String value = environment.getProperty(variable);
		if (StringUtils.hasText(value)) {
			defaults.put(property, value);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
