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

/**
 * {@code GET /customers/{id}/deletion}: which services have revoked what the deleted
 * customer had.
 */
@RestController
class DeletionReceiptController {

	private final DeletionReceipts receipts;

	DeletionReceiptController(DeletionReceipts receipts) {
		this.receipts = receipts;
	}

	@GetMapping("/customers/{id}/deletion")
	DeletionReceipt receipt(@PathVariable UUID id) {
		return this.receipts.of(id);
	}

	@ExceptionHandler
	ProblemDetail notDeleted(CustomerNotDeleted exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, exception.getMessage());
		problem.setTitle("Customer not deleted");
		return problem;
	}

}
