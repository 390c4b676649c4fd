package dev.subscriptions.benefitservice.grant;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A customer's access to one benefit through one subscription. Live until revoked; while
 * suspended it gives no access. Every method is idempotent: asking for the state it is in
 * changes nothing.
 */
@Table("benefit_grant")
public class BenefitGrant {

	@Id
	private final UUID id;

	private final UUID organizationId;

	private final UUID customerId;

	private final UUID subscriptionId;

	private final UUID benefitId;

	private final Instant grantedAt;

	private @Nullable Instant suspendedAt;

	private @Nullable Instant revokedAt;

	/** The {@link RevocationReason#value()} as stored. */
	private @Nullable String revocationReason;

	@Version
	private @Nullable Long version;

	@PersistenceCreator
	BenefitGrant(UUID id, UUID organizationId, UUID customerId, UUID subscriptionId, UUID benefitId, Instant grantedAt,
			@Nullable Instant suspendedAt, @Nullable Instant revokedAt, @Nullable String revocationReason,
			@Nullable Long version) {
		this.id = id;
		this.organizationId = organizationId;
		this.customerId = customerId;
		this.subscriptionId = subscriptionId;
		this.benefitId = benefitId;
		this.grantedAt = grantedAt;
		this.suspendedAt = suspendedAt;
		this.revokedAt = revokedAt;
		this.revocationReason = revocationReason;
		this.version = version;
	}

	/** A new, active grant. */
	public static BenefitGrant grant(UUID organizationId, UUID customerId, UUID subscriptionId, UUID benefitId,
			Clock clock) {
		return new BenefitGrant(UUID.randomUUID(), organizationId, customerId, subscriptionId, benefitId,
				clock.instant(), null, null, null, null);
	}

	/**
	 * @return whether this call suspended it
	 */
	public boolean suspend(Clock clock) {
		if (isRevoked() || isSuspended()) {
			return false;
		}
		this.suspendedAt = clock.instant();
		return true;
	}

	/**
	 * @return whether this call restored it
	 */
	public boolean restore() {
		if (isRevoked() || !isSuspended()) {
			return false;
		}
		this.suspendedAt = null;
		return true;
	}

	/** Ends the grant for good. @return whether this call revoked it */
	public boolean revoke(RevocationReason reason, Clock clock) {
		if (isRevoked()) {
			return false;
		}
		this.revokedAt = clock.instant();
		this.revocationReason = reason.value();
		return true;
	}

	public boolean isRevoked() {
		return this.revokedAt != null;
	}

	public boolean isSuspended() {
		return this.suspendedAt != null;
	}

	public GrantState state() {
		return isRevoked() ? GrantState.REVOKED : (isSuspended() ? GrantState.SUSPENDED : GrantState.ACTIVE);
	}

	public UUID getId() {
		return this.id;
	}

	public UUID getOrganizationId() {
		return this.organizationId;
	}

	public UUID getCustomerId() {
		return this.customerId;
	}

	public UUID getSubscriptionId() {
		return this.subscriptionId;
	}

	public UUID getBenefitId() {
		return this.benefitId;
	}

	public Instant getGrantedAt() {
		return this.grantedAt;
	}

	public @Nullable Instant getSuspendedAt() {
		return this.suspendedAt;
	}

	public @Nullable Instant getRevokedAt() {
		return this.revokedAt;
	}

	public @Nullable RevocationReason getRevocationReason() {
		return (this.revocationReason != null) ? RevocationReason.of(this.revocationReason) : null;
	}

}
