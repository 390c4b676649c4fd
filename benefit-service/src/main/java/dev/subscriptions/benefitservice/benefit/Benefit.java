package dev.subscriptions.benefitservice.benefit;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * Something a product gives its subscribers: a feature flag, a license key, downloads, a
 * community role. Its key is unique among the organization's live benefits; deleting it
 * is a soft delete that frees the key.
 */
@Table("benefit")
public class Benefit {

	@Id
	private final UUID id;

	private final UUID organizationId;

	private final BenefitType type;

	private final String key;

	private @Nullable String description;

	private String properties;

	private final Instant createdAt;

	private Instant modifiedAt;

	private @Nullable Instant deletedAt;

	@Version
	private @Nullable Long version;

	@PersistenceCreator
	Benefit(UUID id, UUID organizationId, BenefitType type, String key, @Nullable String description, String properties,
			Instant createdAt, Instant modifiedAt, @Nullable Instant deletedAt, @Nullable Long version) {
		this.id = id;
		this.organizationId = organizationId;
		this.type = type;
		this.key = key;
		this.description = description;
		this.properties = properties;
		this.createdAt = createdAt;
		this.modifiedAt = modifiedAt;
		this.deletedAt = deletedAt;
		this.version = version;
	}

	/** A new benefit; {@code properties} is a JSON object. */
	public static Benefit create(UUID organizationId, BenefitType type, String key, @Nullable String description,
			@Nullable String properties, Clock clock) {
		Instant now = clock.instant();
		return new Benefit(UUID.randomUUID(), organizationId, type, key.trim(), description,
				(properties != null) ? properties : "{}", now, now, null, null);
	}

	/** Changes what is given (null = leave as is). */
	public void describe(@Nullable String description, @Nullable String properties, Clock clock) {
		if (isDeleted()) {
			throw new BenefitNotFound(this.id);
		}
		if (description != null) {
			this.description = description;
		}
		if (properties != null) {
			this.properties = properties;
		}
		this.modifiedAt = clock.instant();
	}

	/**
	 * Deletes the benefit (soft delete). Deleting a deleted benefit changes nothing.
	 * @return whether this call deleted it
	 */
	public boolean delete(Clock clock) {
		if (isDeleted()) {
			return false;
		}
		this.deletedAt = clock.instant();
		this.modifiedAt = this.deletedAt;
		return true;
	}

	public boolean isDeleted() {
		return this.deletedAt != null;
	}

	public UUID getId() {
		return this.id;
	}

	public UUID getOrganizationId() {
		return this.organizationId;
	}

	public BenefitType getType() {
		return this.type;
	}

	public String getKey() {
		return this.key;
	}

	public @Nullable String getDescription() {
		return this.description;
	}

	public String getProperties() {
		return this.properties;
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

}
