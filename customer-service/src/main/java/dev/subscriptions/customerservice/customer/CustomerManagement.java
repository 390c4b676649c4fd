package dev.subscriptions.customerservice.customer;

import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The use cases of customers. Each runs in one transaction, in which the customer's
 * events reach the outbox.
 */
@Service
public class CustomerManagement {

	private final Customers customers;

	private final DeletedCustomers deletedCustomers;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	CustomerManagement(Customers customers, DeletedCustomers deletedCustomers, ApplicationEventPublisher events,
			Clock clock) {
		this.customers = customers;
		this.deletedCustomers = deletedCustomers;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Creates a customer; a live customer with the same email or external id makes the
	 * database refuse it.
	 */
	@Transactional
	public Customer create(UUID organizationId, String email, String name, @Nullable String externalId) {
		return this.customers.save(Customer.create(organizationId, email, name, externalId, this.clock));
	}

	/**
	 * A live customer of the organization, or a deleted one too when asked. Another
	 * organization's customer is not found, exactly like an unknown id.
	 */
	@Transactional(readOnly = true)
	public Customer getOfOrganization(UUID organizationId, UUID id, boolean includeDeleted) {
		return (includeDeleted ? this.customers.findByIdAndOrganizationId(id, organizationId)
				: this.customers.findLiveByIdAndOrganizationId(id, organizationId))
			.orElseThrow(() -> new CustomerNotFound(id));
	}

	/**
	 * A customer, live or deleted, of whichever organization: for the service's own work
	 * (a revocation report names only the customer), never for a caller's request.
	 */
	@Transactional(readOnly = true)
	public Customer getOfAnyOrganization(UUID id) {
		return this.customers.findById(id).orElseThrow(() -> new CustomerNotFound(id));
	}

	@Transactional(readOnly = true)
	public Customer getByExternalId(UUID organizationId, String externalId) {
		return this.customers.findLiveByOrganizationIdAndExternalId(organizationId, externalId)
			.orElseThrow(() -> new CustomerNotFound("No customer with external id " + externalId));
	}

	/**
	 * Live customers of an organization, optionally with an email (any case) or an
	 * external id.
	 */
	@Transactional(readOnly = true)
	public Page<Customer> findLive(UUID organizationId, @Nullable String email, @Nullable String externalId,
			Pageable page) {
		return new PageImpl<>(
				this.customers.findLiveByOrganizationId(organizationId, email, externalId, page.getPageSize(),
						page.getOffset()),
				page, this.customers.countLiveByOrganizationId(organizationId, email, externalId));
	}

	/**
	 * Changes what is given (null = leave as is) of a live customer of the organization.
	 */
	@Transactional
	public Customer update(UUID organizationId, UUID id, @Nullable String email, @Nullable String name,
			@Nullable String externalId) {
		Customer customer = this.customers.findByIdAndOrganizationIdForUpdate(id, organizationId)
			.filter(found -> !found.isDeleted())
			.orElseThrow(() -> new CustomerNotFound(id));
		if (name != null) {
			customer.rename(name, this.clock);
		}
		if (email != null) {
			customer.changeEmail(email, this.clock);
		}
		if (externalId != null) {
			customer.assignExternalId(externalId, this.clock);
		}
		return this.customers.save(customer);
	}

	/**
	 * Deletes a customer of the organization. The row is locked first, so that of two
	 * concurrent deletes only one records {@code CustomerDeleted}; deleting a deleted
	 * customer succeeds and records nothing; another organization's customer is not
	 * found.
	 */
	@Transactional
	public void delete(UUID organizationId, UUID id) {
		Customer customer = this.customers.findByIdAndOrganizationIdForUpdate(id, organizationId)
			.orElseThrow(() -> new CustomerNotFound(id));
		if (customer.delete(this.clock)) {
			this.customers.save(customer);
		}
	}

	/**
	 * Deletes customers of the organization together, in one transaction, each as
	 * {@link #delete} deletes one: by {@link Customer#delete}, with its own
	 * {@code CustomerDeleted} and deletion receipt. The rows are locked first, in the
	 * order of their ids; customers already deleted are left as they are. If any id is
	 * not a customer of the organization, none is deleted. Whatever the number of
	 * customers, a few statements: the lock, one update ({@link DeletedCustomers}), and
	 * what those who keep {@link CustomersDeleted} write.
	 * @throws CustomersNotFound naming the ids that are not customers of the organization
	 */
	@Transactional
	public void deleteAll(UUID organizationId, Collection<UUID> ids) {
		UUID[] named = ids.stream().distinct().sorted().toArray(UUID[]::new);
		if (named.length == 0) {
			return;
		}
		List<Customer> found = this.customers.findAllByIdInAndOrganizationIdForUpdate(named, organizationId);
		if (found.size() < named.length) {
			Set<UUID> foundIds = found.stream().map(Customer::getId).collect(Collectors.toSet());
			throw new CustomersNotFound(Arrays.stream(named).filter(id -> !foundIds.contains(id)).toList());
		}
		List<Customer> deleted = found.stream().filter(customer -> customer.delete(this.clock)).toList();
		if (deleted.isEmpty()) {
			return;
		}
		this.deletedCustomers.storeAll(deleted);
		this.events.publishEvent(new CustomersDeleted(deleted.stream()
			.flatMap(customer -> customer.recordedEvents().stream())
			.map(CustomerEvent.Deleted.class::cast)
			.toList()));
	}

}
