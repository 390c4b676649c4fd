package dev.subscriptions.customerservice.deletion.messaging;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.customerservice.deletion.DeletionCompletions;
import dev.subscriptions.customerservice.deletion.DeletionReport;
import dev.subscriptions.customerservice.deletion.DeletionReports;
import dev.subscriptions.eventing.consumer.UnhandledRecords;
import dev.subscriptions.eventing.inbox.Inbox;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.schemas.Topic;

/**
 * Records the revocation reports of downstream services from
 * {@code customer.revocations}, once each: the inbox entry, the report and, when it
 * completes the deletion receipt, that completion ({@link DeletionCompletions}) commit in
 * one transaction.
 */
@Component
@KafkaListener(topics = Topic.Names.CUSTOMER_REVOCATIONS, groupId = RevocationReportsListener.GROUP)
class RevocationReportsListener {

	static final String GROUP = "customer-service";

	private final Inbox inbox;

	private final DeletionReports reports;

	private final DeletionCompletions completions;

	private final RevocationReportMapper mapper;

	private final UnhandledRecords unhandled;

	RevocationReportsListener(Inbox inbox, DeletionReports reports, DeletionCompletions completions,
			RevocationReportMapper mapper, UnhandledRecords unhandled) {
		this.inbox = inbox;
		this.reports = reports;
		this.completions = completions;
		this.mapper = mapper;
		this.unhandled = unhandled;
	}

	@KafkaHandler
	@Transactional
	public void on(CustomerRevocationCompleted completed) {
		DeletionReport report = this.mapper.toReport(completed);
		if (this.inbox.markProcessed(GROUP, report.reportId())) {
			this.reports.recordAll(List.of(report));
			this.completions.completeIfReported(List.of(report.customerId()));
		}
	}

	/**
	 * A record of a type this listener does not know (a newer publisher's), or one
	 * without value (a tombstone): counted and skipped.
	 */
	@KafkaHandler(isDefault = true)
	public void unhandled(@Payload(required = false) @Nullable Object value,
			@Header(KafkaHeaders.RECEIVED_TOPIC) String topic) {
		this.unhandled.skip(GROUP, topic, value);
	}

}
