package dev.subscriptions.customerservice.deletion;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Proof that a customer's deletion reached every service that must act on it.
 *
 * @param deletionEventId the event id of the customer's {@code CustomerDeleted}, which
 * each counted report answers
 * @param services one entry per service that reported
 * @param pending required services that have not reported yet
 * @param complete whether every required service has reported
 */
public record DeletionReceipt(UUID customerId, Instant deletedAt, @Nullable UUID deletionEventId,
		List<DeletionReports.Report> services, List<String> pending, boolean complete) {
}
