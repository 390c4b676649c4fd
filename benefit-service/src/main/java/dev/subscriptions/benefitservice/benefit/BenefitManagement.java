package dev.subscriptions.benefitservice.benefit;

import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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

	@Transactional(readOnly = true)
	public Benefit get(UUID id) {
		return this.benefits.findLiveById(id).orElseThrow(() -> new BenefitNotFound(id));
	}

	@Transactional(readOnly = true)
	public List<Benefit> findLive(UUID organizationId) {
		return this.benefits.findLiveByOrganizationId(organizationId);
	}

	@Transactional
	public Benefit update(UUID id, @Nullable String description, @Nullable String properties) {
		Benefit benefit = this.benefits.findByIdForUpdate(id).orElseThrow(() -> new BenefitNotFound(id));
		benefit.describe(description, properties, this.clock);
		return this.benefits.save(benefit);
	}

	/** Deletes a benefit and, in the same transaction, revokes every grant of it. */
	@Transactional
	public void delete(UUID id) {
		Benefit benefit = this.benefits.findByIdForUpdate(id).orElseThrow(() -> new BenefitNotFound(id));
		if (benefit.delete(this.clock)) {
			this.benefits.save(benefit);
			this.events.publishEvent(new BenefitDeleted(id));
		}
	}

	/** The live benefits a product grants. */
	@Transactional(readOnly = true)
	public List<Benefit> benefitsOfProduct(UUID productId) {
		return this.benefits.findLiveByProductId(productId);
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
	 * Sets which benefits a product grants, replacing the mapping. Applies to grants made
	 * from now on; existing grants stay as they are. The benefits must belong to one
	 * organization, as the product does. Concurrent mappings of one product are
	 * serialized (advisory lock per product), so the last one wins whole.
	 * @throws BenefitsOfSeveralOrganizations when they do not
	 */
	@Transactional
	public List<Benefit> mapProduct(UUID productId, List<UUID> benefitIds) {
		List<UUID> distinct = List.copyOf(new LinkedHashSet<>(benefitIds));
		Set<UUID> organizations = new HashSet<>();
		for (UUID benefitId : distinct) {
			organizations.add(get(benefitId).getOrganizationId());
		}
		if (organizations.size() > 1) {
			throw new BenefitsOfSeveralOrganizations(productId, organizations);
		}
		this.jdbc.sql("select pg_advisory_xact_lock(?, hashtext(?))")
			.params(PRODUCT_LOCK_SPACE, productId.toString())
			.query((rs, row) -> 1)
			.list();
		this.jdbc.sql("delete from product_benefit where product_id = ?").param(productId).update();
		for (int position = 0; position < distinct.size(); position++) {
			this.jdbc.sql("insert into product_benefit (product_id, benefit_id, position) values (?, ?, ?)")
				.params(productId, distinct.get(position), position)
				.update();
		}
		return benefitsOfProduct(productId);
	}

}
