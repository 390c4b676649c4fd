package dev.subscriptions.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The shared {@link SharedProblems} advice of a servlet web service. Configured before
 * Spring Boot's web MVC configuration, whose own {@code ProblemDetailsExceptionHandler}
 * then backs off.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(ResponseEntityExceptionHandler.class)
public class SharedProblemsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SharedProblems sharedProblems(ObjectProvider<UniqueConstraint> constraints) {
		return new SharedProblems(constraints.orderedStream().toList());
	}

}
