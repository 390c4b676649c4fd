package dev.subscriptions.web.security;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A service as an OAuth2 resource server (JWT bearer tokens from the identity provider of
 * {@code spring.security.oauth2.resourceserver.jwt.*}), two filter chains:
 * <ul>
 * <li>the actuator on its management port of its own: reading it is open (Prometheus
 * scrapes it without a token), changing anything through it (requeueing or discarding
 * parked outbox rows) needs {@value ApiScopes#MANAGEMENT_WRITE}; if the actuator shares
 * the public port, only its health is open;</li>
 * <li>the public port: each endpoint of the service's {@link ApiScopes} with the scope it
 * needs (or open), the probes ({@code /livez}, {@code /readyz}), {@code /error} and the
 * OpenAPI document open, everything else refused. Stateless, no CSRF (no cookies).</li>
 * </ul>
 * Errors are problems: 401 with the bearer challenge, 403 naming the missing scope, 503
 * while the identity provider cannot be reached. Controllers take the caller's
 * {@link Organization} as a parameter.
 */
@AutoConfiguration(beforeName = {
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration" })
@ConditionalOnWebApplication(type = Type.SERVLET)
@EnableWebSecurity
@EnableConfigurationProperties(ApiSecuritySettings.class)
public class ResourceServerAutoConfiguration {

	/** Paths of the public port every service leaves open. */
	/** What Spring's conversion reads as {@code false}. */
	private static final Set<String> FALSE_SPELLINGS = Set.of("false", "off", "no", "0");

	static final List<String> OPEN_PATHS = List.of("/livez", "/readyz", "/error", "/v3/api-docs", "/v3/api-docs/**");

	@Bean
	WebSecurityCustomizer headerValuesFirewall() {
		return (web) -> web.httpFirewall(HeaderValues.firewall());
	}

	@Bean
	TokenAuthentication tokenAuthentication(ApiSecuritySettings settings) {
		return new TokenAuthentication(settings.organizationClaim());
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 10)
	SecurityFilterChain managementSecurity(HttpSecurity http, Environment environment,
			TokenAuthentication tokenAuthentication) throws Exception {
		if (ManagementPortType.get(environment) == ManagementPortType.DIFFERENT) {
			http.securityMatcher(EndpointRequest.toAnyEndpoint());
		}
		else {
			http.securityMatcher(EndpointRequest.to(HealthEndpoint.class));
		}
		return resourceServer(stateless(http), tokenAuthentication)
			.authorizeHttpRequests((requests) -> requests.requestMatchers(ResourceServerAutoConfiguration::isRead)
				.permitAll()
				.anyRequest()
				.hasAuthority(TokenAuthentication.AUTHORITY_PREFIX + ApiScopes.MANAGEMENT_WRITE))
			.build();
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 20)
	SecurityFilterChain apiSecurity(HttpSecurity http, ObjectProvider<ApiScopes> scopes,
			TokenAuthentication tokenAuthentication) throws Exception {
		ApiScopes table = scopes.getIfAvailable(() -> ApiScopes.builder().build());
		return resourceServer(stateless(http), tokenAuthentication).authorizeHttpRequests((requests) -> {
			for (ApiScopes.Rule rule : table.rules()) {
				if (rule.isOpen()) {
					requests.requestMatchers(matcher(rule)).permitAll();
				}
				else {
					requests.requestMatchers(matcher(rule))
						.hasAuthority(TokenAuthentication.AUTHORITY_PREFIX + rule.scope());
				}
			}
			requests
				.requestMatchers(OPEN_PATHS.stream()
					.map(PathPatternRequestMatcher.withDefaults()::matcher)
					.toArray(RequestMatcher[]::new))
				.permitAll();
			requests.anyRequest().denyAll();
		}).build();
	}

	@Bean
	WebMvcConfigurer organizationArgument(TokenAuthentication tokenAuthentication) {
		return new WebMvcConfigurer() {

			@Override
			public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
				resolvers.add(new OrganizationArgumentResolver(tokenAuthentication));
			}

		};
	}

	/**
	 * Bearer tokens through {@code tokenAuthentication}, problems for 401 and 403, and
	 * 503 while the identity provider cannot be reached.
	 */
	private static HttpSecurity resourceServer(HttpSecurity http, TokenAuthentication tokenAuthentication)
			throws Exception {
		ProblemAuthenticationEntryPoint entryPoint = new ProblemAuthenticationEntryPoint();
		ProblemAccessDeniedHandler accessDenied = new ProblemAccessDeniedHandler();
		return http
			.oauth2ResourceServer(
					(resourceServer) -> resourceServer.jwt((jwt) -> jwt.jwtAuthenticationConverter(tokenAuthentication))
						.authenticationEntryPoint(entryPoint)
						.accessDeniedHandler(accessDenied))
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDenied))
			.addFilterBefore(new IdentityProviderUnavailableFilter(), BearerTokenAuthenticationFilter.class);
	}

	/** Reading the actuator: open; changing anything through it needs a token. */
	private static boolean isRead(HttpServletRequest request) {
		return HttpMethod.GET.matches(request.getMethod()) || HttpMethod.HEAD.matches(request.getMethod());
	}

	private static HttpSecurity stateless(HttpSecurity http) throws Exception {
		return http.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable());
	}

	private static RequestMatcher matcher(ApiScopes.Rule rule) {
		RequestMatcher endpoint = PathPatternRequestMatcher.withDefaults().matcher(rule.method(), rule.path());
		String parameter = rule.parameter();
		String value = rule.value();
		if (parameter == null || value == null) {
			return endpoint;
		}
		return new AndRequestMatcher(endpoint, (request) -> {
			String[] values = request.getParameterValues(parameter);
			return values != null && Stream.of(values).anyMatch((given) -> means(value, given));
		});
	}

	/**
	 * Whether a query value means {@code value} as the controller will read it: for
	 * {@code true}, any spelling Spring binds as {@code true} (or that fails to bind,
	 * which is stricter), i.e. anything but an empty value or a spelling of
	 * {@code false}.
	 */
	static boolean means(String value, String given) {
		String normalized = given.trim().toLowerCase(Locale.ROOT);
		if (value.equals("true")) {
			return !normalized.isEmpty() && !FALSE_SPELLINGS.contains(normalized);
		}
		return normalized.equals(value.toLowerCase(Locale.ROOT));
	}

}
