package dev.subscriptions.customerservice.customer;

import java.util.List;
import java.util.UUID;

/**
 * Some of the customers a request names are not customers of its organization: unknown
 * ids, or another organization's customers.
 */
public class CustomersNotFound extends RuntimeException {

	private final List<UUID> ids;

	public CustomersNotFound(List<UUID> ids) {
		super(ids.size() + " of the customers named are not found: " + ids);
		this.ids = List.copyOf(ids);
	}

	/** The ids not found, in the order of their ids. */
	public List<UUID> ids() {
		return this.ids;
	}

}
