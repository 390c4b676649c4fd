package dev.subscriptions.customerservice.customer;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.domain.AbstractAggregateRoot;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A customer of an organization. Deleting one is a soft delete: the row stays, with
 * {@code deletedAt}, and its email and external id become free for a new customer.
 */
@Table("customer")
public class Customer extends AbstractAggregateRoot<Customer> {

	@Id
	private final UUID id;

	private final UUID organizationId;

	private String email;

	private String name;

	private @Nullable String externalId;

	private final Instant createdAt;

	private Instant modifiedAt;

	private @Nullable Instant deletedAt;

	private @Nullable UUID deletionEventId;

	@Version
	private @Nullable Long version;

	@PersistenceCreator
	Customer(UUID id, UUID organizationId, String email, String name, @Nullable String externalId, Instant createdAt,
			Instant modifiedAt, @Nullable Instant deletedAt, @Nullable UUID deletionEventId, @Nullable Long version) {
		this.id = id;
		this.organizationId = organizationId;
		this.email = email;
		this.name = name;
		this.externalId = externalId;
		this.createdAt = createdAt;
		this.modifiedAt = modifiedAt;
		this.deletedAt = deletedAt;
		this.deletionEventId = deletionEventId;
		this.version = version;
	}

	/** A new customer; records {@link CustomerEvent.Created}. */
	public static Customer create(UUID organizationId, String email, String name, @Nullable String externalId,
			Clock clock) {
		Instant now = clock.instant();
		Customer customer = new Customer(UUID.randomUUID(), organizationId, email.trim(), name.trim(),
				(externalId != null) ? externalId.trim() : null, now, now, null, null, null);
		customer.registerEvent(new CustomerEvent.Created(UUID.randomUUID(), now, customer.id, organizationId,
				customer.email, customer.name, customer.externalId));
		return customer;
	}

	/** Gives the customer a new name. */
	public void rename(String name, Clock clock) {
		requireLive();
		this.name = name.trim();
		this.modifiedAt = clock.instant();
	}

	/**
	 * Gives the customer a new email; uniqueness among live customers is the database's
	 * to enforce.
	 */
	public void changeEmail(String email, Clock clock) {
		requireLive();
		this.email = email.trim();
		this.modifiedAt = clock.instant();
	}

	/**
	 * Sets the external id. It may be set once; setting the same value again changes
	 * nothing.
	 * @throws ExternalIdAlreadyAssigned when it is set to another value
	 */
	public void assignExternalId(String externalId, Clock clock) {
		requireLive();
		String assigned = externalId.trim();
		if (Objects.equals(this.externalId, assigned)) {
			return;
		}
		if (this.externalId != null) {
			throw new ExternalIdAlreadyAssigned(this.id, this.externalId);
		}
		this.externalId = assigned;
		this.modifiedAt = clock.instant();
	}

	/**
	 * Deletes the customer (soft delete) and records {@link CustomerEvent.Deleted},
	 * keeping that event's id: the revocation reports of other services name it, and the
	 * deletion receipt pairs them with this deletion by it. Deleting a deleted customer
	 * changes nothing and records nothing.
	 * @return whether this call deleted the customer
	 */
	public boolean delete(Clock clock) {
		if (isDeleted()) {
			return false;
		}
		Instant now = clock.instant();
		this.deletedAt = now;
		this.modifiedAt = now;
		this.deletionEventId = UUID.randomUUID();
		registerEvent(new CustomerEvent.Deleted(this.deletionEventId, now, this.id, this.organizationId, now));
		return true;
	}

	/** The events recorded and not yet published (Spring Data publishes them on save). */
	List<CustomerEvent> recordedEvents() {
		return domainEvents().stream().map(CustomerEvent.class::cast).toList();
	}

	public boolean isDeleted() {
		return this.deletedAt != null;
	}

	private void requireLive() {
		if (isDeleted()) {
			throw new CustomerNotFound(this.id);
		}
	}

	public UUID getId() {
		return this.id;
	}

	public UUID getOrganizationId() {
		return this.organizationId;
	}

	public String getEmail() {
		return this.email;
	}

	public String getName() {
		return this.name;
	}

	public @Nullable String getExternalId() {
		return this.externalId;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public Instant getModifiedAt() {
		return this.modifiedAt;
	}

	public @Nullable Instant getDeletedAt() {
		return this.deletedAt;
	}

	/**
	 * The event id of the customer's {@code CustomerDeleted}; null while live, and for
	 * deletions before it was kept.
	 */
	public @Nullable UUID getDeletionEventId() {
		return this.deletionEventId;
	}

	public @Nullable Long getVersion() {
		return this.version;
	}

}
