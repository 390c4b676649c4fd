package dev.subscriptions.customerservice.deletion.messaging;

import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.subscriptions.customerservice.deletion.DeletionCompletions;
import dev.subscriptions.customerservice.deletion.DeletionReport;
import dev.subscriptions.customerservice.deletion.DeletionReports;
import dev.subscriptions.eventing.consumer.BatchDispatcher;
import dev.subscriptions.eventing.consumer.BatchHandling;
import dev.subscriptions.eventing.consumer.CoveredBatchListener;
import dev.subscriptions.eventing.consumer.Delivery;
import dev.subscriptions.eventing.consumer.EventingBatchListeners;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.schemas.Topic;

/**
 * Records the revocation reports of downstream services from
 * {@code customer.revocations}, a poll at a time, each report once: the inbox entries,
 * the reports and the completions of the deletion receipts they complete
 * ({@link DeletionCompletions}) commit in one transaction ({@link BatchHandling}). A wave
 * of reports of distinct customers costs three statements besides the inbox's: one upsert
 * of the reports, one lock of the customers' incomplete deletions, one update of those
 * now complete. Records without value and of types this listener does not know are
 * counted and skipped by {@link BatchHandling}.
 */
@Component
class RevocationReportsListener implements CoveredBatchListener {

	static final String GROUP = "customer-service";

	private final BatchDispatcher dispatcher = BatchDispatcher.forConsumer(GROUP)
		.on(CustomerRevocationCompleted.class, completed -> UUID.fromString(completed.getEventId()), this::reported)
		.build();

	private final BatchHandling batches;

	private final DeletionReports reports;

	private final DeletionCompletions completions;

	private final RevocationReportMapper mapper;

	RevocationReportsListener(BatchHandling batches, DeletionReports reports, DeletionCompletions completions,
			RevocationReportMapper mapper) {
		this.batches = batches;
		this.reports = reports;
		this.completions = completions;
		this.mapper = mapper;
	}

	@KafkaListener(topics = Topic.Names.CUSTOMER_REVOCATIONS, groupId = GROUP,
			containerFactory = EventingBatchListeners.FACTORY, batch = "true")
	void on(List<ConsumerRecord<String, Object>> records) {
		this.batches.handle(records, this.dispatcher);
	}

	@Override
	public BatchDispatcher dispatcher() {
		return this.dispatcher;
	}

	/** New reports of distinct customers, inside the batch's transaction. */
	private void reported(List<Delivery<CustomerRevocationCompleted>> deliveries) {
		List<DeletionReport> received = deliveries.stream()
			.map(delivery -> this.mapper.toReport(delivery.event()))
			.toList();
		this.reports.recordAll(received);
		this.completions.completeIfReported(received.stream().map(DeletionReport::customerId).toList());
	}

}
