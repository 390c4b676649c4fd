package dev.subscriptions.customerservice.customer.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.subscriptions.customerservice.customer.CustomerNotFound;
import dev.subscriptions.customerservice.customer.CustomersNotFound;
import dev.subscriptions.customerservice.customer.ExternalIdAlreadyAssigned;

/**
 * The domain's refusals as RFC 9457 problems. Asked before the shared advice of the
 * {@code web} module, which answers everything every service shares: bad requests (naming
 * each wrong field), database failures, concurrent changes and unique violations
 * (described by {@link CustomerConstraints}).
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class CustomerProblems {

	@ExceptionHandler
	ProblemDetail customerNotFound(CustomerNotFound exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, exception.getMessage());
		problem.setTitle("Customer not found");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail customersNotFound(CustomersNotFound exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, exception.getMessage());
		problem.setTitle("Customers not found");
		problem.setProperty("customerIds", exception.ids());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail externalIdAlreadyAssigned(ExternalIdAlreadyAssigned exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, exception.getMessage());
		problem.setTitle("External id cannot change");
		problem.setProperty("field", "externalId");
		problem.setProperty("externalId", exception.externalId());
		return problem;
	}

}
