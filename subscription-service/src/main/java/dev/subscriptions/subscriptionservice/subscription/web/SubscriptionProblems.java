package dev.subscriptions.subscriptionservice.subscription.web;

import java.sql.SQLException;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.subscriptions.subscriptionservice.subscription.CustomerAlreadyDeleted;
import dev.subscriptions.subscriptionservice.subscription.CustomerUnknown;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionNotFound;
import dev.subscriptions.subscriptionservice.subscription.TransitionRefused;

/**
 * Every error of the API as an RFC 9457 problem: unknown id 404, a refused transition 409 with the current status,
 * a customer that is unknown or deleted 422 / 409, bad input 400.
 */
@RestControllerAdvice
class SubscriptionProblems extends ResponseEntityExceptionHandler {

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

	@ExceptionHandler
	ProblemDetail invalidValue(IllegalArgumentException exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, exception.getMessage());
		problem.setTitle("Invalid value");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail concurrentChange(OptimisticLockingFailureException exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"The subscription was changed by another request; read it again and retry");
		problem.setTitle("Concurrent change");
		return problem;
	}

	/**
	 * What the database refuses as data (SQLSTATE class 22, e.g. a NUL character in a text) is bad input: 400. Any
	 * other database failure is still answered as a problem: 503 while the database is unreachable, otherwise 500.
	 */
	@ExceptionHandler
	ProblemDetail databaseFailure(DataAccessException exception) {
		String sqlState = null;
		for (Throwable cause = exception; cause != null && sqlState == null; cause = cause.getCause()) {
			sqlState = (cause instanceof SQLException sql) ? sql.getSQLState() : null;
		}
		if (sqlState != null && sqlState.startsWith("22")) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"A value cannot be stored (SQLSTATE " + sqlState + "), e.g. it contains a NUL character");
			problem.setTitle("Invalid value");
			return problem;
		}
		boolean unavailable = exception instanceof TransientDataAccessException
				|| exception instanceof DataAccessResourceFailureException;
		logger.error("Database failure", exception);
		ProblemDetail problem = ProblemDetail.forStatus(
				unavailable ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.INTERNAL_SERVER_ERROR);
		problem.setTitle(unavailable ? "Database unavailable" : "Internal error");
		return problem;
	}

}
