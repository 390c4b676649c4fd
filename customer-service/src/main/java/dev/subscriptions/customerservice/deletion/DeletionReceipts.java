package dev.subscriptions.customerservice.deletion;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.subscriptions.customerservice.CustomerServiceSettings;
import dev.subscriptions.customerservice.customer.Customer;
import dev.subscriptions.customerservice.customer.CustomerManagement;

/**
 * Builds deletion receipts from the reports, against the configured list of services that
 * must report. A report counts when it answers the customer's {@code CustomerDeleted}
 * (its {@code customer_event_id} is that event's id); the clocks of the reporting
 * services play no part. A customer deleted before its deletion event id was kept has one
 * deletion only (ids are not reused), so every report of it counts.
 */
@Service
public class DeletionReceipts {

	private final CustomerManagement customers;

	private final DeletionReports reports;

	private final List<String> requiredServices;

	DeletionReceipts(CustomerManagement customers, DeletionReports reports, CustomerServiceSettings settings) {
		this.customers = customers;
		this.reports = reports;
		this.requiredServices = settings.deletion().requiredServices();
	}

	/**
	 * The receipt of a deleted customer of the organization; another organization's
	 * customer is not found, exactly like an unknown id.
	 */
	@Transactional(readOnly = true)
	public DeletionReceipt ofOrganization(UUID organizationId, UUID customerId) {
		return of(this.customers.getOfOrganization(organizationId, customerId, true));
	}

	/**
	 * The receipt of a deleted customer of whichever organization: for the service's own
	 * work (a report names only the customer), never for a caller's request.
	 */
	@Transactional(readOnly = true)
	public DeletionReceipt ofAnyOrganization(UUID customerId) {
		return of(this.customers.getOfAnyOrganization(customerId));
	}

	private DeletionReceipt of(Customer customer) {
		UUID customerId = customer.getId();
		if (!customer.isDeleted()) {
			throw new CustomerNotDeleted(customerId);
		}
		List<DeletionReports.Report> received = this.reports.of(customerId)
			.stream()
			.filter(report -> answers(report, customer))
			.toList();
		Set<String> reported = received.stream().map(DeletionReports.Report::service).collect(Collectors.toSet());
		List<String> pending = this.requiredServices.stream().filter(service -> !reported.contains(service)).toList();
		return new DeletionReceipt(customerId, customer.getDeletedAt(), customer.getDeletionEventId(), received,
				pending, pending.isEmpty());
	}

	private static boolean answers(DeletionReports.Report report, Customer customer) {
		return customer.getDeletionEventId() == null || customer.getDeletionEventId().equals(report.customerEventId());
	}

}
