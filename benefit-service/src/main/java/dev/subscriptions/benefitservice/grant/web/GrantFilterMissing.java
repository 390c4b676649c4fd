package dev.subscriptions.benefitservice.grant.web;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.subscriptions.web.InvalidField;
import dev.subscriptions.web.SharedProblems;

/**
 * Grants were asked for without saying whose: a customer, a subscription or both. 400
 * naming both parameters.
 */
class GrantFilterMissing extends ErrorResponseException {

	private static final String MESSAGE = "customerId or subscriptionId is required";

	GrantFilterMissing() {
		super(HttpStatus.BAD_REQUEST, problem(), null);
	}

	private static ProblemDetail problem() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, MESSAGE);
		problem.setTitle("Invalid request");
		problem.setProperty(SharedProblems.ERRORS,
				List.of(new InvalidField("customerId", MESSAGE), new InvalidField("subscriptionId", MESSAGE)));
		return problem;
	}

}
