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

	@Query("select * from benefit_grant where benefit_id = :benefitId and revoked_at is null for update")
	List<BenefitGrant> findLiveByBenefitIdForUpdate(UUID benefitId);

	/**
	 * The organization's grants of a customer, oldest first, in a state (a
	 * {@link GrantState#value()}) or any. The customer is the only selective filter and a
	 * plain one, so every plan of it (a generic one too) reads
	 * {@code benefit_grant_customer_idx} in its order.
	 */
	@Query(OF_CUSTOMER)
	List<BenefitGrant> findByOrganizationIdAndCustomerId(UUID organizationId, UUID customerId, @Nullable String state);

	/**
	 * The organization's grants of a subscription, oldest first, in a state or any; read
	 * through {@code benefit_grant_subscription_idx}.
	 */
	@Query(OF_SUBSCRIPTION)
	List<BenefitGrant> findByOrganizationIdAndSubscriptionId(UUID organizationId, UUID subscriptionId,
			@Nullable String state);

	/** The query of {@link #findByOrganizationIdAndCustomerId}. */
	String OF_CUSTOMER = """
			select * from benefit_grant
			where customer_id = :customerId and organization_id = :organizationId
			""" + Grants.IN_STATE;

	/** The query of {@link #findByOrganizationIdAndSubscriptionId}. */
	String OF_SUBSCRIPTION = """
			select * from benefit_grant
			where subscription_id = :subscriptionId and organization_id = :organizationId
			""" + Grants.IN_STATE;

	/**
	 * The state filter and the order of both lists; it filters the rows the index found,
	 * so its {@code is null} test does not keep a plan from the index.
	 */
	String IN_STATE = """
			  and (cast(:state as varchar) is null
			       or (:state = 'revoked' and revoked_at is not null)
			       or (:state = 'suspended' and revoked_at is null and suspended_at is not null)
			       or (:state = 'active' and revoked_at is null and suspended_at is null))
			order by granted_at, id
			limit 1000""";

}
