package dev.subscriptions.customerservice.customer;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/**
 * All customers, live and deleted. Queries that return only live customers say so by
 * name.
 */
public interface Customers extends ListCrudRepository<Customer, UUID> {

	/**
	 * A customer of the organization, live or deleted, locked until the transaction ends,
	 * so that changes to it are serialized. Another organization's customer is not found:
	 * the organization is part of the query.
	 */
	@Query("select * from customer where id = :id and organization_id = :organizationId for update")
	Optional<Customer> findByIdAndOrganizationIdForUpdate(UUID id, UUID organizationId);

	/**
	 * The customers of the organization among {@code ids}, live or deleted, in the order
	 * of their ids and locked in that order until the transaction ends, so that two
	 * transactions locking overlapping sets cannot deadlock. Another organization's
	 * customers are not found.
	 */
	@Query("select * from customer where id = any(:ids) and organization_id = :organizationId order by id for update")
	List<Customer> findAllByIdInAndOrganizationIdForUpdate(UUID[] ids, UUID organizationId);

	/** A customer of the organization, live or deleted. */
	@Query("select * from customer where id = :id and organization_id = :organizationId")
	Optional<Customer> findByIdAndOrganizationId(UUID id, UUID organizationId);

	/** A live customer of the organization. */
	@Query("select * from customer where id = :id and organization_id = :organizationId and deleted_at is null")
	Optional<Customer> findLiveByIdAndOrganizationId(UUID id, UUID organizationId);

	@Query("""
			select * from customer
			where organization_id = :organizationId and external_id = :externalId and deleted_at is null""")
	Optional<Customer> findLiveByOrganizationIdAndExternalId(UUID organizationId, String externalId);

	@Query("""
			select * from customer
			where organization_id = :organizationId and deleted_at is null
			  and (cast(:email as text) is null or lower(email) = lower(cast(:email as text)))
			  and (cast(:externalId as text) is null or external_id = cast(:externalId as text))
			order by created_at, id
			limit :limit offset :offset""")
	List<Customer> findLiveByOrganizationId(UUID organizationId, @Nullable String email, @Nullable String externalId,
			long limit, long offset);

	@Query("""
			select count(*) from customer
			where organization_id = :organizationId and deleted_at is null
			  and (cast(:email as text) is null or lower(email) = lower(cast(:email as text)))
			  and (cast(:externalId as text) is null or external_id = cast(:externalId as text))""")
	long countLiveByOrganizationId(UUID organizationId, @Nullable String email, @Nullable String externalId);

}
