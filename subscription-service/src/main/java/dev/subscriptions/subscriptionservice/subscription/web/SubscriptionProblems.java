package dev.subscriptions.subscriptionservice.subscription.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.subscriptions.subscriptionservice.subscription.CustomerAlreadyDeleted;
import dev.subscriptions.subscriptionservice.subscription.CustomerUnknown;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionNotFound;
import dev.subscriptions.subscriptionservice.subscription.TransitionRefused;

/**
 * The domain's errors as RFC 9457 problems: unknown id 404, a refused transition 409 with
 * the current status, a customer that is unknown or deleted 422 / 409. Asked before the
 * shared advice of the {@code web} module, which answers what every service answers alike
 * (bad input 400 naming the field, database failures, concurrent changes).
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class SubscriptionProblems {

	@ExceptionHandler
	ProblemDetail notFound(SubscriptionNotFound exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, exception.getMessage());
		problem.setTitle("Subscription not found");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail transitionRefused(TransitionRefused exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, exception.getMessage());
		problem.setTitle("Transition not allowed");
		problem.setProperty("currentStatus", exception.status().value());
		problem.setProperty("action", exception.action());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail customerUnknown(CustomerUnknown exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
				exception.getMessage());
		problem.setTitle("Unknown customer");
		problem.setProperty("field", "customerId");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail customerDeleted(CustomerAlreadyDeleted exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, exception.getMessage());
		problem.setTitle("Customer deleted");
		problem.setProperty("field", "customerId");
		return problem;
	}

}
