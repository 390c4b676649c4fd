package dev.subscriptions.web.security;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request names an organization other than its token's; answered 403.
 */
public class OrganizationMismatch extends ErrorResponseException {

	OrganizationMismatch(UUID claimed) {
		super(HttpStatus.FORBIDDEN, problem(claimed), null);
	}

	private static ProblemDetail problem(UUID claimed) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
				"The request names organization " + claimed + ", but the token acts for another organization");
		problem.setTitle("Organization mismatch");
		return problem;
	}

}
