package dev.subscriptions.customerservice.customer;

import java.time.Clock;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

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

	private final Clock clock;

	CustomerManagement(Customers customers, Clock clock) {
		this.customers = customers;
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

	/** A live customer, or a deleted one too when asked. */
	@Transactional(readOnly = true)
	public Customer get(UUID id, boolean includeDeleted) {
		return (includeDeleted ? this.customers.findById(id) : this.customers.findLiveById(id))
			.orElseThrow(() -> new CustomerNotFound(id));
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

	/** Changes what is given (null = leave as is). */
	@Transactional
	public Customer update(UUID id, @Nullable String email, @Nullable String name, @Nullable String externalId) {
		Customer customer = this.customers.findByIdForUpdate(id)
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
	 * Deletes a customer. The row is locked first, so that of two concurrent deletes only
	 * one records {@code CustomerDeleted}; deleting a deleted customer succeeds and
	 * records nothing.
	 */
	@Transactional
	public void delete(UUID id) {
		Customer customer = this.customers.findByIdForUpdate(id).orElseThrow(() -> new CustomerNotFound(id));
		if (customer.delete(this.clock)) {
			this.customers.save(customer);
		}
	}

}
