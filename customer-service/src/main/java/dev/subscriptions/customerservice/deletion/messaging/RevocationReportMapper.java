package dev.subscriptions.customerservice.deletion.messaging;

import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.subscriptions.customerservice.deletion.DeletionReport;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;

/**
 * The one place that turns the Avro records of {@code customer.revocations} into the
 * deletion's domain values.
 */
@Component
class RevocationReportMapper {

	DeletionReport toReport(CustomerRevocationCompleted completed) {
		return new DeletionReport(UUID.fromString(completed.getEventId()), UUID.fromString(completed.getCustomerId()),
				completed.getService(), completed.getRevokedCount(), completed.getCompletedAt(),
				UUID.fromString(completed.getCustomerEventId()));
	}

}
