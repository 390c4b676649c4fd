package dev.subscriptions.benefitservice.grant;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/**
 * All grants. "Live" means not revoked (possibly suspended).
 */
public interface Grants extends ListCrudRepository<BenefitGrant, UUID> {

	@Query("select * from benefit_grant where subscription_id = :subscriptionId and revoked_at is null for update")
	List<BenefitGrant> findLiveBySubscriptionIdForUpdate(UUID subscriptionId);

	@Query("select * from benefit_grant where customer_id = :customerId and revoked_at is null for update")
	List<BenefitGrant> findLiveByCustomerIdForUpdate(UUID customerId);

	@Query("select * from benefit_grant where benefit_id = :benefitId and revoked_at is null for update")
	List<BenefitGrant> findLiveByBenefitIdForUpdate(UUID benefitId);

	/**
	 * The organization's grants of a customer and/or subscription, in a state (a
	 * {@link GrantState#value()}) or any.
	 */
	@Query("""
			select * from benefit_grant
			where organization_id = :organizationId
			  and (cast(:customerId as uuid) is null or customer_id = cast(:customerId as uuid))
			  and (cast(:subscriptionId as uuid) is null or subscription_id = cast(:subscriptionId as uuid))
			  and (cast(:state as varchar) is null
			       or (:state = 'revoked' and revoked_at is not null)
			       or (:state = 'suspended' and revoked_at is null and suspended_at is not null)
			       or (:state = 'active' and revoked_at is null and suspended_at is null))
			order by granted_at, id
			limit 1000""")
	List<BenefitGrant> findByOrganizationId(UUID organizationId, @Nullable UUID customerId,
			@Nullable UUID subscriptionId, @Nullable String state);

}
