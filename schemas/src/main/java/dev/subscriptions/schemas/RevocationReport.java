package dev.subscriptions.schemas;

import java.time.Instant;
import java.util.UUID;

import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;

/**
 * The one way to answer a {@link CustomerDeleted}: the report a service publishes to
 * {@link Topic#CUSTOMER_REVOCATIONS} once it has revoked what the deleted customer had
 * there. customer-service pairs it with the deletion by {@code customer_event_id}.
 */
public final class RevocationReport {

	private RevocationReport() {
	}

	/**
	 * The report of {@code service} on {@code deleted}, keyed like it (customer id).
	 * @param revokedCount how many of the customer's things the deletion revoked in that
	 * service
	 */
	public static CustomerRevocationCompleted completed(CustomerDeleted deleted, String service, long revokedCount,
			Instant completedAt) {
		return CustomerRevocationCompleted.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(completedAt)
			.setOrganizationId(deleted.getOrganizationId())
			.setCustomerId(deleted.getCustomerId())
			.setService(service)
			.setRevokedCount(Math.toIntExact(revokedCount))
			.setCompletedAt(completedAt)
			.setCustomerEventId(deleted.getEventId())
			.build();
	}

}
