package dev.subscriptions.benefitservice.benefit.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.subscriptions.benefitservice.benefit.BenefitNotFound;

/**
 * The domain errors of benefits as RFC 9457 problems: unknown id 404 (another
 * organization's id included, in a path or in a product's mapping). Asked before the
 * shared advice of the {@code web} module, which answers everything every service answers
 * alike (bad input 400 naming the field, a live benefit with the same key 409 through
 * {@link BenefitWebConfiguration#benefitKey()}, database failures).
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class BenefitProblems {

	@ExceptionHandler
	ProblemDetail notFound(BenefitNotFound exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, exception.getMessage());
		problem.setTitle("Benefit not found");
		return problem;
	}

}
