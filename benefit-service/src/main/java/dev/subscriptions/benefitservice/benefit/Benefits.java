package dev.subscriptions.benefitservice.benefit;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/**
 * All benefits, live and deleted. Every query the API asks is filtered by the caller's
 * organization in SQL ({@code …AndOrganizationId}): a benefit of another organization is
 * not found.
 */
public interface Benefits extends ListCrudRepository<Benefit, UUID> {

	@Query("select * from benefit where id = :id and organization_id = :organizationId and deleted_at is null")
	Optional<Benefit> findLiveByIdAndOrganizationId(UUID id, UUID organizationId);

	@Query("select * from benefit where id = :id and organization_id = :organizationId for update")
	Optional<Benefit> findByIdAndOrganizationIdForUpdate(UUID id, UUID organizationId);

	@Query("select * from benefit where organization_id = :organizationId and deleted_at is null order by key")
	List<Benefit> findLiveByOrganizationId(UUID organizationId);

	/**
	 * The live benefits the organization's mapping of a product grants, in the order they
	 * were mapped.
	 */
	@Query("""
			select b.* from benefit b
			join product_benefit p on p.benefit_id = b.id and p.organization_id = b.organization_id
			where p.product_id = :productId and p.organization_id = :organizationId and b.deleted_at is null
			order by p.position""")
	List<Benefit> findLiveByProductIdAndOrganizationId(UUID productId, UUID organizationId);

	/**
	 * The live benefits the organization's mapping of a product grants, share-locked: a
	 * deletion of one of them that is under way is waited for (and the benefit then left
	 * out), so no grant is made for a benefit being deleted.
	 */
	@Query("""
			select b.* from benefit b
			join product_benefit p on p.benefit_id = b.id and p.organization_id = b.organization_id
			where p.product_id = :productId and p.organization_id = :organizationId and b.deleted_at is null
			order by p.position
			for share of b""")
	List<Benefit> findLiveByProductIdAndOrganizationIdForShare(UUID productId, UUID organizationId);

}
