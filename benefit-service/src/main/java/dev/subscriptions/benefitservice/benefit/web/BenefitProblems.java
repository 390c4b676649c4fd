package dev.subscriptions.benefitservice.benefit.web;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.subscriptions.benefitservice.benefit.BenefitNotFound;

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

}
