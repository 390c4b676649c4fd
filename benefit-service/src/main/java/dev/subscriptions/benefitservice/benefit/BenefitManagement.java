package dev.subscriptions.benefitservice.benefit;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The use cases of benefits and of the product mapping.
 */
@Service
public class BenefitManagement {

	private static final int PRODUCT_LOCK_SPACE = 0x70726f64;

	/**
	 * Published when a benefit is deleted, in its transaction: its grants are revoked
	 * with it.
	 */
	public record BenefitDeleted(UUID benefitId) {
	}

	private final Benefits benefits;

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	BenefitManagement(Benefits benefits, JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
		this.benefits = benefits;
		this.jdbc = jdbc;
		this.events = events;
		this.clock = clock;
	}

	@Transactional
	public Benefit create(UUID organizationId, BenefitType type, String key, @Nullable String description,
			@Nullable String properties) {
		return this.benefits.save(Benefit.create(organizationId, type, key, description, properties, this.clock));
	}

	/**
	 * A live benefit of the organization.
	 * @throws BenefitNotFound when the organization has no live benefit of this id
	 */
	@Transactional(readOnly = true)
	public Benefit get(UUID organizationId, UUID id) {
		return this.benefits.findLiveByIdAndOrganizationId(id, organizationId)
			.orElseThrow(() -> new BenefitNotFound(id));
	}

	@Transactional(readOnly = true)
	public List<Benefit> findLive(UUID organizationId) {
		return this.benefits.findLiveByOrganizationId(organizationId);
	}

	/**
	 * Changes what a benefit of the organization gives.
	 * @throws BenefitNotFound when the organization has no live benefit of this id
	 */
	@Transactional
	public Benefit update(UUID organizationId, UUID id, @Nullable String description, @Nullable String properties) {
		Benefit benefit = this.benefits.findByIdAndOrganizationIdForUpdate(id, organizationId)
			.orElseThrow(() -> new BenefitNotFound(id));
		benefit.describe(description, properties, this.clock);
		return this.benefits.save(benefit);
	}

	/**
	 * Deletes a benefit of the organization and, in the same transaction, revokes every
	 * grant of it. Deleting a deleted benefit changes nothing.
	 * @throws BenefitNotFound when the organization has no benefit of this id
	 */
	@Transactional
	public void delete(UUID organizationId, UUID id) {
		Benefit benefit = this.benefits.findByIdAndOrganizationIdForUpdate(id, organizationId)
			.orElseThrow(() -> new BenefitNotFound(id));
		if (benefit.delete(this.clock)) {
			this.benefits.save(benefit);
			this.events.publishEvent(new BenefitDeleted(id));
		}
	}

	/** The live benefits the organization's mapping of a product grants. */
	@Transactional(readOnly = true)
	public List<Benefit> benefitsOfProduct(UUID organizationId, UUID productId) {
		return this.benefits.findLiveByProductIdAndOrganizationId(productId, organizationId);
	}

	/**
	 * The benefits to grant for a subscription of the product in the organization, in the
	 * caller's transaction; see
	 * {@link Benefits#findLiveByProductIdAndOrganizationIdForShare}.
	 */
	@Transactional
	public List<Benefit> benefitsToGrant(UUID productId, UUID organizationId) {
		return this.benefits.findLiveByProductIdAndOrganizationIdForShare(productId, organizationId);
	}

	/**
	 * Sets which benefits a product grants in the organization, replacing the
	 * organization's mapping of it; another organization's mapping of the same product id
	 * is left alone. Applies to grants made from now on; existing grants stay as they
	 * are. Concurrent mappings of one product by one organization are serialized
	 * (advisory lock per organization and product), so the last one wins whole.
	 * @throws BenefitNotFound when one of the benefits is not a live benefit of the
	 * organization
	 */
	@Transactional
	public List<Benefit> mapProduct(UUID organizationId, UUID productId, List<UUID> benefitIds) {
		List<UUID> distinct = List.copyOf(new LinkedHashSet<>(benefitIds));
		for (UUID benefitId : distinct) {
			get(organizationId, benefitId);
		}
		this.jdbc.sql("select pg_advisory_xact_lock(?, hashtext(?))")
			.params(PRODUCT_LOCK_SPACE, organizationId + ":" + productId)
			.query((rs, row) -> 1)
			.list();
		this.jdbc.sql("delete from product_benefit where product_id = ? and organization_id = ?")
			.params(productId, organizationId)
			.update();
		for (int position = 0; position < distinct.size(); position++) {
			this.jdbc
				.sql("insert into product_benefit (organization_id, product_id, benefit_id, position)"
						+ " values (?, ?, ?, ?)")
				.params(organizationId, productId, distinct.get(position), position)
				.update();
		}
		return benefitsOfProduct(organizationId, productId);
	}

}
