package dev.subscriptions.customerservice.deletion.messaging;

import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.customerservice.deletion.DeletionReports;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;

/**
 * Records the revocation reports of downstream services from {@code customer.revocations}, once each.
 */
@Component
class RevocationReportsListener {

	private static final String CONSUMER = "customer-service";

	private final Inbox inbox;

	private final DeletionReports reports;

	RevocationReportsListener(Inbox inbox, DeletionReports reports) {
		this.inbox = inbox;
		this.reports = reports;
	}

	@KafkaListener(topics = "customer.revocations", groupId = CONSUMER)
	@Transactional
	public void on(ConsumerRecord<String, Object> record) {
		if (record.value() instanceof CustomerRevocationCompleted report
				&& this.inbox.markProcessed(CONSUMER, UUID.fromString(report.getEventId()))) {
			this.reports.record(UUID.fromString(report.getCustomerId()), report.getService(), report.getRevokedCount(),
					report.getCompletedAt(), UUID.fromString(report.getEventId()),
					UUID.fromString(report.getCustomerEventId()));
		}
	}

}
