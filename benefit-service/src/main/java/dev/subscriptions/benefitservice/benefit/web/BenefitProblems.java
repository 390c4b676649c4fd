package dev.subscriptions.benefitservice.benefit.web;

import java.sql.SQLException;

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

import dev.subscriptions.benefitservice.benefit.BenefitNotFound;
import dev.subscriptions.benefitservice.benefit.BenefitsOfSeveralOrganizations;

/**
 * Every error of the API as an RFC 9457 problem: unknown id 404, a live benefit with the same key 409 naming the
 * field, bad input 400.
 */
@RestControllerAdvice
class BenefitProblems extends ResponseEntityExceptionHandler {

	@ExceptionHandler
	ProblemDetail notFound(BenefitNotFound exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, exception.getMessage());
		problem.setTitle("Benefit not found");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail severalOrganizations(BenefitsOfSeveralOrganizations exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
				exception.getMessage());
		problem.setTitle("Benefits of several organizations");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail duplicate(DuplicateKeyException exception) {
		boolean key = String.valueOf(exception.getMessage()).contains("benefit_key_live_key");
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				key ? "A live benefit of this organization already has this key" : "Conflicts with an existing row");
		problem.setTitle("Benefit already exists");
		if (key) {
			problem.setProperty("field", "key");
		}
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
				"Changed by another request; read it again and retry");
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
