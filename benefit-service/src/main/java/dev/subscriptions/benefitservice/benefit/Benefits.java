package dev.subscriptions.benefitservice.benefit;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/**
 * All benefits, live and deleted.
 */
public interface Benefits extends ListCrudRepository<Benefit, UUID> {

	@Query("select * from benefit where id = :id and deleted_at is null")
	Optional<Benefit> findLiveById(UUID id);

	@Query("select * from benefit where id = :id for update")
	Optional<Benefit> findByIdForUpdate(UUID id);

	@Query("select * from benefit where organization_id = :organizationId and deleted_at is null order by key")
	List<Benefit> findLiveByOrganizationId(UUID organizationId);

	/** The live benefits a product grants, in the order they were mapped. */
	@Query("""
			select b.* from benefit b join product_benefit p on p.benefit_id = b.id
			where p.product_id = :productId and b.deleted_at is null
			order by p.position""")
	List<Benefit> findLiveByProductId(UUID productId);

	/**
	 * The live benefits of the organization a product grants, share-locked: a deletion of
	 * one of them that is under way is waited for (and the benefit then left out), so no
	 * grant is made for a benefit being deleted.
	 */
	@Query("""
			select b.* from benefit b join product_benefit p on p.benefit_id = b.id
			where p.product_id = :productId and b.organization_id = :organizationId and b.deleted_at is null
			order by p.position
			for share of b""")
	List<Benefit> findLiveByProductIdAndOrganizationIdForShare(UUID productId, UUID organizationId);

}
