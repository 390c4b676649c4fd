package dev.subscriptions.customerservice.deletion;

import java.util.UUID;

/** The customer exists but has not been deleted: there is no deletion to prove. */
public class CustomerNotDeleted extends RuntimeException {

	public CustomerNotDeleted(UUID id) {
		super("Customer " + id + " has not been deleted");
	}

}
