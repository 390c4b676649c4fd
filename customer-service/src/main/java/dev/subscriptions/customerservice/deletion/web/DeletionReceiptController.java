package dev.subscriptions.customerservice.deletion.web;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.subscriptions.customerservice.deletion.CustomerNotDeleted;
import dev.subscriptions.customerservice.deletion.DeletionReceipt;
import dev.subscriptions.customerservice.deletion.DeletionReceipts;
import dev.subscriptions.web.security.Organization;

/**
 * {@code GET /customers/{id}/deletion}: which services have revoked what the deleted
 * customer had. A receipt shows no personal data, so reading it needs no more than
 * reading customers; another organization's customer has none (404).
 */
@RestController
class DeletionReceiptController {

	private final DeletionReceipts receipts;

	DeletionReceiptController(DeletionReceipts receipts) {
		this.receipts = receipts;
	}

	@GetMapping("/customers/{id:[0-9a-fA-F-]+}/deletion")
	DeletionReceipt receipt(Organization organization, @PathVariable UUID id) {
		return this.receipts.ofOrganization(organization.id(), id);
	}

	@ExceptionHandler
	ProblemDetail notDeleted(CustomerNotDeleted exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, exception.getMessage());
		problem.setTitle("Customer not deleted");
		return problem;
	}

}
