package dev.subscriptions.customerservice.customer;

import java.util.UUID;

/** No live customer has this id (or it was deleted). */
public class CustomerNotFound extends RuntimeException {

	public CustomerNotFound(UUID id) {
		super("Customer " + id + " not found");
	}

	public CustomerNotFound(String description) {
		super(description);
	}

}
