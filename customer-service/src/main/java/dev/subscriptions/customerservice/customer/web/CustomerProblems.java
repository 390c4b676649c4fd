package dev.subscriptions.customerservice.customer.web;

import java.sql.SQLException;
import java.util.Map;

import org.postgresql.util.PSQLException;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.subscriptions.customerservice.customer.CustomerNotFound;
import dev.subscriptions.customerservice.customer.ExternalIdAlreadyAssigned;

/**
 * Every error of the API as an RFC 9457 problem. Spring's own exceptions (malformed JSON, invalid values, missing
 * parameters) are 400 through {@link ResponseEntityExceptionHandler}; a unique index is mapped by its name to 409 with
 * the field it guards.
 */
@RestControllerAdvice
class CustomerProblems extends ResponseEntityExceptionHandler {

	private static final Map<String, String> FIELDS_BY_UNIQUE_INDEX = Map.of("customer_email_live_key", "email",
			"customer_external_id_live_key", "externalId");

	@ExceptionHandler
	ProblemDetail customerNotFound(CustomerNotFound exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, exception.getMessage());
		problem.setTitle("Customer not found");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail duplicate(DuplicateKeyException exception) {
		String index = constraintName(exception);
		String field = FIELDS_BY_UNIQUE_INDEX.get(index);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				(field != null) ? "A live customer of this organization already has this " + field
						: "A live customer conflicts with this one");
		problem.setTitle("Customer already exists");
		if (field != null) {
			problem.setProperty("field", field);
		}
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

	@ExceptionHandler
	ProblemDetail concurrentChange(OptimisticLockingFailureException exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"The customer was changed by another request; read it again and retry");
		problem.setTitle("Concurrent change");
		return problem;
	}

	private static String constraintName(Throwable exception) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof PSQLException postgres && postgres.getServerErrorMessage() != null) {
				return postgres.getServerErrorMessage().getConstraint();
			}
		}
		return null;
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
