package dev.subscriptions.subscriptionservice.subscription.webhook;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Refused webhook deliveries as RFC 9457 problems (401, 404, 400, 413), asked before the
 * shared advice of the {@code web} module.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class WebhookProblems {

	@ExceptionHandler
	ProblemDetail refused(WebhookRefused exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(exception.status(), exception.getMessage());
		problem.setTitle(exception.title());
		return problem;
	}

}
