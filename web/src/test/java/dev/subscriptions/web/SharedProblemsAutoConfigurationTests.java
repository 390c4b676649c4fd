package dev.subscriptions.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The shared advice is the servlet web application's only
 * {@link ResponseEntityExceptionHandler}, also where Spring Boot would add its own, and
 * is absent elsewhere.
 */
class SharedProblemsAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations
		.of(SharedProblemsAutoConfiguration.class, WebMvcAutoConfiguration.class);

	@Test
	void replacesSpringBootsProblemDetailsHandlerInAServletWebApplication() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("spring.mvc.problemdetails.enabled=true")
			.withBean("someConstraint", UniqueConstraint.class,
					() -> new UniqueConstraint("thing_key", "key", "Thing exists", "A thing has this key"))
			.run(context -> assertThat(context).getBeans(ResponseEntityExceptionHandler.class)
				.containsOnlyKeys("sharedProblems"));
	}

	@Test
	void staysAwayFromAnApplicationThatIsNoServletWebApplication() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.run(context -> assertThat(context).doesNotHaveBean(SharedProblems.class));
	}

}
