package dev.subscriptions.subscriptionservice.subscription;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/**
 * All subscriptions. "Live" means not ended (neither canceled nor revoked).
 */
public interface Subscriptions extends ListCrudRepository<Subscription, UUID> {

	/**
	 * A subscription locked until the transaction ends, so that transitions of one
	 * subscription are serialized.
	 */
	@Query("select * from subscription where id = :id for update")
	Optional<Subscription> findByIdForUpdate(UUID id);

	/**
	 * The subscription a billing provider knows by {@code providerSubscriptionId}: the
	 * live one, else the latest that ended.
	 */
	@Query("""
			select * from subscription
			where provider = :provider and provider_subscription_id = :providerSubscriptionId
			order by status in ('CANCELED', 'REVOKED'), created_at desc
			limit 1""")
	Optional<Subscription> findByProviderSubscription(String provider, String providerSubscriptionId);

	/** The subscription {@code id} if it is one of {@code organizationId}. */
	@Query("select * from subscription where id = :id and organization_id = :organizationId")
	Optional<Subscription> findByIdAndOrganizationId(UUID id, UUID organizationId);

	/**
	 * The subscription {@code id} if it is one of {@code organizationId}, locked as by
	 * {@link #findByIdForUpdate}.
	 */
	@Query("select * from subscription where id = :id and organization_id = :organizationId for update")
	Optional<Subscription> findByIdAndOrganizationIdForUpdate(UUID id, UUID organizationId);

	@Query("""
			select * from subscription
			where organization_id = :organizationId and customer_id = :customerId
			order by created_at, id""")
	List<Subscription> findByOrganizationIdAndCustomerId(UUID organizationId, UUID customerId);

	@Query("""
			select * from subscription
			where organization_id = :organizationId and customer_id = :customerId and status = :status
			order by created_at, id""")
	List<Subscription> findByOrganizationIdAndCustomerIdAndStatus(UUID organizationId, UUID customerId, String status);

	/** The live subscriptions of a customer, locked. */
	@Query("""
			select * from subscription
			where customer_id = :customerId and status not in ('CANCELED', 'REVOKED')
			order by created_at, id
			for update""")
	List<Subscription> findLiveByCustomerIdForUpdate(UUID customerId);

	/**
	 * Live subscriptions canceled at period end whose end has passed, locked, skipping
	 * those locked elsewhere.
	 */
	@Query("""
			select * from subscription
			where cancel_at_period_end and status not in ('CANCELED', 'REVOKED') and ends_at <= now()
			order by ends_at
			limit :limit
			for update skip locked""")
	List<Subscription> findDueToEndForUpdate(int limit);

}
