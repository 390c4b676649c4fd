package dev.subscriptions.customerservice.deletion;

import java.time.Instant;
import java.util.UUID;

/**
 * A downstream service's report that it revoked what a deleted customer had with it.
 *
 * @param reportId the id of the report (its event id), by which it is handled once
 * @param service the reporting service, e.g. {@code subscription}
 * @param revokedCount how many things the deletion revoked there
 * @param completedAt when the service completed, by its own clock
 * @param customerEventId the event id of the {@code CustomerDeleted} the report answers
 */
public record DeletionReport(UUID reportId, UUID customerId, String service, int revokedCount, Instant completedAt,
		UUID customerEventId) {
}
