package dev.subscriptions.customerservice.customer;

import java.util.List;

/**
 * Customers deleted together, in one transaction ({@link CustomerManagement#deleteAll}):
 * the {@link CustomerEvent.Deleted} each deletion recorded, published as one application
 * event so that those who keep them (the outbox, the deletion receipts) write them
 * set-wise. A single deletion publishes its {@link CustomerEvent.Deleted} alone.
 *
 * @param deletions the deletions, in the order of the customers' ids
 */
public record CustomersDeleted(List<CustomerEvent.Deleted> deletions) {

	public CustomersDeleted {
		deletions = List.copyOf(deletions);
	}

}
